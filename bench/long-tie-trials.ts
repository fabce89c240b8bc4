/**
 * `node --import tsx bench/long-tie-trials.ts [trials]`: how reads of a run of one time longer than
 * a page end, over seeded trials (default 1,000 each), pages of 10. Figures, not assertions.
 *
 * (a) A server that keeps ties in one order, one entry added above the run while the range is
 *     paged (at a random request, a random time above the run): the fraction of reads that fail.
 * (b) A server serving the run in a new order on each request, its contents repeated (three,
 *     taking turns: the case where a chance pass loses one entry and doubles another): the
 *     fraction of reads that pass, and of those, how many lost or doubled an entry.
 */
import type { AuditQuery } from '../functions/core/domo/audit-source.ts';
import { fetchRange } from '../functions/core/ingest/fetch-range.ts';
import { nothingServedYet } from '../functions/core/ingest/page-end.ts';
import { HOUR_MS } from '../functions/core/time-units.ts';
import { Prng } from '../functions/simulator/prng.ts';
import { MemoryAuditSource, type MemoryEntry } from '../test/support/memory-audit-source.ts';

const t0 = Date.parse('2026-10-01T00:00:00Z');
const trials = Number(process.argv[2] ?? 1_000);
const timeOf = (entry: unknown) => (entry as { time: number }).time;
const ids = (rows: readonly unknown[]) =>
  rows
    .map((e) => (e as { id: string }).id)
    .sort()
    .join();

/** `count` rows a second apart, newest first, those at `from`..`to` (exclusive) of one time. */
function rowsWithRun(count: number, from: number, to: number, repeated: boolean): MemoryEntry[] {
  return Array.from({ length: count }, (_, p) => {
    const inRun = p >= from && p < to;
    const time = t0 + HOUR_MS - 1000 * ((inRun ? from : p) + 1);
    const id = inRun && repeated ? `r${from + (p % 3)}` : `r${p}`;
    return { timeMs: time, entry: { time, id } };
  });
}

/** Adds `late` just before answering request number `at` (0-based). */
class AddedMidRead extends MemoryAuditSource {
  private answered = 0;

  constructor(
    entries: MemoryEntry[],
    private readonly late: MemoryEntry,
    private readonly at: number,
  ) {
    super([...entries]);
  }

  override async fetchPage(query: AuditQuery) {
    if (this.answered++ === this.at) this.add(this.late);
    return super.fetchPage(query);
  }
}

const read = (source: MemoryAuditSource) =>
  fetchRange(source, t0, t0 + HOUR_MS, {
    maxPagesPerRange: 50,
    timeOf,
    pageSize: 10,
    largestPage: nothingServedYet(),
  });

async function insertAbove() {
  const out = { added: 0, failed: 0, wrong: 0, byError: {} as Record<string, number> };
  for (let seed = 0; seed < trials; seed++) {
    const rng = new Prng(seed).fork('insert-above');
    const from = rng.int(2, 8);
    const to = from + rng.int(11, 16);
    const rows = rowsWithRun(to + rng.int(5, 15), from, to, false);
    // A time above the run: newer than its time, within the hour.
    const lateTime = t0 + HOUR_MS - 1000 * (from + 1) + 1 + rng.int(0, 1000 * from - 2);
    const late: MemoryEntry = { timeMs: lateTime, entry: { time: lateTime, id: 'late' } };
    const source = new AddedMidRead(rows, late, rng.int(1, 4));
    try {
      const { entries } = await read(source);
      if (source.entries.length > rows.length) out.added++;
      // What the server holds by the end: the late entry, unless the read ended before it came.
      if (ids(entries.map((e) => e.value)) !== ids(source.entries.map((r) => r.entry))) out.wrong++;
    } catch (error) {
      out.added++;
      out.failed++;
      const name = (error as Error).name;
      out.byError[name] = (out.byError[name] ?? 0) + 1;
    }
  }
  return out;
}

async function reordering(repeated: boolean) {
  const out = { passed: 0, wrong: 0, retried: 0 };
  for (let seed = 0; seed < trials; seed++) {
    const rows = rowsWithRun(25, 4, 16, repeated);
    const source = new MemoryAuditSource(rows).shuffleTies(seed);
    const result = await read(source).catch(() => undefined);
    if (source.queries.filter((q) => q.offset === 0).length > 1) out.retried++;
    if (result === undefined) continue;
    out.passed++;
    if (ids(result.entries.map((e) => e.value)) !== ids(rows.map((r) => r.entry))) out.wrong++;
  }
  return out;
}

const a = await insertAbove();
const b = await reordering(true);
const c = await reordering(false);
console.log(
  JSON.stringify({
    trials,
    insertAboveStable: { failedFraction: a.failed / trials, ...a },
    reorderingRepeated: { passedFraction: b.passed / trials, ...b },
    reorderingDistinct: { passedFraction: c.passed / trials, ...c },
  }),
);
