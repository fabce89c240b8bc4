import { describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '../../../functions/core/domo/canonical-json.ts';
import {
  ExactNumber,
  exactValue,
  holdsLossyLiteral,
  lossy,
  normalisedNumber,
} from '../../../functions/core/domo/exact-numbers.ts';
import { cpuMsOf } from '../../support/cpu-time.ts';

const read = (text: string) => exactValue(JSON.parse(text), text, 32);

describe('lossy', () => {
  it.each([
    ['0', false],
    ['-0', false],
    ['1.0', false],
    ['1.5e3', false],
    ['0.1', false],
    ['9007199254740992', false],
    ['123456789012345', false],
    ['1e308', false],
    ['9007199254740993', true],
    ['12345678901234567891', true],
    ['0.10000000000000000001', true],
    ['1e400', true],
    ['1e-400', true],
  ])('%s: %s', (literal, expected) => {
    expect(lossy(literal, Number(literal))).toBe(expected);
  });
});

describe('exactValue (review R-HOSTILE2 M2)', () => {
  it('gives back the parsed value itself for an entry JSON.parse read exactly', () => {
    for (const text of [
      '{"time":1790000000001,"objectId":1234567890123}',
      '{"a":"12345678901234567891 in a string","b":1.0,"c":-0}',
      '{"n":9007199254740992}',
    ]) {
      const value = JSON.parse(text);
      expect(exactValue(value, text, 32)).toBe(value);
    }
  });

  it('reads a lossy number as served, at any depth, the rest as JSON.parse does', () => {
    const text = '{"b":[1,{"n":12345678901234567891}],"a":"x","__proto__":{"p":1},"d":1,"d":2}';
    const value = read(text) as Record<string, unknown>;
    expect(canonicalJson(value)).toBe(
      '{"__proto__":{"p":1},"a":"x","b":[1,{"n":12345678901234567891}],"d":2}',
    );
    expect((value.b as unknown[])[1]).toEqual({ n: new ExactNumber('12345678901234567891') });
    expect(canonicalJson(read(text.replace('91}', '92}')))).not.toBe(canonicalJson(value));
  });

  it('keeps the parsed value for an entry nested deeper than the limit', () => {
    const text = `{"n":12345678901234567891,"deep":${'['.repeat(40)}${']'.repeat(40)}}`;
    const value = JSON.parse(text);
    expect(exactValue(value, text, 32)).toBe(value);
  });
});

describe('a long literal (review R-HOSTFIX H1)', () => {
  // The old `/0+$/` trim backtracked over each start of a zero run: 100,000 zeros held the
  // event loop 7.7 s, 1,000,000 ~13 min. Each size here must come back within the test timeout.
  it.each([1_000, 100_000, 1_000_000])('reads a nested 1.0…01 with %i zeros', (zeros) => {
    const literal = `1.${'0'.repeat(zeros)}1`;
    const text = `{"a":[${literal}],"b":"x"}`;
    expect(lossy(literal, 1)).toBe(true);
    const value = read(text) as { a: unknown[] };
    expect(value.a[0]).toEqual(new ExactNumber(`1${'0'.repeat(zeros)}1e-${zeros + 1}`));
  });

  it('compares a padded literal as a short one: exact, and the id of the short one', () => {
    // Review R-HOSTFIX2 L1: a cut at 1,100 characters took these as lossy and gave them new ids.
    const padded = `0.5${'0'.repeat(2_000)}`;
    expect(lossy(padded, 0.5)).toBe(false);
    expect(canonicalJson(read(`{"a":[${padded}],"b":${padded}}`))).toBe('{"a":[0.5],"b":0.5}');
    expect(lossy(`1.5${'0'.repeat(1_200)}`, 1.5)).toBe(false);
    expect(lossy(`0.25e${'0'.repeat(1_200)}`, 0.25)).toBe(false);
  });
});

describe('the lossy number in one form (review R-HOSTFIX L2)', () => {
  it('hashes one value written several ways as one number', () => {
    const forms = ['12345678901234567891', '1.2345678901234567891E19', '12345678901234567891.0'];
    const texts = forms.map((n) => canonicalJson(read(`{"a":[${n}]}`)));
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toBe('{"a":[12345678901234567891]}');
  });

  it.each([
    ['12345678901234567890', '12345678901234567890'],
    ['-1.5e-400', '-15e-401'],
    ['1E+400', '1e400'],
    ['0.10000000000000000001', '10000000000000000001e-20'],
    ['1e-99999999999999999999999', '1e-99999999999999999999999'],
  ])('%s is written %s', (literal, form) => {
    expect(normalisedNumber(literal)).toBe(form);
  });
});

describe('an exponent past 2^53 (review R-LAST L3)', () => {
  const id = (literal: string) => canonicalJson(read(`{"a":[${literal}]}`));

  it.each([
    // 1e9007199254740992 and 1e9007199254740991: the written exponent rounded, then shifted back.
    ['0.1e9007199254740993', '1e9007199254740991'],
    // 1e-9007199254740992 and 1e-9007199254740991: a safe exponent shifted past 2^53 and back.
    ['0.10e-9007199254740991', '1e-9007199254740991'],
  ])('gives %s and %s, two values, two ids', (one, other) => {
    expect(id(one)).not.toBe(id(other));
    expect(id(one)).toBe(`{"a":[${one}]}`);
    expect(id(other)).toBe(`{"a":[${other}]}`);
  });

  it('keeps the form of an exponent under 2^53, and zero with any exponent as 0', () => {
    expect(normalisedNumber('10e9007199254740990')).toBe('1e9007199254740991');
    expect(normalisedNumber('1.5e-9007199254740990')).toBe('15e-9007199254740991');
    expect(normalisedNumber(`0.0e${'9'.repeat(30)}`)).toBe('0');
    expect(lossy(`0e${'9'.repeat(30)}`, 0)).toBe(false);
  });

  it('reads a 1,000,000-digit exponent in time linear in its length', async () => {
    // Number() of the exponent's text: one pass. 4 ms on the 2-core machine of review R-LAST.
    const literal = `0.1e-${'9'.repeat(1_000_000)}`;
    const { value, ms } = await cpuMsOf(() => id(literal));
    expect(value).toBe(`{"a":[${literal}]}`);
    expect(ms).toBeLessThan(2_000);
  });
});

describe('which entries are read a second time (review R-HOSTFIX L3)', () => {
  it.each([
    ['a numeric id of 20 digits in a string', '{"a":{"ref":"12345678901234567890"}}', false],
    ['an ellipsis of dots', '{"a":["see ................"]}', false],
    ['digits in a key', '{"12345678901234567890":{"e123":1}}', false],
    ['an exponent in a string', '{"a":["1e400"]}', false],
    ['digits after an escaped quote', '{"a":["\\"12345678901234567890\\\\"]}', false],
    ['a 16-digit id under 2^53', '{"a":{"n":1234567890123456}}', false],
    ['a double in its shortest text', '{"a":[-1.7976931348623157e308,5e-324]}', false],
    ['digits past 2^53', '{"a":{"n":12345678901234567891}}', true],
    ['digits past 2^53 after a string', '{"s":"\\\\","a":[-12345678901234567891]}', true],
    ['a value out of range', '{"a":[1E+400]}', true],
    ['a value that rounds to 0', '{"a":[1e-400]}', true],
    ['a fraction JSON.parse rounds', '{"a":[0.10000000000000000001]}', true],
  ])('%s: %s', (_name, text, expected) => {
    JSON.parse(text);
    expect(holdsLossyLiteral(text)).toBe(expected);
  });

  it('gives back an entry with digits in a nested string without reading it again', () => {
    // The second read parses each string with JSON.parse: none is called.
    const text = '{"time":1790000000001,"details":{"ref":"12345678901234567890","n":1234567890123456}}';
    const value = JSON.parse(text);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(exactValue(value, text, 32)).toBe(value);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('passes strings in time linear in their length', async () => {
    const text = JSON.stringify({ a: ['1'.repeat(1_000_000), '"'.repeat(100_000), '\\'.repeat(100_000)] });
    const { value, ms } = await cpuMsOf(() => holdsLossyLiteral(text));
    expect(value).toBe(false);
    expect(ms).toBeLessThan(2_000);
  });
});
