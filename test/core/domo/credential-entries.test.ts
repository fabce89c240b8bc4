import { describe, expect, it } from 'vitest';
import { withCredentialEntries } from '../../../functions/core/domo/credential-entries.ts';
import { createRedactor } from '../../../functions/core/domo/redactor.ts';
import { cpuMsOf } from '../../support/cpu-time.ts';

// A `\u` escape can spell a letter or a digit: the secret written with such escapes is the same
// JSON string as the secret itself, and no fixed list of encoded forms covers every mix of them
// (review F-E: one `\u0053` had the secret stored in `raw` and in the columns).
const SECRET = 'S3cretHostile0123456789abcdefXYZ';
const BASIC = Buffer.from(`client-abc:${SECRET}`).toString('base64');
const scan = () => createRedactor([SECRET, BASIC, BASIC.replace(/=+$/, '')]);

/** Each character as a `\u` escape, in lower- or upper-case hex by turns. */
const escapedAll = (text: string): string =>
  [...text]
    .map((char, i) => {
      const hex = char.charCodeAt(0).toString(16).padStart(4, '0');
      return `\\u${i % 2 === 0 ? hex : hex.toUpperCase()}`;
    })
    .join('');

interface Page {
  entries: unknown[];
  entryTexts: string[];
  credentialEntries?: number[];
}

/** The page the client decodes a served body into, with the body's bytes. */
const served = (texts: string[]) => {
  const body = Buffer.from(`[${texts.join(',')}]`, 'utf8');
  const page: Page = { entries: texts.map((text) => JSON.parse(text) as unknown), entryTexts: [...texts] };
  return { page: { ok: true as const, value: page }, body };
};

const scanned = (texts: string[]) => {
  const { page, body } = served(texts);
  const result = withCredentialEntries(page, body, scan());
  if (!result.ok) throw new Error(result.reason);
  return result.value;
};

/** What the lake would keep: the texts and the parsed entries, and both with escapes decoded. */
const kept = (value: { entries: unknown[]; entryTexts: string[] }): string => {
  const text = JSON.stringify([value.entries, value.entryTexts]);
  return `${text}\n${text.replace(/\\+u([0-9A-Fa-f]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))}`;
};

