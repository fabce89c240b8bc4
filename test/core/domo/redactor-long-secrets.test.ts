import { describe, expect, it } from 'vitest';
import { createRedactor, NOT_SCRUBBED, REDACTED } from '../../../functions/core/domo/redactor.ts';

// Review R-LEAK M1: one pattern per form, past ~2,706 characters of secret (its Basic credential
// echoed), ~10.9 K (percent-escaped) or 32 K (raw), threw "Regular expression too large" with the
// whole pattern, the secret's Base64, in its message, which became the window's failure message.

const CLIENT_ID = '3f2b8c1e-9a4d-4e7f-b1c2-5d6e7f8a9b0c';
/** A secret of `length` hex digits, not periodic. */
const secretOf = (length: number): string =>
  Array.from({ length }, (_, i) => '0123456789abcdef'[(i * 7919 + ((i * i) >> 3)) % 16]).join('');
const percentAll = (text: string): string =>
  [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
const lines = (text: string, width: number): string =>
  (text.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join('\r\n');

describe('a redactor for a long secret', () => {
  it.each([2_800, 40_000])('scrubs a secret of %i characters, however echoed', (length) => {
    const secret = secretOf(length);
    const basic = Buffer.from(`${CLIENT_ID}:${secret}`).toString('base64');
    const redactor = createRedactor([secret, basic, basic.replace(/=+$/, '')]);
    const echoes = {
      raw: `client_secret=${secret}`,
      basic: `Authorization: Basic ${basic}`,
      basicWrapped: `Authorization: Basic ${lines(basic, 76)}`,
      percent: `q=${percentAll(secret)}`,
      percentBasic: `h=${percentAll(`Basic ${basic}`)}`,
      hex: `bytes ${Buffer.from(secret).toString('hex')}`,
      upper: secret.toUpperCase(),
    };
    for (const [name, echo] of Object.entries(echoes)) {
      const out = redactor.scrub(`Domo said: ${echo} end`);
      expect(out, name).not.toBe(NOT_SCRUBBED);
      expect(out, name).toContain(REDACTED);
      for (const part of [
        secret.slice(0, 40),
        secret.slice(-40),
        basic.slice(60, 100),
        basic.slice(-60, -20),
      ])
        expect(out.toLowerCase(), name).not.toContain(part.toLowerCase());
    }
  });

  it('scrubs an access token of 16 KiB echoed in hex or percent-escaped', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    const token = Array.from({ length: 16 * 1024 }, (_, i) => alphabet[(i * 7919) % alphabet.length]).join(
      '',
    );
    const redactor = createRedactor([]);
    redactor.add(token);
    for (const echo of [Buffer.from(token).toString('hex'), percentAll(token)]) {
      expect(redactor.scrub(`x ${echo} y`)).toBe(`x ${REDACTED} y`);
    }
  });

  it('gives back a fixed text, never the text or the error, when scrubbing throws', () => {
    const secret = secretOf(64);
    const redactor = createRedactor([secret]);
    const failing = `a ${secret} b`;
    // A text whose searches throw with it in the message, as a failed search's message can quote it.
    const hostile = new Proxy(new String(failing), {
      get(_target, key) {
        if (key === Symbol.toPrimitive || key === 'toString' || key === 'valueOf') return () => failing;
        throw new Error(`could not search ${failing}`);
      },
    }) as unknown as string;
    expect(redactor.scrub(hostile)).toBe(NOT_SCRUBBED);
  });
});
