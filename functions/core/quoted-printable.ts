/*
 * In the core, not beside the MIME writer that uses it: the report's size budget counts the HTML
 * as the mail carries it (mail/render-limits.ts), and one encoder keeps that count and the
 * local .eml from drifting apart.
 */

/** Quoted-printable's longest line (RFC 2045 §6.7), the soft break `=` included. */
const MAX_LINE = 76;

const utf8 = new TextEncoder();

const hex = (byte: number) => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Quoted-printable (RFC 2045 §6.7) of UTF-8 text with CRLF line ends, lines of at most 76
 * characters (soft breaks `=`), and encoded trailing whitespace.
 */
export function quotedPrintable(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return lines
    .map((line) => {
      const bytes = utf8.encode(line);
      const tokens: string[] = [];
      bytes.forEach((byte, i) => {
        const last = i === bytes.length - 1;
        const literal = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
        tokens.push(literal ? String.fromCharCode(byte) : hex(byte));
      });
      const out: string[] = [];
      let current = '';
      for (const token of tokens) {
        // Room is kept for the soft-break "=" at the end of a wrapped line.
        if (current.length + token.length > MAX_LINE - 1) {
          out.push(`${current}=`);
          current = '';
        }
        current += token;
      }
      out.push(current);
      return out.join('\r\n');
    })
    .join('\r\n');
}
