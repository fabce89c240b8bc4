import { describe, expect, it } from 'vitest';
import { entryWeightOfText } from '../../../functions/core/domo/entry-weight.ts';
import { type ElementSizes, splitJsonArray } from '../../../functions/core/domo/split-json-array.ts';

const FAT = 'f'.repeat(3400);

/** The weights the splitter gives the entries of one page made of `bytes`. */
function weightsOf(bytes: Buffer): number[] {
  const sizes: ElementSizes = { bytes: [], weights: [] };
  splitJsonArray(bytes, sizes);
  return sizes.weights;
}

const page = (entries: string[]): Buffer => Buffer.from(`[${entries.join(',')}]`, 'utf8');

describe('the weight of an entry V8 holds at two bytes a character (review R-HOSTILE HIGH-1)', () => {
  it('is two bytes a character once one character is past U+00FF, its bytes otherwise', () => {
    const ascii = JSON.stringify({ a: `${FAT}1` });
    const latin1 = JSON.stringify({ a: `é${FAT}` });
    const euro = JSON.stringify({ a: `€${FAT}` });
    const japanese = JSON.stringify({ a: '売上ダッシュボード'.repeat(300) });
    const weights = weightsOf(page([ascii, latin1, euro, japanese]));
    expect(weights[0]).toBe(Buffer.byteLength(ascii));
    expect(weights[1]).toBe(Buffer.byteLength(latin1));
    // 3,409 characters held at two bytes each: nearly twice its 3,411 bytes.
    expect(weights[2]).toBe(2 * euro.length);
    expect(weights[2]).toBeGreaterThan(1.9 * Buffer.byteLength(euro));
    // Three bytes a character in UTF-8, two in V8: its bytes are the more.
    expect(weights[3]).toBe(Buffer.byteLength(japanese));
    expect(weights).toEqual([ascii, latin1, euro, japanese].map(entryWeightOfText));
  });

  it('counts an escape past U+00FF, not one of Latin-1 nor an escaped backslash before a u', () => {
    const escaped = String.raw`{"a":"\u20ac${FAT}"}`;
    const surrogate = String.raw`{"a":"\ud83d${FAT}"}`;
    const latin1 = String.raw`{"a":"\u00e9${FAT}"}`;
    const backslash = String.raw`{"a":"\\u20ac${FAT}"}`;
    const entries = [escaped, latin1, backslash, surrogate];
    const weights = weightsOf(page(entries));
    expect(weights).toEqual([2 * escaped.length, latin1.length, backslash.length, 2 * surrogate.length]);
    expect(weights).toEqual(entries.map(entryWeightOfText));
  });

  it('weighs at two bytes a character an entry whose invalid UTF-8 is decoded to U+FFFD', () => {
    const valid = Buffer.from(`{"a":"${FAT}"}`);
    const invalid = Buffer.from(`{"a":"x${FAT}"}`);
    invalid[6] = 0xff;
    const bytes = Buffer.concat([Buffer.from('['), valid, Buffer.from(','), invalid, Buffer.from(']')]);
    expect(weightsOf(bytes)).toEqual([valid.length, 2 * invalid.length]);
  });

  it('looks at each entry alone on a page of many: a wide one does not weigh its neighbours', () => {
    const plain = JSON.stringify({ a: FAT });
    const wide = String.raw`{"a":"\u4e00${FAT}"}`;
    const euro = `{"b":"€${FAT}"}`;
    const entries = [plain, wide, plain, euro, plain, wide];
    expect(weightsOf(page(entries))).toEqual(entries.map(entryWeightOfText));
    expect(weightsOf(page(entries))).toEqual([
      plain.length,
      2 * wide.length,
      plain.length,
      2 * euro.length,
      plain.length,
      2 * wide.length,
    ]);
  });
});
