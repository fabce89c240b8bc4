import { describe, expect, it } from 'vitest';
import { buildMimeMessage, encodeAddress, encodeHeaderText } from '../../functions/adapters/mime-message.ts';
import { quotedPrintable } from '../../functions/core/quoted-printable.ts';

/** Independent decoders, written from RFC 2045 and RFC 2047, to check the encoders round-trip. */
function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i] as string;
    if (c === '=') {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
}

const decodeHeader = (value: string): string =>
  value
    .replace(/\?=\r\n =\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));

const split = (eml: string) => {
  const at = eml.indexOf('\r\n\r\n');
  return { head: eml.slice(0, at), body: eml.slice(at + 4) };
};

const header = (head: string, name: string): string | undefined => {
  const unfolded = head.replace(/\r\n[ \t]/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'mi').exec(unfolded)?.[1];
};

/** The decoded body of the part with this content type. */
function part(eml: string, type: string): string {
  const boundary = /boundary="([^"]+)"/.exec(eml)?.[1] ?? '';
  const alt = eml.includes('multipart/mixed')
    ? (/multipart\/alternative; boundary="([^"]+)"/.exec(eml)?.[1] ?? '')
    : boundary;
  for (const chunk of eml.split(`--${alt}`)) {
    if (chunk.includes(`Content-Type: ${type};`)) {
      const { body } = split(chunk.replace(/^\r\n/, ''));
      return decodeQuotedPrintable(body.replace(/\r\n$/, ''));
    }
  }
  throw new Error(`no ${type} part`);
}

const message = {
  from: 'Domo activity <reports@example.com>',
  to: ['security@example.com', 'Ops Team <ops@example.com>'],
  subject: 'Domo activity 2026-W47 (acme): 3 suspicious logins, 1 lockout, 12,345 events (+8%)',
  html: `<!DOCTYPE html>\n<p style="color:#333333">Café = 100% ${'x'.repeat(300)} </p>\n<p>trailing space </p>\n`,
  text: `Totals\n  Events   12,345   +8%\nNaïve résumé — ünïcödé 🚀 line with = sign\n${'y'.repeat(200)}\n`,
};
const options = {
  date: new Date('2026-11-23T07:00:00Z'),
  messageId: 'abc123@domo-activity-lake.local',
  boundarySeed: 'seed',
};

describe('buildMimeMessage', () => {
  const eml = buildMimeMessage(message, options);

  it('has the headers a mail client needs', () => {
    const { head } = split(eml);
    expect(header(head, 'From')).toBe('Domo activity <reports@example.com>');
    expect(header(head, 'To')).toBe('security@example.com, Ops Team <ops@example.com>');
    expect(header(head, 'Subject')).toBe(message.subject);
    expect(header(head, 'Date')).toBe('Mon, 23 Nov 2026 07:00:00 +0000');
    expect(header(head, 'Message-ID')).toBe('<abc123@domo-activity-lake.local>');
    expect(header(head, 'MIME-Version')).toBe('1.0');
    expect(header(head, 'Content-Type')).toBe('multipart/alternative; boundary="=_alt_seed"');
  });

  it('uses CRLF line ends and keeps every line within 78 characters (76 in the bodies)', () => {
    expect(eml).not.toMatch(/[^\r]\n/);
    const { head, body } = split(eml);
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    for (const line of body.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(eml.endsWith('--=_alt_seed--\r\n')).toBe(true);
  });

  it('carries the text and the HTML as quoted-printable parts that decode to the originals', () => {
    expect(eml).toContain(
      'Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable',
    );
    expect(part(eml, 'text/plain')).toBe(message.text);
    expect(part(eml, 'text/html')).toBe(message.html);
    // The plain part comes first: clients show the last alternative they understand.
    expect(eml.indexOf('text/plain;')).toBeLessThan(eml.indexOf('text/html;'));
  });

  it('encodes a non-ASCII subject and display names as RFC 2047 words of at most 75 characters', () => {
    const subject = `Domo-Aktivität 2026-W47 (acme): 12.345 Ereignisse — ${'ü'.repeat(40)} 🚀`;
    const eml2 = buildMimeMessage({ ...message, subject, from: 'Rapports Élodie <r@example.com>' }, options);
    const { head } = split(eml2);
    const raw = /^Subject: ((?:.*)(?:\r\n .*)*)/m.exec(head)?.[1] ?? '';
    expect(raw).toMatch(/^=\?UTF-8\?B\?/);
    for (const word of raw.split('\r\n ')) expect(word.length).toBeLessThanOrEqual(75);
    expect(decodeHeader(raw)).toBe(subject);
    expect(decodeHeader(header(head, 'From') ?? '')).toBe('Rapports Élodie <r@example.com>');
  });

  it('wraps body and alternatives in multipart/mixed when there are attachments', () => {
    const content = new TextEncoder().encode('user,events\n"a",1\n'.repeat(20));
    const eml3 = buildMimeMessage(
      { ...message, attachments: [{ filename: 'users.csv', contentType: 'text/csv', content }] },
      options,
    );
    expect(eml3).toContain('Content-Type: multipart/mixed; boundary="=_mixed_seed"');
    expect(eml3).toContain('Content-Disposition: attachment; filename="users.csv"');
    const b64 =
      /filename="users.csv"\r\nContent-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+)\r\n--/.exec(
        eml3,
      )?.[1] ?? '';
    for (const line of b64.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(Buffer.from(b64.replace(/\r\n/g, ''), 'base64').toString('utf8')).toBe(
      new TextDecoder().decode(content),
    );
    expect(part(eml3, 'text/plain')).toBe(message.text);
  });
});

describe('quotedPrintable', () => {
  it('escapes =, non-ASCII bytes and trailing whitespace, and breaks long lines softly', () => {
    expect(quotedPrintable('a=b')).toBe('a=3Db');
    expect(quotedPrintable('é')).toBe('=C3=A9');
    expect(quotedPrintable('end \nnext\t')).toBe('end=20\r\nnext=09');
    const long = quotedPrintable('z'.repeat(200));
    expect(long.split('\r\n').map((l) => l.length)).toEqual([76, 76, 50]);
    // An escape sequence is never split by a soft break.
    const escapes = quotedPrintable('é'.repeat(40));
    for (const line of escapes.split('=\r\n')) expect(line).toMatch(/^(=[0-9A-F]{2})+$/);
  });
});

describe('encodeAddress and encodeHeaderText', () => {
  it('quotes display names with specials and leaves plain ones alone', () => {
    expect(encodeAddress('reports@example.com')).toBe('reports@example.com');
    expect(encodeAddress('Domo Reports <r@example.com>')).toBe('Domo Reports <r@example.com>');
    expect(encodeAddress('Acme, Inc. <r@example.com>')).toBe('"Acme, Inc." <r@example.com>');
  });

  it('never lets a newline into a header', () => {
    expect(encodeHeaderText('a\r\nBcc: evil@example.com')).toBe('a Bcc: evil@example.com');
  });
});
