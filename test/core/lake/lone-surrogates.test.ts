import { describe, expect, it } from 'vitest';
import {
  holdsLoneSurrogate,
  mayHoldLoneSurrogate,
  wellFormedRecord,
} from '../../../functions/core/lake/lone-surrogates.ts';

// What Domo served: the escape of half an emoji, as text. It stays in `raw` byte for byte.
const servedText = '{"userName":"Bo \\ud83d","x":{"y":["\\udc00"]}}';

describe('lone surrogates', () => {
  it('may be in a served text only when it spells a surrogate escape, or holds one itself', () => {
    expect(mayHoldLoneSurrogate(servedText)).toBe(true);
    expect(mayHoldLoneSurrogate('{"a":"\\uDBFF"}')).toBe(true);
    expect(mayHoldLoneSurrogate('{"a":"Bo \ud83d"}')).toBe(true);
    expect(mayHoldLoneSurrogate('{"a":"an emoji \ud83d\ude00, caf\\u00e9, a\\\\b"}')).toBe(false);
    expect(mayHoldLoneSurrogate('{"a":"\\u0041\\ue000"}')).toBe(false);
  });

  it('are found in strings at any depth, and whole pairs are not', () => {
    expect(holdsLoneSurrogate({ a: 'Bo \ud83d' })).toBe(true);
    expect(holdsLoneSurrogate({ a: 1, b: { c: [null, '\udc00 low first'] } })).toBe(true);
    expect(holdsLoneSurrogate({ a: 'an emoji \ud83d\ude00', raw: servedText, n: null })).toBe(false);
  });

  it('become U+FFFD in every string, nested ones too; raw escapes stay as served', () => {
    const record = { a: 'Bo \ud83d', n: 1, z: null, nested: { list: ['\udc00x', true] }, raw: servedText };
    expect(wellFormedRecord(record)).toEqual({
      a: 'Bo \ufffd',
      n: 1,
      z: null,
      nested: { list: ['\ufffdx', true] },
      raw: servedText,
    });
    const plain = { a: 'an emoji \ud83d\ude00', raw: servedText };
    expect(wellFormedRecord(plain)).toBe(plain);
  });
});
