/**
 * A complete RFC 5322 / MIME message for a rendered report: `multipart/alternative` with a
 * text/plain and a text/html part (quoted-printable, UTF-8, lines of at most 76 characters), inside
 * `multipart/mixed` when there are attachments. What a `.eml` file holds and a mail client opens.
 */
import { randomBytes } from 'node:crypto';
import type { MailMessage } from '../core/ports.ts';
import { quotedPrintable } from '../core/quoted-printable.ts';

const CRLF = '\r\n';

interface MimeOptions {
  date: Date;
  /** Without angle brackets, e.g. `2026-W47.acme@domo-activity-lake`. */
  messageId: string;
  /** Fixed boundary for reproducible output; default random. */
  boundarySeed?: string;
}

const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;

/** Longest line holding an encoded word (RFC 2047 §2). */
const MAX_ENCODED_LINE = 76;

/** `=?UTF-8?B?` and `?=` around each encoded word. */
const WORD_MARKUP = '=?UTF-8?B??='.length;

/** Longest encoded word, markup included (RFC 2047 §2). */
const MAX_ENCODED_WORD = 75;

/**
 * Most UTF-8 bytes whose encoded word fits after `lead` characters on its line (4 base64 per 3
 * bytes), the word itself no longer than 75 characters.
 */
const wordBytes = (lead: number): number =>
  Math.floor((Math.min(MAX_ENCODED_LINE - lead, MAX_ENCODED_WORD) - WORD_MARKUP) / 4) * 3;

/**
 * A header value as RFC 2047 encoded words (`=?UTF-8?B?…?=`) when it is not plain ASCII, one per
 * line, split so that no line exceeds 76 characters and no UTF-8 sequence is cut between words.
 * `lead` is what stands before the value on its first line (`Subject: ` is 9); later lines start
 * with the one space that folds them.
 */
export function encodeHeaderText(text: string, lead = 0): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  if (PRINTABLE_ASCII.test(flat)) return flat;
  const words: string[] = [];
  let chunk = '';
  // 39 bytes on a Subject's first line (52 base64 characters, 64 with the markup, 73 with the
  // name), 45 on the folded ones (60, 72, 73 with the space).
  let room = wordBytes(lead);
  const fits = (piece: string) => Buffer.byteLength(chunk + piece, 'utf8') <= room;
  for (const piece of unbreakablePieces(flat, room)) {
    if (chunk && !fits(piece)) {
      // After the last space in the word, when it has one: RFC 2047 joins adjacent words, but
      // some readers (Python's address parser) show a gap between them, "Tr ès" for "Très".
      const space = chunk.lastIndexOf(' ');
      const cut = space > 0 ? space + 1 : chunk.length;
      words.push(chunk.slice(0, cut));
      chunk = chunk.slice(cut);
      room = wordBytes(1);
      if (chunk && !fits(piece)) {
        words.push(chunk);
        chunk = '';
      }
    }
    chunk += piece;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * `text` in the pieces an encoded word may not cut: its graphemes (an emoji family, a letter and
 * its accents), or the code points of one longer than `max` bytes, which no word could hold whole.
 */
function* unbreakablePieces(text: string, max: number): Generator<string> {
  for (const { segment } of graphemes.segment(text)) {
    if (Buffer.byteLength(segment, 'utf8') <= max) yield segment;
    else yield* segment;
  }
}

/**
 * An address header entry: `Name <addr@host>` with the name quoted or encoded as needed. `lead`
 * is what stands before the entry on its line: an encoded name's first word is sized to fit after
 * it, and its later words come on folded lines of their own.
 */
export function encodeAddress(address: string, lead = 0): string {
  // A CR or LF would end the header line and start a header of the address's choosing (Bcc:).
  const flat = address.replace(/[\r\n]+/g, ' ');
  const match = /^\s*(.*?)\s*<([^<>\s]+)>\s*$/.exec(flat);
  if (!match) return flat.trim();
  const [, name = '', addr = ''] = match;
  if (name === '') return `<${addr}>`;
  const unquoted = name.replace(/^"(.*)"$/, '$1');
  if (!PRINTABLE_ASCII.test(unquoted)) return `${encodeHeaderText(unquoted, lead)} <${addr}>`;
  if (/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/.test(unquoted)) return `${unquoted} <${addr}>`;
  return `"${unquoted.replace(/(["\\])/g, '\\$1')}" <${addr}>`;
}

/**
 * `From:` or `To:` with its addresses, folded between words so that no line passes 76 characters
 * where a space allows it (RFC 2047 §2 for the lines of encoded words, RFC 5322 §2.2.3 for
 * folding). Folding only turns a separating space into CRLF and a space, and the space between
 * two encoded words is not part of the text, so the header reads the same folded or not.
 */
function addressHeader(field: string, addresses: readonly string[]): string {
  const lines = [`${field}:`];
  const put = (token: string) => {
    const line = lines[lines.length - 1] ?? '';
    if (line.length + 1 + token.length > MAX_ENCODED_LINE && line !== `${field}:`) lines.push(` ${token}`);
    else lines[lines.length - 1] = `${line} ${token}`;
  };
  addresses.forEach((address, i) => {
    // An encoded name's first word is sized for what is left of the line; under ~20 characters
    // left, not even one character fits, and the address starts a line of its own.
    const lead = (lines[lines.length - 1]?.length ?? 0) + 1;
    const tokens = encodeAddress(address, lead > MAX_ENCODED_LINE - 20 ? 1 : lead).split(/\r\n | /);
    if (i < addresses.length - 1) tokens.push(`${tokens.pop() ?? ''},`);
    for (const token of tokens) put(token);
  });
  return lines.join(CRLF);
}

/** Folds a long ASCII header line at spaces so no line exceeds 78 characters where possible. */
function foldHeader(line: string): string {
  if (line.length <= 78 || line.includes(CRLF)) return line;
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current && current.length + 1 + word.length > 78) {
      out.push(current);
      current = ` ${word}`;
    } else current = current ? `${current} ${word}` : word;
  }
  out.push(current);
  return out.join(CRLF);
}

