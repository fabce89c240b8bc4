import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../functions/core/domo/redactor.ts';

// What docs/ingest.md says a wrapped Basic credential is scrubbed of (review op2 L11): the groups of
// its Base64 made of the secret's bytes alone. The group at each end, shared with the client id's
// `:` before and the padding after, stays, with up to 2 of the secret's characters each; the
// unwrapped credential is scrubbed whole.

const CLIENT_ID = 'c0ffee00-1111-2222-3333-444455556666';
const SECRET = `b7${randomBytes(30).toString('hex')}f2`;
const BASIC = Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64');
// As the audit client configures its redactor: the secret, the Basic credential, and that unpadded.
const redactor = createRedactor([SECRET, BASIC, BASIC.replace(/=+$/, '')]);

/** `text` in lines of `width` characters, the line breaks as a JSON string holds them. */
const wrapped = (text: string, width: number): string =>
  (text.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join('\\r\\n');

describe('a wrapped Basic credential, scrubbed', () => {
  // 37 bytes (the id and `:`) come before the secret: its first group also holds `:`, and its
  // 64 bytes end 2 into a group that the padding completes.
  const firstShared = Math.floor((CLIENT_ID.length + 1) / 3) * 4;
  const kept = `${BASIC.slice(0, firstShared + 4)}[redacted]${BASIC.slice(-4)}`;

  it.each([40, 44, 52, 60, 64, 76])(
    'at %i columns keeps the edge groups and nothing else of the secret',
    (width) => {
      for (const before of ['', 'Authorization: Basic ']) {
        const scrubbed = redactor.scrub(before + wrapped(BASIC, width)).replaceAll('\\r\\n', '');
        expect(scrubbed).toBe(before + kept);
      }
      expect(Buffer.from(BASIC.slice(firstShared, firstShared + 4), 'base64').toString()).toBe(':b7');
      expect(Buffer.from(BASIC.slice(-4), 'base64').toString()).toBe('f2');
    },
  );

  it('unwrapped, is scrubbed whole', () => {
    expect(redactor.scrub(`Authorization: Basic ${BASIC}`)).toBe('Authorization: Basic [redacted]');
  });
});
