import { describe, expect, it } from 'vitest';
import type { AuditPage, AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { INGEST_METRICS } from '../../../functions/core/ingest/ingest-metrics.ts';
import type { IngestConfig, IngestSummary } from '../../../functions/core/ingest/ingest-types.ts';
import { lastRunOf } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import type { Log } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { ONE_HOUR_SPANS, oneDayAcme } from '../../support/hour-by-hour-ingest.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/*
 * The later pull across runs that do not finish it (review R-REPULL F3, F4, F5; R-FINAL F3, F4):
 * a catch-up spread over several runs, a run with the setting 0 between scheduled ones, a later
 * pull that fails for a while, and what the run says of its later pulls.
 */

const MIN = 60_000;
const start = Date.parse('2026-10-01T10:00:00Z');
const hourly = ONE_HOUR_SPANS;
const config = oneDayAcme;

/** Records each pull (its first page): the hour and the time of the run that asked. */
class RecordingSource implements AuditSource {
  readonly inner = new MemoryAuditSource();
  readonly answered: { hourMs: number; atMs: number }[] = [];
  nowMs = 0;
  fail?: (hourMs: number, atMs: number) => boolean;

  async fetchPage(query: AuditQuery): Promise<AuditPage> {
    const hourMs = query.start + 1;
    if (this.fail?.(hourMs, this.nowMs)) throw new Error('Domo answered 503 (after its retries)');
    const page = await this.inner.fetchPage(query);
    if (query.offset === 0) this.answered.push({ hourMs, atMs: this.nowMs });
    return page;
  }
}

function lake() {
  const source = new RecordingSource();
  const store = new MemoryObjectStore();
  const counted = new Map<string, number>();
  const logged: string[] = [];
  const log: Log = {
    debug: () => {},
    info: (message) => logged.push(message),
    warn: (message) => logged.push(message),
    error: (message) => logged.push(message),
  };
  /** A run at `nowMs`; `pulls`: the hours it may pull before its time runs short. */
  const run = (nowMs: number, over: Partial<IngestConfig> = {}, pulls = Number.POSITIVE_INFINITY) => {
    source.nowMs = nowMs;
    const before = source.answered.length;
    return runIngest(
      {
        ...quietIngestDeps(source, store, nowMs),
        log,
        metrics: { count: (name, n) => counted.set(name, (counted.get(name) ?? 0) + n) },
        // Under the margin (60 s), above the hard stop, once it has pulled its share.
        remainingTimeMs: () => (source.answered.length - before < pulls ? 600_000 : 45_000),
      },
      config(over),
      hourly,
    );
  };
  return { source, store, run, counted, logged };
}

/** Whether a pull of `hourMs` at `atMs` came a day or more after the hour ended. */
const old = (hourMs: number, atMs: number) => atMs >= hourMs + HOUR_MS + 24 * HOUR_MS;

/**
 * Checks that each hour in [fromMs, toMs) got one later pull (`isLater`), a day or more after it,
 * when every other pull of it came less than a day after it ended, and none otherwise; counts them.
 */
function laterPullsOf(
  answered: readonly { hourMs: number; atMs: number }[],
  isLater: (a: { hourMs: number; atMs: number }) => boolean,
  fromMs: number,
  toMs: number,
): { laterPulls: number; needed: number } {
  let laterPulls = 0;
  let needed = 0;
  for (let hourMs = fromMs; hourMs < toMs; hourMs += HOUR_MS) {
    const pulls = answered.filter((a) => a.hourMs === hourMs);
    const later = pulls.filter(isLater);
    const readOld = pulls.some((a) => !isLater(a) && old(hourMs, a.atMs));
    const when = new Date(hourMs).toISOString();
    expect(later.length, when).toBe(readOld ? 0 : 1);
    expect(
      later.every((a) => old(hourMs, a.atMs)),
      when,
    ).toBe(true);
    laterPulls += later.length;
    if (!readOld) needed++;
  }
  return { laterPulls, needed };
}

describe('the later pull across runs', () => {
  it('pulls each hour of a catch-up spread over several runs once more only if it needs it (R-REPULL F3)', async () => {
    const { source, store, run } = lake();
    for (let h = -30; h < 140; h++) source.inner.add(viewEntry(start + h * HOUR_MS + 5 * MIN, h + 100));
    const runs: IngestSummary[] = [];
    // The first hour of each run's own pulls (its lookback: 2 hours before its watermark), by time.
    const firstOfRun = new Map<number, number>();
    const scheduled = async (at: number, pulls?: number) => {
      const summary = await run(at, {}, pulls);
      firstOfRun.set(at, (summary.watermarkBeforeMs ?? 0) - 2 * HOUR_MS);
      runs.push(summary);
    };
    // Hourly for 30 h, down 72 h, then hourly runs that may pull only 10 hours each.
    for (let at = start + 16 * MIN; at < start + 30 * HOUR_MS; at += HOUR_MS) await scheduled(at);
    for (let at = start + 102 * HOUR_MS + 16 * MIN; at < start + 160 * HOUR_MS; at += HOUR_MS) {
      await scheduled(at, 10);
    }
    const catchUp = runs.filter((s) => s.stoppedEarly === 'time-budget');
    expect(catchUp.length).toBeGreaterThan(5);
    expect(runs.every((s) => s.failures.length === 0)).toBe(true);
    // A later pull: a pull of an hour before the run's own first hour.
    const isLater = (a: { hourMs: number; atMs: number }) => a.hourMs < (firstOfRun.get(a.atMs) ?? 0);
    const lastMs = start + 160 * HOUR_MS - 27 * HOUR_MS;
    const { laterPulls, needed } = laterPullsOf(source.answered, isLater, start - 24 * HOUR_MS, lastMs);
    // Requests: one later pull for each hour that needs one, none more (before the fix the catch-up
    // runs' old hours were pulled again: 54 extra requests here).
    expect(laterPulls).toBe(needed);
    expect(source.answered.filter((a) => isLater(a) && a.hourMs < lastMs)).toHaveLength(needed);
    const checkpoint = (await readCheckpoint(store, 'acme'))?.checkpoint;
    expect(checkpoint?.repull_done).toBeUndefined();
  }, 60_000);
});

describe('the later pull beside a run with it off, a passing failure, and the run summary', () => {
  it('keeps the later pulls still due through a run with the setting 0 (R-REPULL F4)', async () => {
    const { source, run, logged } = lake();
    for (let h = -30; h < 80; h++) source.inner.add(viewEntry(start + h * HOUR_MS + 5 * MIN, h + 100));
    for (let at = start + 16 * MIN; at < start + 30 * HOUR_MS; at += HOUR_MS) await run(at);
    // Down 30 h; the run after is short of time: the later pulls of the day before it are left.
    const short = await run(start + 60 * HOUR_MS + 16 * MIN, {}, 32);
    const { planned = 0, done = 0 } = short.laterPulls ?? {};
    expect(done).toBeLessThan(planned);
    expect(short.laterPulls?.left).toBe(planned - done);
    const dueFromMs = short.laterPulls?.dueFromMs ?? 0;
    expect(dueFromMs).toBeGreaterThan(0);
    // A manual ingest with the later pull off (its lookback a day): it says it keeps them.
    const off = await run(start + 61 * HOUR_MS + 16 * MIN, { lookbackHours: 24, repullAfterHours: 0 });
    expect(off.laterPulls).toMatchObject({ planned: 0, dueFromMs });
    expect(logged).toContain(
      'later pulls still due are kept for a run with the later pull on (this one has it off)',
    );
    // The schedule, back: the hours left get their later pull.
    for (let at = start + 62 * HOUR_MS + 16 * MIN; at < start + 64 * HOUR_MS; at += HOUR_MS) await run(at);
    const late = source.answered.filter((a) => a.hourMs === dueFromMs && old(dueFromMs, a.atMs));
    expect(late.length).toBeGreaterThanOrEqual(1);
    expect(late.some((a) => a.atMs >= start + 62 * HOUR_MS)).toBe(true);
  }, 30_000);

  it('tries a later pull that fails for a while again on the next runs (R-FINAL F4)', async () => {
    const { source, run } = lake();
    for (let h = -30; h < 40; h++) source.inner.add(viewEntry(start + h * HOUR_MS + 5 * MIN, h + 100));
    for (let at = start + 16 * MIN; at < start + 24 * HOUR_MS; at += HOUR_MS) await run(at);
    // The later pull of 10:00 (a day on) meets Domo's 503s past the client's retries twice.
    let failed = 0;
    source.fail = (hourMs, atMs) => {
      const fails = hourMs === start && old(hourMs, atMs) && failed < 2;
      if (fails) failed++;
      return fails;
    };
    const runs: IngestSummary[] = [];
    for (let at = start + 25 * HOUR_MS + 16 * MIN; at < start + 29 * HOUR_MS; at += HOUR_MS)
      runs.push(await run(at));
    expect(failed).toBe(2);
    expect(runs.map((s) => s.laterPulls?.failed)).toEqual([1, 1, 0, 0]);
    expect(runs.every((s) => s.laterPulls?.givenUp === 0)).toBe(true);
    const late = source.answered.filter((a) => a.hourMs === start && old(start, a.atMs));
    expect(late).toHaveLength(1);
  }, 30_000);

  it('says a run whose later pull failed did not stop for its time, and counts its later pulls (R-FINAL F3)', async () => {
    const { source, run, counted } = lake();
    for (let h = -30; h < 80; h++) source.inner.add(viewEntry(start + h * HOUR_MS + 5 * MIN, h + 100));
    for (let at = start + 16 * MIN; at < start + 30 * HOUR_MS; at += HOUR_MS) await run(at);
    // After 30 h down, the first of the run's later pulls fails: the others wait for the next run.
    const doneBefore = counted.get(INGEST_METRICS.laterPullsDone) ?? 0;
    let failedMs: number | undefined;
    source.fail = (hourMs, atMs) => {
      if (failedMs === undefined && old(hourMs, atMs) && hourMs < start + 20 * HOUR_MS) failedMs = hourMs;
      return hourMs === failedMs;
    };
    const after = await run(start + 60 * HOUR_MS + 16 * MIN);
    expect(after.stoppedEarly).toBeNull();
    const planned = after.laterPulls?.planned ?? 0;
    expect(planned).toBeGreaterThan(20);
    expect(after.laterPulls).toMatchObject({ done: 0, failed: 1, givenUp: 0, left: planned });
    expect(after.laterPulls?.dueFromMs).toBe(failedMs);
    expect(after.windowsDone + after.windowsFailed).toBeLessThan(after.windowsPlanned);
    // The metric counts the later pulls done (none here; the runs before did some).
    expect(counted.get(INGEST_METRICS.laterPullsDone)).toBe(doneBefore);
    expect(doneBefore).toBeGreaterThan(0);
    // Time short with only later hours left: that is the time budget, and the summary says so.
    source.fail = undefined;
    const next = await run(start + 61 * HOUR_MS + 16 * MIN, {}, 3);
    expect(next.stoppedEarly).toBe('time-budget');
    expect(next.laterPulls?.left).toBeGreaterThan(0);
  }, 30_000);
});

describe('the later pulls in the run record status reads', () => {
  it('records what the run left of its later pulls, and nothing for a run that had none', () => {
    const laterPulls = {
      planned: 24,
      done: 3,
      failed: 1,
      givenUp: 1,
      left: 20,
      dueFromMs: start,
      onlyLaterLeft: false,
    };
    const summary = { instance: 'acme', mode: 'checkpoint', failures: [], stoppedEarly: null, laterPulls };
    const record = lastRunOf(summary as unknown as IngestSummary, start);
    expect(record.later_pulls).toEqual({ done: 3, given_up: 1, left: 20, due_from_ms: start });
    const none = { ...laterPulls, planned: 0, done: 0, failed: 0, givenUp: 0, left: 0, dueFromMs: null };
    const quiet = lastRunOf({ ...summary, laterPulls: none } as unknown as IngestSummary, start);
    expect(quiet).not.toHaveProperty('later_pulls');
  });
});
