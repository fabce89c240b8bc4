import { describe, expect, it } from 'vitest';
import { bytePatterns } from '../../../functions/core/domo/byte-patterns.ts';
import { createRedactor } from '../../../functions/core/domo/redactor.ts';

/** A small seeded generator (mulberry32): the same cases every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const native = (patterns: readonly string[], buffer: Buffer): string[] =>
  patterns.filter((pattern) => buffer.includes(pattern));

// The page scan's forms of a realistic credential: Domo's 64-hex-digit secret and its Basic one.
const SECRET = 'a3f1c29e0b7d4c55e81f2a6093bd7e4410c9f8a2b5d6e7f80123456789abcdef';
const BASIC = Buffer.from(`client-abc:${SECRET}`).toString('base64');
const FORMS = createRedactor([SECRET, BASIC]).forms();

describe('bytePatterns', () => {
  it('finds exactly what one native search per pattern finds, at every offset and cut', () => {
    const random = seeded(9);
    const alphabet = 'abcdef0123456789%2DABCDEF-{}":,\\u ';
    const patterns = ['sim-secret', 'c2ltLXNlY3JldA', '%73%69%6d%2d', 'abcdefgh', 'fedcba9876543210'];
    const search = bytePatterns(patterns);
    for (let round = 0; round < 3000; round++) {
      const length = Math.floor(random() * 120);
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      // Plant a pattern, or a piece of one cut at either end, anywhere, to reach every sampled offset.
      const planted = patterns[Math.floor(random() * patterns.length)] as string;
      const from = random() < 0.3 ? Math.floor(random() * 3) : 0;
      const to = planted.length - (random() < 0.3 ? Math.floor(random() * 3) : 0);
      const at = Math.floor(random() * (text.length + 1));
      text = text.slice(0, at) + planted.slice(from, to) + text.slice(at);
      const buffer = Buffer.from(text, 'utf8');
      expect(search.heldBy(buffer), text).toEqual(native(patterns, buffer));
    }
  });

  it('finds a pattern at the very start and the very end of the bytes, and one that is all of them', () => {
    const search = bytePatterns(['0123456789', 'abcdefghij']);
    expect(search.heldBy(Buffer.from('0123456789 and more'))).toEqual(['0123456789']);
    expect(search.heldBy(Buffer.from('and more abcdefghij'))).toEqual(['abcdefghij']);
    expect(search.heldBy(Buffer.from('abcdefghij'))).toEqual(['abcdefghij']);
    expect(search.heldBy(Buffer.from('abcdefghi'))).toEqual([]);
    expect(search.heldBy(Buffer.alloc(0))).toEqual([]);
  });

  it('keeps the order given and finds overlapping and repeated patterns', () => {
    const patterns = ['bcdefghi', 'abcdefgh', 'abcdefghabcdefgh'];
    const buffer = Buffer.from('xxabcdefghabcdefghixx');
    expect(bytePatterns(patterns).heldBy(buffer)).toEqual(native(patterns, buffer));
    expect(bytePatterns(patterns).heldBy(buffer)).toEqual(patterns);
  });

  it('matches patterns by their UTF-8 bytes, as Buffer.includes does', () => {
    const patterns = ['sécret-ünïcode', 'pässwörd1'];
    const buffer = Buffer.from('{"a":"sécret-ünïcode"}', 'utf8');
    expect(bytePatterns(patterns).heldBy(buffer)).toEqual(['sécret-ünïcode']);
    expect(bytePatterns(patterns).heldBy(buffer)).toEqual(native(patterns, buffer));
  });

  it('falls back to one search each for patterns shorter than its window, and holds nothing for none', () => {
    const buffer = Buffer.from('a \\u0041 and \\n');
    expect(bytePatterns(['\\u', '\\n', 'zz']).heldBy(buffer)).toEqual(['\\u', '\\n']);
    expect(bytePatterns([]).heldBy(buffer)).toEqual([]);
  });

  it("finds the credential's forms in a page as the native searches do", () => {
    const random = seeded(64);
    const search = bytePatterns(FORMS);
    for (let round = 0; round < 200; round++) {
      const entries: string[] = [];
      for (let i = 0; i < 20; i++) {
        const form = FORMS[Math.floor(random() * FORMS.length)] as string;
        const echoed = random() < 0.1 ? form : form.slice(1);
        entries.push(`{"id":${i},"url":"/x?a=%2F%2F${echoed}&b=${SECRET.slice(0, 30)}"}`);
      }
      const buffer = Buffer.from(`[${entries.join(',')}]`, 'utf8');
      expect(search.heldBy(buffer)).toEqual(native(FORMS, buffer));
    }
  });

  it('finds patterns that repeat a window of their own, beside sampled ones, as the native searches do', () => {
    // A secret of one letter run long is searched natively (R-SCAN L1: sampled, a page of that
    // letter cost it 0.8 s); the answer must not change with the route.
    const patterns = [`${'a'.repeat(63)}b`, 'abababababab', 'q7Zk-2mXv9Lp', 'a'.repeat(12)];
    const search = bytePatterns(patterns);
    const pages = [
      'a'.repeat(5_000),
      `${'a'.repeat(5_000)}b`,
      `x${'ab'.repeat(40)}yq7Zk-2mXv9Lp`,
      'q7Zk-2mXv9L',
      `${'a'.repeat(11)}b${'ab'.repeat(5)}`,
    ].map((text) => Buffer.from(text, 'utf8'));
    for (const page of pages) expect(search.heldBy(page)).toEqual(native(patterns, page));
    expect(search.heldBy(pages[1] as Buffer)).toEqual([`${'a'.repeat(63)}b`, 'a'.repeat(12)]);
  });
});