/** Base64 in lines of 76 characters. */
function base64Lines(content: Uint8Array): string {
  const b64 = Buffer.from(content).toString('base64');
  return (b64.match(/.{1,76}/g) ?? ['']).join(CRLF);
}

/** `Mon, 23 Nov 2026 07:00:00 +0000`. */
const rfc5322Date = (date: Date): string => date.toUTCString().replace(/GMT$/, '+0000');

/** Builds the whole message, CRLF line ends throughout. */
export function buildMimeMessage(message: MailMessage, options: MimeOptions): string {
  const seed = options.boundarySeed ?? randomBytes(12).toString('hex');
  // "=_" cannot occur in quoted-printable or base64 output, so the boundary never collides with a body.
  const alternative = `=_alt_${seed}`;
  const mixed = `=_mixed_${seed}`;
  const attachments = message.attachments ?? [];

  const headers = [
    addressHeader('From', [message.from]),
    addressHeader('To', message.to),
    foldHeader(`Subject: ${encodeHeaderText(message.subject, 'Subject: '.length)}`),
    `Date: ${rfc5322Date(options.date)}`,
    `Message-ID: <${options.messageId}>`,
    'MIME-Version: 1.0',
    'Auto-Submitted: auto-generated',
  ];
  const part = (type: string, body: string) =>
    [`Content-Type: ${type}; charset=UTF-8`, 'Content-Transfer-Encoding: quoted-printable', '', body].join(
      CRLF,
    );
  const alternativeBody = [
    `--${alternative}`,
    part('text/plain', quotedPrintable(message.text)),
    `--${alternative}`,
    part('text/html', quotedPrintable(message.html)),
    `--${alternative}--`,
  ].join(CRLF);

  if (attachments.length === 0) {
    return [
      ...headers,
      `Content-Type: multipart/alternative; boundary="${alternative}"`,
      '',
      'This is a multi-part message in MIME format.',
      alternativeBody,
      '',
    ].join(CRLF);
  }
  const files = attachments.map((a) => {
    const filename = a.filename.replace(/["\\\r\n]/g, '_');
    return [
      `--${mixed}`,
      `Content-Type: ${a.contentType}; name="${filename}"`,
      `Content-Disposition: attachment; filename="${filename}"`,
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(a.content),
    ].join(CRLF);
  });
  return [
    ...headers,
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    '',
    'This is a multi-part message in MIME format.',
    `--${mixed}`,
    `Content-Type: multipart/alternative; boundary="${alternative}"`,
    '',
    alternativeBody,
    ...files,
    `--${mixed}--`,
    '',
  ].join(CRLF);
}
