import { describe, expect, it } from 'vitest';
import {
  createRedactor,
  MIN_CASELESS_FORM,
  REDACTED,
  REMEMBERED_ADDED,
} from '../../../functions/core/domo/redactor.ts';

describe('createRedactor', () => {
  it('removes every registered secret, raw and URL-encoded', () => {
    const redactor = createRedactor(['s3cr3t/+=', 'QmFzaWM=']);
    expect(redactor.scrub('a s3cr3t/+= b s3cr3t%2F%2B%3D c QmFzaWM=')).toBe(
      `a ${REDACTED} b ${REDACTED} c ${REDACTED}`,
    );
  });

  it('learns secrets added later, such as new tokens', () => {
    const redactor = createRedactor();
    expect(redactor.scrub('token tok-9')).toBe('token tok-9');
    redactor.add('tok-9');
    expect(redactor.scrub('token tok-9')).toBe(`token ${REDACTED}`);
  });

  it('removes a secret that contains another one whole', () => {
    const redactor = createRedactor(['abc', 'xxabcxx']);
    expect(redactor.scrub('[xxabcxx]')).toBe(`[${REDACTED}]`);
  });

  it('ignores empty secrets', () => {
    expect(createRedactor(['']).scrub('unchanged')).toBe('unchanged');
  });

  it('removes the encoded forms a server may echo a secret in', () => {
    const secret = 'pa"ss\\wo/rd <x>&y=1 é+z';
    const redactor = createRedactor([secret]);
    const json = JSON.stringify(secret).slice(1, -1);
    const echoes = [
      secret,
      json,
      JSON.stringify(json).slice(1, -1),
      json.replaceAll('/', '\\/'),
      json.replace(/[<>&='/]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      secret.replace(/[^A-Za-z0-9]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      encodeURIComponent(secret),
      encodeURIComponent(secret).toLowerCase(),
      new URLSearchParams({ s: secret }).toString().slice(2),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
    ];
    for (const echo of echoes) expect(redactor.scrub(`<${echo}>`), echo).toBe(`<${REDACTED}>`);
  });

  it('removes the \\u00XX escapes written with upper-case hex too (review 36g, item 2)', () => {
    // `\u003D` is the same JSON as `\u003d`; writers other than Gson use upper-case hex.
    const secret = 'ab/cd=ef.gh';
    const redactor = createRedactor([secret]);
    for (const echo of ['ab\\u002Fcd\\u003Def.gh', 'ab\\u002Fcd\\u003Def\\u002Egh']) {
      expect(redactor.scrub(`<${echo}>`), echo).toBe(`<${REDACTED}>`);
    }
  });

  it('removes every occurrence of a secret, not only the first', () => {
    expect(createRedactor(['s3cr3t']).scrub('a s3cr3t b s3cr3t')).toBe(`a ${REDACTED} b ${REDACTED}`);
  });

  it('keeps letters as they are in the escaped forms of a secret holding capitals and quotes', () => {
    const secret = "AB/Cd'E-F";
    const redactor = createRedactor([secret]);
    for (const echo of [
      // URL-encoded with lower-case hex: only the hex digits change case.
      "AB%2fCd'E-F",
      // Gson's JSON: <>&='/ escaped, the apostrophe included; '-' stays.
      'AB\\u002fCd\\u0027E-F',
      // Every character but letters and digits escaped; capitals stay.
      'AB\\u002fCd\\u0027E\\u002dF',
    ]) {
      expect(redactor.scrub(`<${echo}>`), echo).toBe(`<${REDACTED}>`);
    }
  });
});

describe('createRedactor: hex, letter case and percent-escapes (review R-HOSTILE 4)', () => {
  // 24 characters: long enough to be matched in any case (MIN_CASELESS_FORM).
  const secret = 'tok-9f2A/b+c=d-Long0042x';
  const hex = Buffer.from(secret).toString('hex');
  const everyChar = (text: string) =>
    [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

  it('removes the hex of a secret in lower- and upper-case, a short one too', () => {
    const redactor = createRedactor([secret, 'k9']);
    expect(redactor.scrub(`a ${hex} b`)).toBe(`a ${REDACTED} b`);
    expect(redactor.scrub(`a ${hex.toUpperCase()} b`)).toBe(`a ${REDACTED} b`);
    expect(redactor.scrub('a 6B39 b 6b39')).toBe(`a ${REDACTED} b ${REDACTED}`);
  });

  it('removes a long secret in any letter case, and an encoded form in another case', () => {
    const redactor = createRedactor([secret]);
    expect(MIN_CASELESS_FORM).toBeLessThanOrEqual(secret.length);
    expect(redactor.scrub(`a ${secret.toUpperCase()} b`)).toBe(`a ${REDACTED} b`);
    expect(redactor.scrub(`a ${secret.toLowerCase()} b`)).toBe(`a ${REDACTED} b`);
    expect(redactor.scrub('a TOK-9f2a/B+C=D-lONG0042X b')).toBe(`a ${REDACTED} b`);
    expect(redactor.scrub(`a ${encodeURIComponent(secret).toUpperCase()} b`)).toBe(`a ${REDACTED} b`);
  });

  it('matches a short secret in its own case only, so a word in another case stays', () => {
    // Review R-DEADLINE2: a secret `Activity` matched in any case took "activity log" for it.
    const redactor = createRedactor(['Activity']);
    expect(redactor.scrub('activity log, ACTIVITY')).toBe('activity log, ACTIVITY');
    expect(redactor.scrub('secret Activity')).toBe(`secret ${REDACTED}`);
  });

  it('removes a secret with every character percent-escaped, in either hex case', () => {
    const redactor = createRedactor([secret]);
    const lower = everyChar(secret);
    expect(lower).toMatch(/^%74%6f%6b/);
    expect(redactor.scrub(`a ${lower} b`)).toBe(`a ${REDACTED} b`);
    expect(redactor.scrub(`a ${lower.toUpperCase()} b`)).toBe(`a ${REDACTED} b`);
  });

  it('removes a secret with only some characters percent-escaped, hex cases mixed', () => {
    const redactor = createRedactor(['S3cr3t-value-0001']);
    expect(redactor.scrub('echo S3cr3t%2Dvalue%2d0001 end')).toBe(`echo ${REDACTED} end`);
    expect(redactor.scrub('echo S3cr3t-v%61lue-0001 end')).toBe(`echo ${REDACTED} end`);
  });

  it('leaves a text whose percent-escapes spell no secret exactly as it was', () => {
    const redactor = createRedactor([secret]);
    const text = 'GET /a%20b?q=%2F%zz 100%';
    expect(redactor.scrub(text)).toBe(text);
  });
});

describe('a long run of short-lived tokens (review R-HOSTILE2 M1)', () => {
  const SECRET = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
  const token = (i: number) => `eyJhbGciOiJIUzI1NiJ9.token-${String(i).padStart(6, '0')}.signature`;

  it('keeps the forms of the last 8 tokens beside the secret, however many it was given', () => {
    const redactor = createRedactor([SECRET]);
    for (let i = 1; i <= 1000; i++) redactor.add(token(i));
    const fresh = createRedactor([SECRET]);
    for (let i = 993; i <= 1000; i++) fresh.add(token(i));
    expect(redactor.forms()).toEqual(fresh.forms());
    for (let i = 993; i <= 1000; i++) expect(redactor.scrub(`bearer ${token(i)}`)).toBe(`bearer ${REDACTED}`);
    // Eight newer tokens were drawn after it, each once the one before had lived half its life:
    // long expired, it is left as a server may quote it.
    expect(redactor.scrub(`bearer ${token(992)}`)).toBe(`bearer ${token(992)}`);
  });

  it('keeps the secrets it was created with for good', () => {
    const redactor = createRedactor([SECRET]);
    for (let i = 1; i <= 1000; i++) redactor.add(token(i));
    expect(redactor.scrub(`secret ${SECRET}`)).toBe(`secret ${REDACTED}`);
    expect(redactor.scrub(Buffer.from(SECRET).toString('base64'))).toBe(REDACTED);
    expect(redactor.scrub(`secret ${SECRET.toUpperCase()}`)).toBe(`secret ${REDACTED}`);
  });

  it('keeps as many tokens as it is told to', () => {
    const redactor = createRedactor([], { remembered: 2 });
    for (let i = 1; i <= 3; i++) redactor.add(token(i));
    expect(redactor.scrub(`${token(1)} ${token(2)} ${token(3)}`)).toBe(`${token(1)} ${REDACTED} ${REDACTED}`);
  });

  it('keeps a token a request in flight carries, however many came since (review R-HOSTFIX M2)', () => {
    const redactor = createRedactor();
    redactor.add(token(1));
    const release = redactor.carry(token(1));
    // 401s draw 40 tokens, each carried by a quick attempt, while the slow request waits.
    for (let i = 2; i <= 41; i++) {
      redactor.add(token(i));
      redactor.carry(token(i))();
    }
    const echo = `boom Authorization: bearer ${token(1)}`;
    expect(redactor.scrub(echo)).toBe(`boom Authorization: bearer ${REDACTED}`);
    release();
    release(); // A second release does not release another carrier.
    expect(redactor.scrub(echo)).toBe(echo);
    expect(redactor.scrub(token(41))).toBe(REDACTED);
    expect(redactor.scrub(token(34))).toBe(REDACTED);
    expect(redactor.scrub(token(33))).toBe(token(33));
  });

  it('keeps a token while any of its carriers is in flight, and at most `most` tokens', () => {
    const redactor = createRedactor([], { remembered: 1, most: 3 });
    redactor.add(token(1));
    const first = redactor.carry(token(1));
    const second = redactor.carry(token(1));
    redactor.add(token(2));
    first();
    expect(redactor.scrub(token(1))).toBe(REDACTED);
    second();
    expect(redactor.scrub(token(1))).toBe(token(1));
    expect(redactor.carry('never added')).toBeTypeOf('function');
    for (let i = 3; i <= 7; i++) {
      redactor.add(token(i));
      redactor.carry(token(i));
    }
    // All five carried, never released: the three latest are kept, the memory's bound.
    expect(redactor.scrub(`${token(3)} ${token(4)} ${token(5)} ${token(7)}`)).toBe(
      `${token(3)} ${token(4)} ${REDACTED} ${REDACTED}`,
    );
  });

  it('remembers as many tokens as the token provider does', async () => {
    const provider = await import('../../../functions/core/domo/token-provider.ts');
    expect(REMEMBERED_ADDED).toBe(provider.REMEMBERED_TOKENS);
  });
});

// Review R-LEAK L: an HTML page may spell every character of a secret as a character reference.
describe('a secret written as HTML character references', () => {
  it('is scrubbed, decimal or hex, with or without the semicolon', () => {
    const secret = 'b7e1c0d2a9f84e6b1c3d5e7f9a0b2c4d';
    const redactor = createRedactor([secret]);
    for (const spell of [
      (c: string) => `&#${c.charCodeAt(0)};`,
      (c: string) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`,
      (c: string) => `&#${c.charCodeAt(0)}`,
    ]) {
      const out = redactor.scrub(`<p>secret: ${[...secret].map(spell).join('')}</p>`);
      expect(out).toBe(`<p>secret: ${REDACTED}</p>`);
    }
  });
});
