import { describe, expect, it } from 'vitest';
import { buildMimeMessage, encodeAddress } from '../../functions/adapters/mime-message.ts';

const build = (from: string) =>
  buildMimeMessage(
    { from, to: ['a@example.com'], subject: 'Weekly', html: '<p>hi</p>', text: 'hi' },
    { date: new Date('2026-11-23T07:00:00Z'), messageId: 'm@example.com', boundarySeed: 'seed' },
  );

describe('sender headers of the MIME message', () => {
  it('encodes a non-ASCII sender name and escapes quotes in a quoted one', () => {
    expect(build('Rapports Élodie <r@example.com>')).toMatch(
      /^From: =\?UTF-8\?B\?[^\r\n]+\?= <r@example\.com>\r$/m,
    );
    expect(encodeAddress('Acme "Ops" \\ Team, Inc. <r@example.com>')).toBe(
      '"Acme \\"Ops\\" \\\\ Team, Inc." <r@example.com>',
    );
  });

  it('marks the mail as auto-generated, so vacation replies do not answer it', () => {
    expect(build('r@example.com')).toContain('\r\nAuto-Submitted: auto-generated\r\n');
  });
});
