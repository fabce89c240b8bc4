import { describe, expect, it } from 'vitest';
import { buildMimeMessage, encodeAddress } from '../../functions/adapters/mime-message.ts';

const options = { date: new Date('2026-11-23T07:00:00Z'), messageId: 'm@example.com', boundarySeed: 'seed' };
const headerNames = (eml: string): string[] =>
  eml
    .slice(0, eml.indexOf('\r\n\r\n'))
    .split('\r\n')
    .filter((line) => !/^[ \t]/.test(line))
    .map((line) => line.slice(0, line.indexOf(':')));

describe('address headers of the MIME message', () => {
  it('never let a CR or LF in an address start a header of its own', () => {
    expect(encodeAddress('a@example.com\r\nBcc: evil@example.com')).not.toMatch(/[\r\n]/);
    expect(encodeAddress('Ops\nBcc: evil@example.com <ops@example.com>')).not.toMatch(/[\r\n]/);
    const eml = buildMimeMessage(
      {
        from: 'Reports\r\nBcc: evil@example.com <reports@example.com>',
        to: ['a@example.com\r\nBcc: evil@example.com'],
        subject: 'Weekly',
        html: '<p>hi</p>',
        text: 'hi',
      },
      options,
    );
    expect(headerNames(eml)).not.toContain('Bcc');
    expect(headerNames(eml)).toEqual([
      'From',
      'To',
      'Subject',
      'Date',
      'Message-ID',
      'MIME-Version',
      'Auto-Submitted',
      'Content-Type',
    ]);
  });
});
