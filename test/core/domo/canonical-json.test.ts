import { describe, expect, it } from 'vitest';
import {
  CanonicalJsonError,
  canonicalJson,
  ENTRY_LIMITS,
} from '../../../functions/core/domo/canonical-json.ts';

const nested = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('canonicalJson', () => {
  it('sorts keys at every level, drops undefined members and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson([undefined, 'x', [], {}])).toBe('[null,"x",[],{}]');
    expect(canonicalJson('x')).toBe('"x"');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ é: 1, Z: 2, a: 3, '"q"': 4 })).toBe('{"\\"q\\"":4,"Z":2,"a":3,"é":1}');
  });

  it('gives the text the recursive version gave for entries already in the lake (event_id stays)', () => {
    const entry = {
      userId: '7',
      actorId: 0,
      time: 1_790_000_000_000,
      extra: { list: [1, 'two', null, true] },
    };
    expect(canonicalJson(entry, ENTRY_LIMITS)).toBe(
      '{"actorId":0,"extra":{"list":[1,"two",null,true]},"time":1790000000000,"userId":"7"}',
    );
  });

  it('writes an object of scalars (the fast path) exactly as the general writer does', () => {
    const entries = [
      { userId: '7', actorId: 0, time: 1_790_000_000_000, ok: true, none: null, skip: undefined },
      { 'ü"\\': 'a\u0000b\n', z: -0, y: 1e21, x: Number.NaN, '': '' },
      {},
    ];
    for (const entry of entries) {
      // Inside an array the general writer writes the same object.
      expect(canonicalJson(entry)).toBe(canonicalJson([entry]).slice(1, -1));
      expect(canonicalJson(entry, ENTRY_LIMITS)).toBe(canonicalJson(entry));
    }
    expect(() => canonicalJson({ a: '12345678901234' }, { maxDepth: 3, maxLength: 21 })).toThrow(
      CanonicalJsonError,
    );
  });

  it('writes each object by its own keys when objects of different shapes alternate', () => {
    // The writer remembers the last shape's sorted keys: a change of shape must never reuse them.
    const general = (value: unknown) => canonicalJson([value]).slice(1, -1);
    const objects: Record<string, unknown>[] = [
      { b: 1, a: 2 },
      { a: 2, b: 1 },
      { b: 1, a: 2, c: 3 },
      { b: 1, a: undefined },
      { b: 1, c: 2 },
      { 10: 'x', 9: 'y', a: null },
      { a: null, 10: 'x', 9: 'y' },
      { b: 'q"', a: 'é' },
      {},
      { b: { nested: true }, a: 1 },
      { b: 1, a: 2 },
    ];
    for (let round = 0; round < 3; round++) {
      for (const object of objects) expect(canonicalJson(object, ENTRY_LIMITS)).toBe(general(object));
    }
    expect(canonicalJson({ 10: 'x', 9: 'y', a: null })).toBe('{"10":"x","9":"y","a":null}');
    expect(canonicalJson({ b: 1, a: undefined })).toBe('{"b":1}');
  });

  it('copes with any depth when unbounded (the recursive version overflowed the stack at 4,000)', () => {
    const depth = 200_000;
    expect(canonicalJson(nested(depth))).toBe(`${'['.repeat(depth)}${']'.repeat(depth)}`);
  });

  it('throws a CanonicalJsonError saying why, once past the limits', () => {
    const limits = { maxDepth: 3, maxLength: 21 };
    expect(canonicalJson(nested(3), limits)).toBe('[[[]]]');
    expect(() => canonicalJson(nested(4), limits)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(nested(4), limits)).toThrow('nested more than 3 levels deep');
    expect(canonicalJson({ a: '1234567890123' }, limits)).toBe('{"a":"1234567890123"}');
    expect(() => canonicalJson({ a: '12345678901234' }, limits)).toThrow(
      'longer than 21 characters as canonical JSON',
    );
    const error = (() => {
      try {
        canonicalJson(nested(4_000), ENTRY_LIMITS);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CanonicalJsonError);
    expect((error as CanonicalJsonError).reason).toBe(
      `nested more than ${ENTRY_LIMITS.maxDepth} levels deep`,
    );
  });

  it('counts the closing brackets in the length, and the entry itself as a level', () => {
    // '[[[]]]' is six characters: the three that close it count too.
    expect(() => canonicalJson(nested(3), { maxDepth: 3, maxLength: 5 })).toThrow(
      'longer than 5 characters as canonical JSON',
    );
    expect(() => canonicalJson({ a: 1 }, { maxDepth: 0, maxLength: 100 })).toThrow(
      'nested more than 0 levels deep',
    );
  });

  it('lets an entry nest 32 levels, as ENTRY_LIMITS promises, and no more', () => {
    expect(ENTRY_LIMITS.maxDepth).toBe(32);
    expect(canonicalJson(nested(32), ENTRY_LIMITS)).toHaveLength(64);
    expect(() => canonicalJson(nested(33), ENTRY_LIMITS)).toThrow('nested more than 32 levels deep');
  });
});
