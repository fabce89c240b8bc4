import { describe, expect, it } from 'vitest';
import { buildMimeMessage } from '../../functions/adapters/mime-message.ts';

describe('attachment headers of the MIME message', () => {
  it('keep a filename with quotes, backslashes or line breaks inside its quoted parameter', () => {
    const eml = buildMimeMessage(
      {
        from: 'r@example.com',
        to: ['a@example.com'],
        subject: 'Weekly',
        html: '<p>hi</p>',
        text: 'hi',
        attachments: [
          { filename: 'a"b\\c\r\nX-Injected: 1.csv', contentType: 'text/csv', content: new Uint8Array([65]) },
        ],
      },
      { date: new Date('2026-11-23T07:00:00Z'), messageId: 'm@example.com', boundarySeed: 'seed' },
    );
    expect(eml).not.toMatch(/^X-Injected/m);
    expect(eml).toContain('Content-Disposition: attachment; filename="a_b_c__X-Injected: 1.csv"\r\n');
  });
});
