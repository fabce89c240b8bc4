import { describe, expect, it } from 'vitest';
import { ndjsonBytes } from '../../../functions/core/lake/ndjson.ts';

/**
 * ndjsonBytes stringifies records in batches and turns the batch's top-level commas into newlines
 * (see writeBatch). Whatever the records hold, the bytes and the errors must be those of one
 * `JSON.stringify` per record, each followed by a newline, as the lake has always stored.
 */
const lineByLine = (records: readonly unknown[]): Buffer =>
  Buffer.from(records.map((record) => `${JSON.stringify(record)}\n`).join(''), 'utf8');

const expectSameBytes = (records: readonly object[]) =>
  expect(ndjsonBytes(records).toString('utf8')).toBe(lineByLine(records).toString('utf8'));

/** Records of an ingest's shape and size (~1.4 KB, a raw entry escaped inside), so batches fill up. */
const lakeLike = (i: number) => ({
  event_id: `id-${i}`,
  category: 'login',
  raw: JSON.stringify({ userName: `User ${i}`, eventText: 'x'.repeat(1200), n: i }),
});

describe('ndjsonBytes in batches', () => {
  it('writes nothing for no records', () => {
    expect(ndjsonBytes([]).byteLength).toBe(0);
  });

  it('writes the same bytes across many batches, whatever the records hold', () => {
    const odd: object[] = [
      { nested: [{ a: 1 }, { b: 2 }], deeper: { list: [{ x: [{ y: 1 }, { z: 2 }] }] } },
      { text: 'ends with },{' },
      { text: '},{"a":1},{} and },{\\"' },
      {},
      { empty: {}, list: [{}, {}, { '': '' }] },
      { lone: '\ud800 and \udfff', astral: '😀', accents: 'Ünïcødé', separator: '\u2028', control: '\u0001' },
      { undef: undefined, fn: () => 1, date: new Date(0), nan: Number.NaN, negZero: -0 },
      Object.assign(Object.create(null), { nullPrototype: true }),
      new Map([[1, 2]]),
      { toJSON: 'a value, not a function' },
    ];
    const records: object[] = [];
    for (let i = 0; i < 300; i++) records.push(i % 7 === 3 ? (odd[i % odd.length] as object) : lakeLike(i));
    expectSameBytes(records);
    expectSameBytes(odd);
    for (const one of odd) expectSameBytes([one]);
  });

  it('is not misled by nested separators that make up the count of an empty object', () => {
    // `[{"a":[{"x":1},{"y":2}]},{}]` holds one `},{"`, the count two records would have.
    expectSameBytes([{ a: [{ x: 1 }, { y: 2 }] }, {}]);
    expectSameBytes([{}, { a: [{ x: 1 }, { y: 2 }] }]);
    expectSameBytes([{ a: [{ x: 1 }, { y: 2 }] }, {}, { b: 1 }, {}]);
  });

  it("does not grow an hour's buffer sized for its lines for room a batch never uses (R2)", () => {
    // 600 lines of ~1,550 bytes fit the 1,600 bytes a line the buffer is first sized for; the
    // batches' worst case (3 bytes a character) near the end did not, and doubled it.
    const records = Array.from({ length: 600 }, (_, i) => ({ id: i, text: 'x'.repeat(1530) }));
    const bytes = ndjsonBytes(records);
    expect(bytes.toString('utf8')).toBe(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    expect(bytes.buffer.byteLength).toBe(600 * 1600);
  });

  it('writes records of any size: one past the batch, one past the buffer guess', () => {
    const huge = { big: 'é✓😀"\\\n},{"'.repeat(40_000) };
    expectSameBytes([huge]);
    expectSameBytes([...Array.from({ length: 50 }, (_, i) => lakeLike(i)), huge, lakeLike(51), { small: 1 }]);
    expectSameBytes(Array.from({ length: 2_000 }, (_, i) => ({ i })));
  });

  it('writes what toJSON returns, the way JSON.stringify does', () => {
    expectSameBytes([{ a: 1 }, { toJSON: () => ({ made: 'by toJSON' }) }, { b: 2 }]);
    class WithToJson {
      toJSON() {
        return { made: 'by a class' };
      }
    }
    expectSameBytes([{ a: [{ x: 1 }, { y: 2 }] }, new WithToJson()]);
  });

  it('names the record that is not a JSON object, in any batch, even where the count would match', () => {
    const many = Array.from({ length: 200 }, (_, i) => lakeLike(i));
    const notObjects: unknown[] = [
      5,
      'text',
      null,
      undefined,
      [1],
      [{ a: 1 }],
      () => 1,
      new Date(0),
      { toJSON: () => 5 },
      new Number(1),
    ];
    for (const bad of notObjects) {
      for (const at of [0, 1, 57, 199]) {
        const records = [...many] as unknown[];
        records[at] = bad;
        expect(() => ndjsonBytes(records as object[])).toThrow(
          `NDJSON record ${at + 1} is not a JSON object`,
        );
      }
      // One nested `},{"` stands in for the separator the bad record does not make.
      expect(() => ndjsonBytes([{ a: [{ x: 1 }, { y: 2 }] }, bad] as object[])).toThrow(
        'NDJSON record 2 is not a JSON object',
      );
    }
  });

  it("throws JSON.stringify's own error for a record it cannot write", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const many = Array.from({ length: 100 }, (_, i) => lakeLike(i));
    for (const bad of [{ big: 10n }, cyclic]) {
      const records = [...many.slice(0, 60), bad, ...many.slice(60)];
      let expected: unknown;
      try {
        JSON.stringify(bad);
      } catch (error) {
        expected = error;
      }
      expect(() => ndjsonBytes(records)).toThrow((expected as Error).message);
    }
  });
});
