import { hash } from 'node:crypto';
import { describe, it } from 'vitest';
import {
  CanonicalJsonError,
  type CanonicalLimits,
  canonicalJson,
  canonicalJsonSha256,
} from '../../../functions/core/domo/canonical-json.ts';

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

/** The content hash as it was made before canonicalJsonSha256: sha256 of the text, as UTF-8. */
const hashOfText = (value: unknown, limits?: CanonicalLimits): string =>
  hash('sha256', canonicalJson(value, limits), 'hex');

describe.concurrent('the sha256 of canonical JSON, written as bytes', () => {
  it('hashes the bytes of the text for every scalar, escape, surrogate and key', async ({ expect }) => {
    const keys = ['a', 'é', '😀', 'key"quote', 'back\\slash', '10', '__proto__x', '\u0001'];
    for (const value of [...strings, ...numbers, ...others]) {
      const object = Object.fromEntries(keys.map((key, i) => [key, i % 2 ? value : `${i}`]));
      expect(canonicalJsonSha256(object)).toBe(hashOfText(object));
      expect(canonicalJsonSha256({ v: value })).toBe(hashOfText({ v: value }));
    }
  });

  it('keeps each shape its own when entries of several shapes alternate, past the shapes kept', async ({
    expect,
  }) => {
    // Six key sets (two the same set in another order), in an order that reuses, evicts and rebuilds.
    const shapes = [['a', 'b'], ['b', 'a'], ['a', 'b', 'c'], ['x'], ['y', 'é'], ['a', 'c']];
    for (const at of [0, 1, 0, 2, 3, 4, 5, 0, 1, 5, 2, 2, 4, 0, 3, 1]) {
      const keys = shapes[at] as string[];
      const object = Object.fromEntries(keys.map((key, i) => [key, `${at}-${i}`]));
      expect(canonicalJson(object)).toBe(reference(object));
      expect(canonicalJsonSha256(object)).toBe(hashOfText(object));
    }
  });

  it('hashes nested values, arrays and scalars as the text writer does', async ({ expect }) => {
    for (const value of [{ b: [1, { z: 'é', a: null }], a: {} }, [3, 'x'], 'text', 7, null, {}]) {
      expect(canonicalJsonSha256(value)).toBe(hashOfText(value));
    }
  });

  it('throws the same error past the limits, the flat path counting characters, not bytes', async ({
    expect,
  }) => {
    const limits = { maxDepth: 32, maxLength: 12 };
    // 12 characters as text, 20 bytes as UTF-8: within the limit.
    expect(canonicalJsonSha256({ a: 'éééé' }, limits)).toBe(hashOfText({ a: 'éééé' }, limits));
    expect(() => canonicalJsonSha256({ a: 'ééééé' }, limits)).toThrow(CanonicalJsonError);
    expect(() => canonicalJsonSha256({ a: 'ééééé' }, limits)).toThrow(
      'longer than 12 characters as canonical JSON',
    );
    expect(() => canonicalJsonSha256({ a: 1 }, { maxDepth: 0, maxLength: 100 })).toThrow(
      'nested more than 0 levels deep',
    );
  });

  // Review R-HASH F1: a member crossing the end of the buffer each call starts with, in each of
  // its byte widths; reserving too few bytes dropped the end of the text, and so changed the id.
  it('hashes members that cross the 16 KiB the buffer starts with, whatever their bytes', async ({
    expect,
  }) => {
    for (let pad = 16_360; pad <= 16_390; pad++) {
      for (const tail of ['é', '€', '😀', '\u0001', 1.2345678901234568e-300, 5e-324, true]) {
        const object = { a: 'x'.repeat(pad), b: tail, c: '€😀' };
        expect(canonicalJsonSha256(object)).toBe(hashOfText(object));
      }
    }
    // Members wider in bytes than a fresh buffer holds though shorter in characters.
    for (const wide of [{ a: '€'.repeat(6_000) }, { a: '😀'.repeat(4_500) }, { a: 'é'.repeat(8_200) }]) {
      expect(canonicalJsonSha256(wide)).toBe(hashOfText(wide));
    }
  });

  // Review R-HASH F2: the length limit counts characters of the text, non-ASCII names and numbers
  // included, as the text path does.
  it('counts names, numbers and literals in characters, as the text has them', async ({ expect }) => {
    const object = { é: 1.5e-7, '😀': true, a: null, b: -0 };
    const text = canonicalJson(object);
    expect(canonicalJsonSha256(object, { maxDepth: 32, maxLength: text.length })).toBe(
      hash('sha256', text, 'hex'),
    );
    expect(() => canonicalJsonSha256(object, { maxDepth: 32, maxLength: text.length - 1 })).toThrow(
      `longer than ${text.length - 1} characters as canonical JSON`,
    );
  });

  it('hashes an entry larger than its buffer, and a small one after it', async ({ expect }) => {
    const large = { a: 'x'.repeat(100_000), b: 'é'.repeat(20_000), c: '😀'.repeat(10_000) };
    expect(canonicalJsonSha256(large)).toBe(hashOfText(large));
    expect(canonicalJsonSha256({ a: 'y' })).toBe(hashOfText({ a: 'y' }));
  });
});