describe('an entry holding the credential written with \\u escapes', () => {
  it("lists and scrubs the reviewer's entry: one letter escaped", () => {
    const echoed = `{"time":1000,"note":"client secret \\u0053${SECRET.slice(1)}"}`;
    const value = scanned(['{"time":999,"note":"clean"}', echoed]);
    expect(JSON.parse(echoed).note).toBe(`client secret ${SECRET}`);
    expect(value.credentialEntries).toEqual([1]);
    expect(value.entryTexts[1]).toBe('{"time":1000,"note":"client secret [redacted]"}');
    expect(value.entries[1]).toEqual({ time: 1000, note: 'client secret [redacted]' });
    expect(value.entryTexts[0]).toBe('{"time":999,"note":"clean"}');
    expect(kept(value)).not.toContain(SECRET);
  });

  it('lists every letter and digit escaped, in either hex case, and the Basic credential', () => {
    const value = scanned([
      `{"time":1000,"note":"${escapedAll(SECRET)}"}`,
      `{"time":1001,"Authorization":"Basic ${escapedAll(BASIC)}"}`,
      `{"time":1002,"note":"${SECRET.slice(0, 10)}\\u${SECRET.charCodeAt(10).toString(16).padStart(4, '0')}${SECRET.slice(11)}"}`,
    ]);
    expect(value.credentialEntries).toEqual([0, 1, 2]);
    expect(value.entries).toEqual([
      { time: 1000, note: '[redacted]' },
      { time: 1001, Authorization: 'Basic [redacted]' },
      { time: 1002, note: '[redacted]' },
    ]);
    const text = kept(value);
    for (const secret of [SECRET, BASIC.replace(/=+$/, '')]) expect(text).not.toContain(secret);
  });

  it('lists the escapes of a JSON document inside a string field, escaped once more', () => {
    const inner = JSON.stringify({ Authorization: 'Basic x', secret: 'placeholder' }).replace(
      'placeholder',
      `\\u0053${SECRET.slice(1)}`,
    );
    // The inner document's `\u0053` is served as `\\u0053`.
    const echoed = JSON.stringify({ time: 1000, additionalComment: inner });
    expect(echoed).toContain('\\\\u0053');
    const value = scanned([echoed]);
    expect(value.credentialEntries).toEqual([0]);
    expect(value.entries[0]).toEqual({
      time: 1000,
      additionalComment: '{"Authorization":"Basic x","secret":"[redacted]"}',
    });
    expect(kept(value)).not.toContain(SECRET);
  });

  it('scrubs a secret whose other characters are escaped in a mix no listed form has', () => {
    // `+` escaped, `/` plain, a letter escaped: no form of the redactor's, the decoded text holds
    // the secret, and the entry is scrubbed from that text.
    const secret = 'S3cr3t+Value/7f3a9c2e-zz';
    const mixed = `\\u0053${secret.slice(1).replace('+', '\\u002B')}`;
    const echoed = `{"time":1000,"note":"${mixed}"}`;
    expect(JSON.parse(echoed).note).toBe(secret);
    const body = Buffer.from(`[${echoed}]`, 'utf8');
    const value: Page = { entries: [JSON.parse(echoed) as unknown], entryTexts: [echoed] };
    const page = { ok: true as const, value };
    const result = withCredentialEntries(page, body, createRedactor([secret]));
    if (!result.ok) throw new Error(result.reason);
    expect(result.value.credentialEntries).toEqual([0]);
    expect(result.value.entries[0]).toEqual({ time: 1000, note: '[redacted]' });
    expect(kept(result.value)).not.toContain(secret);
  });

  it('leaves a page whose escapes spell no credential as served', () => {
    const texts = [
      '{"time":1000,"userName":"Ren\\u00e9e","note":"a \\u003d b \\u003C c"}',
      `{"time":1001,"note":"${escapedAll(SECRET.slice(0, 20))}"}`,
      '{"time":1002,"path":"C:\\\\users\\\\u0053hared"}',
    ];
    const { page, body } = served(texts);
    const result = withCredentialEntries(page, body, scan());
    expect(result).toBe(page);
    expect(page.value.entryTexts).toEqual(texts);
    expect(page.value).not.toHaveProperty('credentialEntries');
  });

  it('reads a hostile run of backslashes in time linear in its length', async () => {
    // A run of backslashes matched from every one of its characters took quadratic time.
    const echoed = `{"time":1000,"note":"${'\\\\'.repeat(100_000)}x \\u0053"}`;
    const { value, ms } = await cpuMsOf(() => scanned([echoed]));
    expect(ms).toBeLessThan(2000);
    expect(value).not.toHaveProperty('credentialEntries');
  });
});

