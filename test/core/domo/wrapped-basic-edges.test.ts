import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../functions/core/domo/redactor.ts';

// What docs/ingest.md says a wrapped Basic credential is scrubbed of: all of it, at any line width
// (review R-LEAK M2: pieces at fixed places left an echo in lines of 32 columns whole, and one of
// a secret of 20 bytes whole at any width). Earlier (review op2 L11) the group at each end, shared
// with the client id's `:` and the padding, stayed.

const CLIENT_ID = 'c0ffee00-1111-2222-3333-444455556666';
const SECRET = `b7${randomBytes(30).toString('hex')}f2`;
const BASIC = Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64');
// As the audit client configures its redactor: the secret, the Basic credential, and that unpadded.
const redactor = createRedactor([SECRET, BASIC, BASIC.replace(/=+$/, '')]);

/** `text` in lines of `width` characters, the line breaks as given (as a JSON string holds them). */
const wrapped = (text: string, width: number, lineBreak = '\\r\\n'): string =>
  (text.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join(lineBreak);

describe('a wrapped Basic credential, scrubbed', () => {
  it.each([8, 16, 32, 40, 44, 52, 60, 64, 76])('at %i columns is scrubbed whole', (width) => {
    for (const lineBreak of ['\\r\\n', '\r\n', '\n', '\\\\n', '\r\n ']) {
      for (const before of ['', 'Authorization: Basic ']) {
        const scrubbed = redactor.scrub(`${before}${wrapped(BASIC, width, lineBreak)} end`);
        expect(scrubbed, JSON.stringify(lineBreak)).toBe(`${before}[redacted] end`);
      }
    }
  });

  it('of a secret of 20 bytes, wrapped at 64 columns, is scrubbed whole', () => {
    const secret = randomBytes(10).toString('hex');
    const basic = Buffer.from(`${CLIENT_ID}:${secret}`).toString('base64');
    const short = createRedactor([secret, basic, basic.replace(/=+$/, '')]);
    const scrubbed = short.scrub(`Authorization: Basic ${wrapped(basic, 64, '\r\n')}`);
    expect(scrubbed).toBe('Authorization: Basic [redacted]');
  });

  it('unwrapped, is scrubbed whole', () => {
    expect(redactor.scrub(`Authorization: Basic ${BASIC}`)).toBe('Authorization: Basic [redacted]');
  });
});
