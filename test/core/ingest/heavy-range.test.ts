import { describe, expect, it } from 'vitest';
import { fetchRange, RangeTooHeavyError } from '../../../functions/core/ingest/fetch-range.ts';
import {
  defaultIngestConfig,
  heldCharsForMemory,
  validateIngestConfig,
} from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { runMemoryBytes } from '../../../functions/shared/run-memory.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const MIB = 1024 * 1024;
const timeOf = (entry: unknown) => (entry as { time: number }).time;

/** A view entry carrying `padding` characters more than usual, as an API with fat entries serves. */
const fatEntry = (timeMs: number, n: number, padding: number): MemoryEntry => {
  const view = viewEntry(timeMs, n);
  return { ...view, entry: { ...(view.entry as object), n, note: 'x'.repeat(padding) } };
};

/** `count` entries of about `chars` characters each, spread over the hour from `startMs`. */
const fatHour = (startMs: number, count: number, chars: number): MemoryEntry[] =>
  Array.from({ length: count }, (_, i) => fatEntry(startMs + Math.floor((i * HOUR_MS) / count), i, chars));

const textChars = (entries: readonly MemoryEntry[]) =>
  entries.reduce((sum, e) => sum + JSON.stringify(e.entry).length, 0);

describe('a range whose entries would not fit in memory', () => {
  it('fails with a message once the entries held pass the ceiling, before reading further', async () => {
    const entries = fatHour(day0, 40, 10_000);
    const source = new MemoryAuditSource(entries);
    const error = await fetchRange(source, day0, day0 + HOUR_MS, {
      maxPagesPerRange: 50,
      pageSize: 10,
      timeOf,
      maxHeldChars: MIB / 4,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeTooHeavyError);
    expect((error as Error).message).toBe(
      "Domo served more than 0.25 MiB of entries' JSON for 2026-10-01T00:00:00.000Z..2026-10-01T01:00:00.000Z " +
        '(30 entries in 3 pages, re-reads included; nested arrays and objects, and text past Latin-1 (two bytes a character), weighed at what they take parsed) before the range ended, more than this run may hold in memory for one ' +
        'range: nothing of it is written, and every run stops here the same way until the ingest is ' +
        'given more memory.',
    );
    // Given up at the third page (~300,000 characters held), not after reading the whole range.
    expect(source.queries).toHaveLength(3);
  });

  it('weighs entries of nested empty arrays at what they take parsed, not at their length', async () => {
    // {"time":…,"x":[[],[],…]}: 8 KB of JSON took ~106 KB of heap parsed (13x); 40 of them are
    // 0.3 MiB of JSON, under the ceiling by characters, but ~9 MiB once parsed.
    const nested = `[${Array.from({ length: 2_650 }, () => '[]').join(',')}]`;
    const entries = Array.from({ length: 40 }, (_, i): MemoryEntry => {
      const time = day0 + i * 60_000;
      return { timeMs: time, entry: { time, x: [] }, text: `{"time":${time},"x":${nested}}` };
    });
    const chars = entries.reduce((sum, e) => sum + (e.text?.length ?? 0), 0);
    expect(chars).toBeLessThan(MIB / 2);
    const source = new MemoryAuditSource(entries);
    const error = await fetchRange(source, day0, day0 + HOUR_MS, {
      maxPagesPerRange: 50,
      pageSize: 10,
      timeOf,
      maxHeldChars: 4 * MIB,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeTooHeavyError);
    // Given up at the second page (~20 entries of ~230 KB weight each), not after the fourth.
    expect(source.queries).toHaveLength(2);
  });

  it('counts only what is kept: reads given up for a split do not add to what the range holds', async () => {
    const entries = fatHour(day0, 40, 1_000);
    const total = textChars(entries);
    const source = new MemoryAuditSource(entries);
    // Two pages per range: the hour is read 2 pages, given up, split, and so on down; the
    // halves' requests overlap by a millisecond, so an entry on a boundary may be held twice.
    const result = await fetchRange(source, day0, day0 + HOUR_MS, {
      maxPagesPerRange: 2,
      pageSize: 10,
      timeOf,
      maxHeldChars: Math.ceil(total * 1.25),
    });
    expect(result.entries).toHaveLength(40);
    expect(result.pages).toBeGreaterThan(4);
  });

  it('fails only that hour of a run (its span is read again in halves): nothing of it is written', async () => {
    const heavy = fatHour(day0 + HOUR_MS, 1_200, 8_000);
    expect(textChars(heavy)).toBeGreaterThan(8 * MIB);
    const source = new MemoryAuditSource([
      viewEntry(day0 + 10, 1),
      ...heavy,
      viewEntry(day0 + 2 * HOUR_MS + 10, 2),
    ]);
    const store = new MemoryObjectStore();
    const summary = await runIngest(quietIngestDeps(source, store, day0 + 3 * HOUR_MS + 30 * 60_000), {
      ...defaultIngestConfig('acme'),
      backfillDays: 1,
      concurrency: 1,
      maxHeldChars: 8 * MIB,
    });
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]?.message).toMatch(
      /^Domo served more than 8 MiB of entries' JSON for 2026-10-01T01:00:00\.000Z\.\.2026-10-01T02:00:00\.000Z \(\d+ entries in \d+ pages, re-reads included; /,
    );
    expect(store.objects.has(activityKey('acme', day0 + HOUR_MS))).toBe(false);
    // The quiet hours before it were stored from their half of the span.
    expect(store.objects.has(activityKey('acme', day0))).toBe(true);
    const watermark = (await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms ?? 0;
    expect(watermark).toBeLessThanOrEqual(day0 + HOUR_MS);
  });

  it('sizes the ceiling from the memory the run has, never below one full page at the body cap', () => {
    // One read at a time: a sixth; four at once (the default): a fifteenth, so all four together
    // stay within a third of the memory.
    expect(heldCharsForMemory(1024 * MIB, 1)).toBe(Math.floor((1024 * MIB) / 6));
    expect(heldCharsForMemory(1024 * MIB, 4)).toBe(Math.floor((1024 * MIB) / 15));
    expect(4 * heldCharsForMemory(1024 * MIB, 4)).toBeLessThan((1024 * MIB) / 3);
    expect(heldCharsForMemory(16 * MIB, 4)).toBe(8 * MIB);
    expect(() => validateIngestConfig({ ...defaultIngestConfig('acme'), maxHeldChars: MIB })).toThrow(
      `maxHeldChars is ${MIB}: it must be a whole number from ${8 * MIB}`,
    );
  });

  it("takes the run's memory from Lambda's memory size, else from the heap limit", () => {
    const heap = () => 4_000 * MIB;
    expect(runMemoryBytes({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024' }, heap)).toBe(1024 * MIB);
    expect(runMemoryBytes({}, heap)).toBe(4_000 * MIB);
    expect(runMemoryBytes({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: 'lots' }, heap)).toBe(4_000 * MIB);
  });
});
