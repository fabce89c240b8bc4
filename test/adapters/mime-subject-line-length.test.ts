import { expect, it } from 'vitest';
import { buildMimeMessage, encodeHeaderText } from '../../functions/adapters/mime-message.ts';

const decode = (value: string): string =>
  value
    .replace(/\?=\r\n =\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));

it.each([
  // The first 45-byte word made "Subject: " + 72 characters: an 81-character line.
  'Domo activity 2026-W48 (acme-production-eu): 3 suspicious logins, 1 lockout, 12,345 events (±0%)',
  `Domo-Aktivität ${'ü'.repeat(60)} 🚀`,
  '🚀'.repeat(30),
])('keeps every Subject line with an encoded word within 76 characters: %s', (subject) => {
  const eml = buildMimeMessage(
    { from: 'r@example.com', to: ['x@example.com'], subject, html: '<p>x</p>', text: 'x' },
    { date: new Date(0), messageId: 'm@example.com' },
  );
  const raw = /^(Subject: (?:.*)(?:\r\n .*)*)/m.exec(eml)?.[1] ?? '';
  const lines = raw.split('\r\n');
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(76);
  expect(decode(raw.slice('Subject: '.length))).toBe(subject);
});

it('fills a folded line up to 45 bytes and the first as far as its lead leaves room', () => {
  const words = encodeHeaderText('é'.repeat(60), 9).split('\r\n ');
  // 19 two-byte characters (38 bytes) first, then 22 (44 bytes) a line.
  expect(words.map((w) => Buffer.from(w.slice(10, -2), 'base64').toString('utf8').length)).toEqual([
    19, 22, 19,
  ]);
});
