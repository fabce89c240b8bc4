import { describe, expect, it } from 'vitest';
import {
  type ElementSizes,
  JsonArraySplitError,
  splitJsonArray,
  splitJsonArrayUpTo,
} from '../../../functions/core/domo/split-json-array.ts';

const upTo = (text: string, maxTexts: number, sizes?: ElementSizes) =>
  splitJsonArrayUpTo(Buffer.from(text, 'utf8'), maxTexts, sizes);

describe('splitJsonArrayUpTo (review 39, item 2)', () => {
  it('makes the text and sizes of the first elements only, and counts them all', () => {
    const sizes: ElementSizes = { bytes: [], weights: [] };
    expect(upTo(' [ {"a":1} , [2,3] ,"x", {} ] ', 2, sizes)).toEqual({
      texts: ['{"a":1}', '[2,3]'],
      elements: 4,
    });
    expect(sizes).toEqual({ bytes: [7, 5], weights: [64, 64 + 24] });
    expect(upTo('[]', 0)).toEqual({ texts: [], elements: 0 });
    expect(upTo('[7]', 0)).toEqual({ texts: [], elements: 1 });
    expect(upTo('[7]', 1)).toEqual({ texts: ['7'], elements: 1 });
  });

  it('gives what splitJsonArray gives when the array holds no more than asked', () => {
    const text = '[{"a":[1,{"b":"],"}]}, "x" ,null]';
    const sizes: ElementSizes = { bytes: [], weights: [] };
    const whole: ElementSizes = { bytes: [], weights: [] };
    expect(splitJsonArrayUpTo(Buffer.from(text), 3, sizes)).toEqual({
      texts: splitJsonArray(Buffer.from(text), whole),
      elements: 3,
    });
    expect(sizes).toEqual(whole);
  });

  it('makes no string of the elements past the ones asked for: a page of a million `0` makes 1,000', () => {
    const body = Buffer.from(`[${'0,'.repeat(999_999)}0]`, 'utf8');
    const made = countBufferStrings(() => splitJsonArrayUpTo(body, 1000, { bytes: [], weights: [] }));
    expect(made.result.elements).toBe(1_000_000);
    expect(made.result.texts).toHaveLength(1000);
    expect(made.strings).toBeLessThanOrEqual(1001);
  });

  it('still turns down a broken array past the elements it keeps', () => {
    for (const bad of ['[1,2,3,]', '[1,2,,3]', '[1,2,3', '[1,2,3] x', '[1,2,{"a":3]', '[1,2,"open]']) {
      expect(() => upTo(bad, 1), bad).toThrow(JsonArraySplitError);
    }
  });
});

/** How many strings `work` decoded from Buffers, and what it returned. */
function countBufferStrings<T>(work: () => T): { result: T; strings: number } {
  const original = Buffer.prototype.toString;
  let strings = 0;
  Buffer.prototype.toString = function (this: Buffer, ...args: Parameters<Buffer['toString']>) {
    strings++;
    return original.apply(this, args);
  };
  try {
    return { result: work(), strings };
  } finally {
    Buffer.prototype.toString = original;
  }
}