describe('an entry holding the credential in hex, another case or percent-escaped (review R-HOSTILE 4)', () => {
  const hex = Buffer.from(SECRET).toString('hex');
  const everyChar = (text: string) =>
    [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  /** The texts a lake would keep, with percent-escapes decoded too, in lower case. */
  const keptAnyhow = (value: { entries: unknown[]; entryTexts: string[] }): string => {
    const text = kept(value);
    return `${text}\n${decodeURIComponent(text.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'))}`.toLowerCase();
  };
  const forms: Record<string, string> = {
    'hex in lower case': hex,
    'hex in upper case': hex.toUpperCase(),
    'the hex of the Basic credential': Buffer.from(BASIC).toString('hex'),
    'the secret upper-cased': SECRET.toUpperCase(),
    'the secret lower-cased': SECRET.toLowerCase(),
    'the Basic credential upper-cased': BASIC.toUpperCase(),
    'the Basic credential lower-cased': BASIC.toLowerCase(),
    'every character percent-escaped': everyChar(SECRET),
    'every character percent-escaped, upper-case hex': everyChar(SECRET).toUpperCase(),
    'the Basic credential percent-escaped': everyChar(BASIC),
  };
  for (const [name, echoed] of Object.entries(forms)) {
    it(`lists and scrubs ${name}`, () => {
      const clean = '{"time":999,"note":"clean","url":"https://x.test/a%20b"}';
      const value = scanned([clean, `{"time":1000,"note":"Authorization: ${echoed}"}`]);
      expect(value.credentialEntries).toEqual([1]);
      expect(value.entryTexts[0]).toBe(clean);
      expect(keptAnyhow(value)).not.toContain(SECRET.toLowerCase());
      expect(keptAnyhow(value)).not.toContain(hex);
    });
  }

  it('lists a secret whose other characters an encoder escaped, in either hex case', () => {
    // More than encodeURIComponent escapes: `-` as `%2D` (or `%2d`), letters and digits plain.
    const secret = 'S3cr3t-value-for-test-0001x';
    for (const echoed of ['S3cr3t%2Dvalue%2Dfor%2Dtest%2D0001x', 'S3cr3t%2dvalue%2dfor%2dtest%2d0001x']) {
      const texts = [`{"time":1000,"note":"${echoed}"}`];
      const result = withCredentialEntries(served(texts).page, served(texts).body, createRedactor([secret]));
      if (!result.ok) throw new Error(result.reason);
      expect(result.value.credentialEntries, echoed).toEqual([0]);
      expect(result.value.entries[0]).toEqual({ time: 1000, note: '[redacted]' });
    }
  });

  it('stores an entry holding a short secret as a word in another case', () => {
    // Review R-DEADLINE2: the secret `Activity` matched in any case quarantined "activity log".
    const texts = ['{"time":1000,"note":"activity log","kind":"ACTIVITY"}'];
    const { page, body } = served(texts);
    const result = withCredentialEntries(page, body, createRedactor(['Activity']));
    expect(result).toBe(page);
    expect(page.value.entryTexts).toEqual(texts);
  });

  it('reads no entry of a page whose percent-escapes are of other bytes', () => {
    // The page's escapes are never decoded: an entry is looked at only when a pattern is in the
    // bytes, so a page of URLs costs the searches alone.
    const texts = [
      '{"time":1,"url":"https://x.test/a%20b%2Fc?d=%3D%2B%2f"}',
      `{"time":2,"note":"${SECRET.slice(0, 10)}%20${SECRET.slice(10)}"}`,
    ];
    const { page, body } = served(texts);
    const redactor = scan();
    let scrubbed = 0;
    const counting = {
      ...redactor,
      scrub: (text: string) => {
        scrubbed++;
        return redactor.scrub(text);
      },
    };
    const result = withCredentialEntries(page, body, counting);
    expect(result).toBe(page);
    expect(scrubbed).toBe(0);
    expect(page.value.entryTexts).toEqual(texts);
  });
});

describe('an entry holding the Base64 of a text the credential is part of (review R-HOSTILE2 L1)', () => {
  // The reviewer's server: Base64 of `<secret>`, `s=<secret>`, `sc=<secret>`, `sec=<secret>`; and
  // of the secret followed by more text, which changes the last group at any offset.
  const encodings = (secret: string) =>
    ['', 's=', 'sc=', 'sec='].flatMap((before) =>
      ['', '&next=1'].flatMap((after) =>
        (['base64', 'base64url'] as const).map((alphabet) => ({
          shown: `${alphabet}(${before}<credential>${after})`,
          encoded: Buffer.from(`${before}${secret}${after}`).toString(alphabet),
        })),
      ),
    );

  for (const [name, credential] of [
    ['secret', SECRET],
    ['Basic credential', BASIC],
  ] as const) {
    it(`lists the ${name} at every byte offset, in both alphabets, and scrubs it`, () => {
      const cases = encodings(credential);
      const texts = cases.map(({ encoded }, i) =>
        JSON.stringify({ time: 1000 + i, additionalComment: encoded }),
      );
      const value = scanned(['{"time":999,"note":"clean"}', ...texts]);
      expect(value.credentialEntries).toEqual(cases.map((_, i) => i + 1));
      for (const text of value.entryTexts.slice(1)) {
        const comment = String(JSON.parse(text).additionalComment);
        for (const alphabet of ['base64', 'base64url'] as const) {
          expect(Buffer.from(comment, alphabet).toString('latin1')).not.toContain(credential.slice(3, -3));
        }
      }
    });
  }

  it('scrubs it from a message too', () => {
    const redactor = scan();
    for (const { shown, encoded } of encodings(SECRET)) {
      expect(redactor.scrub(`echo ${encoded} end`), shown).toMatch(/^echo .*\[redacted\].* end$/);
    }
  });
});

describe('an entry holding the credential in Base64 wrapped at 76 columns', () => {
  // MIME writes Base64 in lines of 76 characters: every echo longer than a line is cut by a `\r\n`
  // (escaped in the JSON text), so none of the forms found it, at any byte offset.
  const HEX_SECRET = 'a3f1c9e07b5d42e8a6c1f0b9d8e7a6c5b4a3928170f6e5d4c3b2a1908f7e6d5c';
  const wrapped = (text: string, lineBreak: string) =>
    (
      Buffer.from(text)
        .toString('base64')
        .match(/.{1,76}/g) ?? []
    ).join(lineBreak);

  for (const [name, credential, redactor] of [
    ['a Domo secret of 64 hex digits', HEX_SECRET, () => createRedactor([HEX_SECRET])],
    ['the secret', SECRET, scan],
    ['the Basic credential', BASIC, scan],
  ] as const) {
    it(`lists and scrubs ${name} at every byte offset and column, \\r\\n or \\n`, () => {
      // 57 texts before it: each of the 3 byte offsets at each of the 19 groups a line holds.
      const cases = ['\r\n', '\n'].flatMap((lineBreak) =>
        Array.from({ length: 57 }, (_, before) =>
          wrapped(`${'x'.repeat(before)}${credential}&next=1`, lineBreak),
        ),
      );
      const texts = cases.map((encoded, i) => JSON.stringify({ time: 1000 + i, additionalComment: encoded }));
      const { page, body } = served(['{"time":999,"note":"clean"}', ...texts]);
      const result = withCredentialEntries(page, body, redactor());
      if (!result.ok) throw new Error(result.reason);
      expect(result.value.credentialEntries).toEqual(cases.map((_, i) => i + 1));
      for (const text of result.value.entryTexts.slice(1)) {
        const comment = String(JSON.parse(text).additionalComment).replace(/\r?\n/g, '');
        expect(comment).toContain('[redacted]');
        expect(Buffer.from(comment, 'base64').toString('latin1')).not.toContain(credential.slice(3, -3));
      }
    });
  }

  it('scrubs it from a message, with its line breaks as characters or escaped twice', () => {
    const redactor = createRedactor([HEX_SECRET]);
    for (const lineBreak of ['\r\n', '\n', '\\\\r\\\\n']) {
      const message = `echo ${wrapped(`s=${HEX_SECRET}`, lineBreak)} end`;
      expect(redactor.scrub(message), JSON.stringify(lineBreak)).toMatch(
        /^echo .{0,8}\[redacted\].{0,12} end$/s,
      );
    }
  });

  // Review R-LEAK M2: the pieces looked for were whole only in lines of 40 or more, and a secret of
  // under 24 bytes had none, so such echoes were stored, decodable to `id:secret`.
  it('quarantines an echo of the Basic credential wrapped in narrow lines, or of a short secret', () => {
    const cases: [string, number][] = [
      [HEX_SECRET, 32],
      [HEX_SECRET, 12],
      ['0123456789abcdef0123', 64],
    ];
    for (const [secret, width] of cases) {
      const basic = Buffer.from(`3f2b8c1e-9a4d-4e7f-b1c2-5d6e7f8a9b0c:${secret}`).toString('base64');
      const redactor = createRedactor([secret, basic, basic.replace(/=+$/, '')]);
      const lines = (`Authorization: Basic ${basic}`.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join(
        '\r\n',
      );
      const entries = [
        JSON.stringify({ time: 1000, note: lines }),
        JSON.stringify({ time: 1001, note: 'a\nb' }),
      ];
      const { page, body } = served(entries);
      const result = withCredentialEntries(page, body, redactor);
      if (!result.ok) throw new Error(result.reason);
      expect(result.value.credentialEntries, `${secret.length} at ${width}`).toEqual([0]);
      expect(result.value.entryTexts[0]).not.toContain(basic.slice(48, 56));
      expect(result.value.entryTexts[1]).toBe(entries[1]);
    }
  });

  /** `text` in Base64 after `prefix`, the whole cut in lines of `width` characters. */
  const wrappedAt = (text: string, width: number, lineBreak: string, prefix = '') =>
    (`${prefix}${Buffer.from(text).toString('base64')}`.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join(
      lineBreak,
    );

  /**
   * Whether `comment` still holds 12 bytes of the secret in a row, in its Base64 at any alignment,
   * line breaks and spaces taken out: a scrub that removed only a piece left about half of it.
   */
  const stillHolds = (comment: string, secret: string, prefix = '') => {
    const joined = comment.replace(/\\+[rn]|[\r\n \t]/g, '').replace(prefix.replace(/ /g, ''), '');
    const decoded = joined
      .split('[redacted]')
      .flatMap((part) =>
        [0, 1, 2, 3].map((shift) => Buffer.from(part.slice(shift), 'base64').toString('latin1')),
      );
    return Array.from({ length: secret.length - 11 }, (_, at) => secret.slice(at, at + 12)).some((run) =>
      decoded.some((text) => text.includes(run)),
    );
  };

  // Review R-HOSTFIX3 L1 and L2: breaks spelled \u000a, breaks inside groups (something before
  // the Base64 on its first line), folded lines, and lines of 64 and 40 characters.
  it.each([
    ['\\u000d\\u000a', 76, ''],
    ['\\u000a', 76, ''],
    ['\r\n', 76, 'Authorization: Basic '],
    ['\r\n ', 76, ''],
    // Review R-LAST3 L2: escaped five times in the JSON text (eight backslashes here, doubled by
    // stringify), and an indent of 12 after each break.
    [`${'\\'.repeat(8)}n`, 76, ''],
    [`\n${' '.repeat(12)}`, 76, ''],
    ['\n', 64, ''],
    ['\n', 40, ''],
  ])(
    'quarantines and scrubs it wrapped with %j in lines of %i (%j before it)',
    (lineBreak, width, prefix) => {
      const cases = Array.from({ length: 3 * width }, (_, before) =>
        wrappedAt(
          `${'x'.repeat(before % 3)}${'y'.repeat(Math.floor(before / 3))}${HEX_SECRET}&n=1`,
          width,
          lineBreak,
          prefix,
        ),
      );
      // The breaks as the JSON text holds them: \u000a spelled out, the others escaped by stringify.
      const texts = cases.map((comment, i) =>
        JSON.stringify({ time: 1000 + i, additionalComment: comment }).replaceAll('\\\\u000', '\\u000'),
      );
      const { page, body } = served(texts);
      const result = withCredentialEntries(page, body, createRedactor([HEX_SECRET]));
      if (!result.ok) throw new Error(result.reason);
      expect(result.value.credentialEntries).toEqual(cases.map((_, i) => i));
      for (const text of result.value.entryTexts) {
        const comment = String(JSON.parse(text).additionalComment);
        expect(comment).toContain('[redacted]');
        expect(stillHolds(comment, HEX_SECRET, prefix)).toBe(false);
      }
    },
  );

  // Review R-LAST2 M1: a break allowed between any two characters, unbounded, backtracked
  // quadratically through a run of escaped line breaks after a piece (3.9 s for 32,000, a Lambda's
  // whole run for a megabyte); bounded, such an entry is read in milliseconds.
  it('scrubs an entry with a piece and a long run of escaped line breaks in linear time', async () => {
    // A secret whose Base64 starts with N: each `n` of an escaped line feed can start a match, which
    // the unbounded loop then ran through the rest of the run.
    const secret = '5e0c2a9b7d13f8e46a1c0b9d2e7f3a8c41d6b0e95f2a7c3e8d1b4a6f09c5e2d7';
    expect(Buffer.from(secret).toString('base64')).toMatch(/^N/);
    const redactor = createRedactor([secret]);
    const piece = redactor.wrappedPieces()[0] as string;
    const entry = JSON.stringify({ time: 1000, note: `${piece}\nN${'\n'.repeat(64_000)}end` });
    const { page, body } = served([entry]);
    const { value: result, ms } = await cpuMsOf(() => withCredentialEntries(page, body, redactor));
    expect(ms).toBeLessThan(1_000);
    if (!result.ok) throw new Error(result.reason);
    expect(result.value.credentialEntries).toEqual([0]);
  });

  // Review R-HOSTFIX3 M1: a piece counted wherever the page held a line break let an entry's
  // neighbours decide, so one entry landed in both tables across pulls with other page bounds.
  it('judges an entry by its own text: a bare piece with no line break of its own is no wrapped echo', () => {
    const bare = JSON.stringify({
      time: 1000,
      proxyHeader: `Authorization: Basic ${Buffer.from(`s=${HEX_SECRET}`).toString('base64').slice(0, 60)}`,
    });
    const multiLine = JSON.stringify({ time: 1001, note: 'line one\nline two' });
    const redactor = createRedactor([HEX_SECRET]);
    expect(redactor.wrappedPieces().some((piece) => bare.includes(piece))).toBe(true);
    for (const texts of [[bare], [bare, multiLine], [multiLine, bare]]) {
      const { page, body } = served(texts);
      const result = withCredentialEntries(page, body, redactor);
      if (!result.ok) throw new Error(result.reason);
      expect(result.value.credentialEntries ?? [], JSON.stringify(texts.length)).toEqual([]);
    }
    // A wrapped echo whose only line breaks are spelled \u000a is found with nothing else on the page.
    const spelled = JSON.stringify({ time: 1002, note: wrappedAt(`s=${HEX_SECRET}`, 76, '\n') }).replaceAll(
      '\\n',
      '\\u000a',
    );
    const alone = served([spelled]);
    const result = withCredentialEntries(alone.page, alone.body, redactor);
    if (!result.ok) throw new Error(result.reason);
    expect(result.value.credentialEntries).toEqual([0]);
  });

  it('leaves a page of other wrapped Base64 and line breaks as served', () => {
    const other = wrapped(`${'y'.repeat(40)}${HEX_SECRET.slice(0, 20)}${'z'.repeat(200)}`, '\r\n');
    const texts = [
      JSON.stringify({ time: 1000, additionalComment: other }),
      JSON.stringify({ time: 1001, note: `line one\r\nline two\n${HEX_SECRET.slice(0, 30)}` }),
    ];
    const { page, body } = served(texts);
    const result = withCredentialEntries(page, body, createRedactor([HEX_SECRET]));
    expect(result).toBe(page);
    expect(page.value.entryTexts).toEqual(texts);
  });
});
