import { describe, it } from 'vitest';
import { canonicalJson } from '../../../functions/core/domo/canonical-json.ts';

/** What canonical JSON of an object of scalars has always been: each member as JSON.stringify writes it. */
const reference = (object: Record<string, unknown>): string =>
  `{${Object.keys(object)
    .sort()
    .filter((key) => object[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${JSON.stringify(object[key]) ?? 'null'}`)
    .join(',')}}`;

const strings = [
  '',
  'plain ascii',
  'quote " inside',
  'back\\slash',
  'tab\there',
  'nul \u0000 and \u001f and \u007f',
  'line\nbreak',
  'é ü ß',
  'emoji 😀 paired',
  'lone high \ud83d here',
  'lone low \ude00 here',
  'separators \u2028 \u2029',
  '</script> <b>&amp;</b>',
];
const numbers = [
  0,
  -0,
  1,
  -1,
  1.5,
  1e21,
  1e-7,
  5e-324,
  2 ** 53 + 2,
  Number.MAX_VALUE,
  NaN,
  Infinity,
  -Infinity,
];
const others = [null, true, false, undefined, () => 1, Symbol('s')];

describe.concurrent('canonical JSON of an object of scalars', () => {
  it('writes every string as JSON.stringify does, escapes and surrogates included', async ({ expect }) => {
    for (const value of strings) {
      expect(canonicalJson({ b: value, a: value })).toBe(reference({ b: value, a: value }));
    }
  });

  it('writes every number as JSON.stringify does (-0 as 0, non-finite ones as null)', async ({ expect }) => {
    for (const value of numbers)
      expect(canonicalJson({ n: value, m: 1 })).toBe(reference({ n: value, m: 1 }));
  });

  it('writes null and booleans as JSON does, and null for what JSON.stringify drops', async ({ expect }) => {
    for (const value of others)
      expect(canonicalJson({ x: value, y: 'y' })).toBe(reference({ x: value, y: 'y' }));
  });
});
