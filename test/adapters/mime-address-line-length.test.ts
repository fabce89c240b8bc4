import { expect, it } from 'vitest';
import { buildMimeMessage } from '../../functions/adapters/mime-message.ts';

/** The header's value as a mail client shows it: unfolded, encoded words decoded and joined. */
const read = (header: string, field: string): string =>
  header
    .slice(field.length + 2)
    .replace(/\r\n /g, ' ')
    .replace(/\?= =\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));

const headerOf = (eml: string, field: string): string =>
  new RegExp(`^(${field}: .*(?:\\r\\n .*)*)`, 'm').exec(eml)?.[1] ?? '';

const mail = (from: string, to: string[]) =>
  buildMimeMessage(
    { from, to, subject: 'Weekly', html: '<p>x</p>', text: 'x' },
    { date: new Date(0), messageId: 'm@example.com' },
  );

const within76 = (eml: string) => {
  for (const field of ['From', 'To']) {
    const header = headerOf(eml, field);
    for (const line of header.split('\r\n')) expect(line.length, line).toBeLessThanOrEqual(76);
    for (const word of header.match(/=\?UTF-8\?B\?[^?]*\?=/g) ?? [])
      expect(word.length).toBeLessThanOrEqual(75);
  }
};

it('keeps a long encoded From within 76 characters a line and reads back the same', () => {
  // Encoded with no room left for "From: ", the first word alone was 76 characters (RFC 2047
  // allows 75) on an 82-character line.
  const from = `Équipe sécurité Domo d'Acme Europe ${'é'.repeat(30)} <security-reports@example.com>`;
  const eml = mail(from, ['ops@example.com']);
  within76(eml);
  expect(headerOf(eml, 'From').split('\r\n').length).toBeGreaterThan(1);
  expect(read(headerOf(eml, 'From'), 'From')).toBe(from);
});

it('folds a To of several long names between words and reads back the same', () => {
  const to = [
    'Jürgen Müller-Lüdenscheidt, Sicherheitsbeauftragter <juergen@example.com>',
    `${'Ω'.repeat(50)} <omega@example.com>`,
    'Plain Name <plain@example.com>',
    '"Doe, Jane (Security & Compliance, EMEA region)" <jane.doe.security@example.com>',
  ];
  const eml = mail('reports@example.com', to);
  within76(eml);
  expect(read(headerOf(eml, 'To'), 'To')).toBe(to.join(', '));
});

it('keeps a short From and To on one line as before', () => {
  const eml = mail('Domo Reports <r@example.com>', ['a@example.com', 'Ops <ops@example.com>']);
  expect(
    eml.startsWith('From: Domo Reports <r@example.com>\r\nTo: a@example.com, Ops <ops@example.com>\r\n'),
  ).toBe(true);
});
