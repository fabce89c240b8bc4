import { describe, expect, it } from 'vitest';
import type { AuditPage, AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { DomoConfigError } from '../../../functions/core/domo/errors.ts';
import type { IngestConfig, IngestSummary } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { readCoverage } from '../../../functions/core/lake/coverage.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { ONE_HOUR_SPANS, oneDayAcme } from '../../support/hour-by-hour-ingest.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/*
 * R-SIM F2/F3: the schedule pulls an hour when it has settled and again for `lookbackHours` (2)
 * hours, never after. An event Domo serves later, or an hour one spurious empty answer made look
 * empty when no lookback pull followed (a run catching up), was lost for good, and nothing counted
 * it. Each hour now gets one later pull, `repullAfterHours` (24) after its first, merged like a
 * lookback pull (late events counted), planned from the checkpoint alone.
 */

const MIN = 60_000;
const hour10 = Date.parse('2026-10-01T10:00:00Z');
const end10 = hour10 + HOUR_MS;
const hourly = ONE_HOUR_SPANS;
const config = oneDayAcme;

/** The hour a one-hour query pulls (the client asks from a millisecond before it). */
const hourOf = (query: AuditQuery): number => query.start + 1;

/**
 * A source that records every query it answered, and can answer chosen ones with `200 []` (a
 * lagging replica) or fail them, by the run's time and the hour asked for.
 */
class ScheduledSource implements AuditSource {
  readonly inner = new MemoryAuditSource();
  /** Pulls answered (their first page), each with the hour and the time of the run that asked. */
  readonly answered: { hourMs: number; atMs: number }[] = [];
  nowMs = 0;
  empty?: (hourMs: number, atMs: number) => boolean;
  fail?: (hourMs: number, atMs: number) => boolean;
  /** Refusals of the client's configuration (a secret rotated mid-run), by the same key. */
  refuse?: (hourMs: number, atMs: number) => boolean;

  /** Failures by the whole span a query covers (a query of several hours, read as one). */
  failQuery?: (query: AuditQuery, atMs: number) => boolean;

  async fetchPage(query: AuditQuery): Promise<AuditPage> {
    const hourMs = hourOf(query);
    if (this.failQuery?.(query, this.nowMs)) throw new Error('Domo answered 500');
    if (this.refuse?.(hourMs, this.nowMs))
      throw new DomoConfigError('Domo answered 401: bad client secret', 401);
    if (this.fail?.(hourMs, this.nowMs))
      throw new Error(`Domo answered 503 for ${new Date(hourMs).toISOString()}`);
    const page = this.empty?.(hourMs, this.nowMs)
      ? { entries: [], entryTexts: [], requests: 1 }
      : await this.inner.fetchPage(query);
    // A page at an offset continues the same pull.
    if (query.offset === 0) this.answered.push({ hourMs, atMs: this.nowMs });
    return page;
  }
}

function lake(over: Partial<IngestConfig> = {}) {
  const source = new ScheduledSource();
  const store = new MemoryObjectStore();
  const run = (nowMs: number): Promise<IngestSummary> => {
    source.nowMs = nowMs;
    return runIngest(quietIngestDeps(source, store, nowMs), config(over), hourly);
  };
  /** Scheduled runs every `stepMs` from `fromMs` up to `toMs` (exclusive); their summaries. */
  const schedule = async (fromMs: number, toMs: number, stepMs = HOUR_MS) => {
    const summaries: IngestSummary[] = [];
    for (let at = fromMs; at < toMs; at += stepMs) summaries.push(await run(at));
    return summaries;
  };
  return { source, store, run, schedule };
}

const five = (fromMs: number) => Array.from({ length: 5 }, (_, i) => viewEntry(fromMs + i * 10 * MIN, i));

describe('the later pull (repullAfterHours)', () => {
  it('stores an event Domo serves 5 hours after its hour closed, a day on, and counts it late', async () => {
    const { source, store, schedule } = lake();
    source.inner.add(...five(hour10));
    // Hourly runs, 16 min past: hour 10 is pulled at 11:16, then by the lookback at 12:16, 13:16.
    const early = await schedule(end10 + 16 * MIN, end10 + 5 * HOUR_MS);
    expect(early.reduce((n, s) => n + s.eventsWritten, 0)).toBe(5);
    source.inner.add(viewEntry(end10 - MIN, 100)); // Served at 16:00, 5 h after 11:00.
    const day = await schedule(end10 + 5 * HOUR_MS + 16 * MIN, end10 + 25 * HOUR_MS);
    // Found by the run whose watermark passed 10:00 + 24 h: the one at 11:16 the next day.
    const found = day.filter((s) => s.eventsWritten > 0);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ eventsWritten: 1, lateEvents: 1, failures: [] });
    // Its last pull before began 2 h 16 min after the hour's end (the lookback's last).
    expect(found[0]?.lateByAtLeastMs).toBe(2 * HOUR_MS + 16 * MIN);
    expect(found[0]?.watermarkBeforeMs).toBe(hour10 + 24 * HOUR_MS);
    const manifest = await readCoverage(store, 'acme', hour10);
    expect(manifest).toMatchObject({ event_count: 6, late_events: 1, late_events_total: 1 });
    // Pulled at age 16 min, 1 h 16, 2 h 16, and once more a day after its first pull: four times.
    expect(source.answered.filter((a) => a.hourMs === hour10)).toHaveLength(4);
  });

  it('repairs an hour a spurious empty answer made look empty, on a run catching up', async () => {
    const { source, store, run, schedule } = lake();
    source.inner.add(...five(hour10));
    await run(hour10 + 16 * MIN); // Caught up to 10:00.
    // Down for 6 hours; the run catching up reads 10:00 once, with no lookback pull after it, and
    // Domo answers that read with nothing at all.
    source.empty = (hourMs, atMs) => hourMs === hour10 && atMs === hour10 + 6 * HOUR_MS + 16 * MIN;
    const catchUp = await run(hour10 + 6 * HOUR_MS + 16 * MIN);
    expect(catchUp).toMatchObject({ failures: [], eventsWritten: 0 });
    await schedule(hour10 + 7 * HOUR_MS + 16 * MIN, hour10 + 24 * HOUR_MS);
    expect((await readCoverage(store, 'acme', hour10))?.event_count).toBe(0);
    // The later pull: by the first run 24 h after the hour's end.
    const day = await schedule(hour10 + 24 * HOUR_MS + 16 * MIN, hour10 + 28 * HOUR_MS);
    expect(day.map((s) => s.lateEvents)).toEqual([0, 5, 0, 0]);
    expect((await readCoverage(store, 'acme', hour10))?.event_count).toBe(5);
  });

  it('gives each hour one pull at least a day after it, through failed runs and downtime; one that fails is given up', async () => {
    const { source, store, schedule } = lake();
    const start = hour10;
    // Every 15 min for a day, then down 30 hours, then every 15 min for 2 days.
    const failures = new Map<number, number>();
    source.fail = (hourMs, atMs) => {
      // Domo down for 2 hours: every run fails (the watermark holds, the runs after retry).
      if (atMs >= start + 30 * HOUR_MS && atMs < start + 32 * HOUR_MS) return true;
      // One hour whose later pull fails every time: tried by 3 runs, then given up (R-REPULL F1:
      // retried for good, it failed every run and held every later pull after it; R-FINAL F4: given
      // up at once, a passing failure lost it); the watermark moves on.
      const later = hourMs === start + 2 * HOUR_MS && atMs - hourMs > 20 * HOUR_MS;
      if (later) {
        failures.set(hourMs, (failures.get(hourMs) ?? 0) + 1);
        return true;
      }
      return false;
    };
    const first = await schedule(start + 16 * MIN, start + 40 * HOUR_MS, 15 * MIN);
    expect(first.filter((s) => s.failures.length > 0).length).toBeGreaterThan(4);
    expect(failures.get(start + 2 * HOUR_MS)).toBe(3);
    // A failed later pull holds nothing: each run moved the watermark over its new hour, and says
    // whether the later pull is tried again.
    const laterFailed = first.filter((s) => s.failures.some((f) => f.windowStartMs === start + 2 * HOUR_MS));
    expect(laterFailed.map((s) => s.failures[0]?.message.replace(/\): .*/, ')'))).toEqual([
      'the later pull of this hour failed, and the next run tries it again (try 1 of 3; what its earlier pulls stored stands)',
      'the later pull of this hour failed, and the next run tries it again (try 2 of 3; what its earlier pulls stored stands)',
      'the later pull of this hour failed, and is not tried again after 3 tries (what its earlier pulls stored stands; a range re-pull of the hour tries it again)',
    ]);
    // Only the give-up is marked so: the command line advises a re-pull from the mark.
    expect(laterFailed.map((s) => s.failures[0]?.laterPullGivenUp)).toEqual([undefined, undefined, true]);
    expect(laterFailed.map((s) => s.laterPulls)).toMatchObject([
      { failed: 1, givenUp: 0 },
      { failed: 1, givenUp: 0 },
      { failed: 1, givenUp: 1 },
    ]);
    // The later hours a failed one left unstarted are no time-budget stop (R-FINAL F3).
    for (const s of laterFailed) expect(s.stoppedEarly).toBeNull();
    for (const s of laterFailed) expect(s.watermarkAfterMs).toBe((s.watermarkBeforeMs ?? 0) + HOUR_MS);
    const after = await schedule(start + 70 * HOUR_MS, start + 118 * HOUR_MS, 15 * MIN);
    expect(after.every((s) => s.failures.length === 0)).toBe(true);

    // Each hour the schedule has left behind (pulled for the last time by now), from the first
    // run's backfill on: exactly one pull that came at least 24 hours after the hour ended.
    const lastMs = start + 118 * HOUR_MS - 26 * HOUR_MS;
    const firstRunFrom = start - 24 * HOUR_MS;
    for (let hourMs = firstRunFrom; hourMs < lastMs; hourMs += HOUR_MS) {
      const pulls = source.answered.filter((a) => a.hourMs === hourMs);
      const late = pulls.filter((a) => a.atMs >= hourMs + HOUR_MS + 24 * HOUR_MS);
      expect(late.length, new Date(hourMs).toISOString()).toBe(hourMs === start + 2 * HOUR_MS ? 0 : 1);
    }
    // Nothing left over: every hour due is pulled, and the checkpoint says so by leaving it out.
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.repull_from_ms).toBeUndefined();
  }, 60_000);

  it('gives up only the hour that fails when later hours are read as one span (review R-OP2 M2)', async () => {
    const source = new ScheduledSource();
    const store = new MemoryObjectStore();
    for (let t = hour10 - 24 * HOUR_MS; t < hour10 + 48 * HOUR_MS; t += HOUR_MS) source.inner.add(...five(t));
    // 13:00 answers 500 to every pull a day on, alone or in a span of quiet hours read as one.
    const bad = hour10 + 3 * HOUR_MS;
    source.failQuery = (query, atMs) =>
      atMs - bad > 20 * HOUR_MS && query.start < bad + HOUR_MS - 1 && query.end > bad + 1;
    const summaries: IngestSummary[] = [];
    const runAt = async (at: number) => {
      source.nowMs = at;
      // The planner's own spans: quiet hours are read several at once.
      summaries.push(await runIngest(quietIngestDeps(source, store, at), config(), {}));
    };
    // Every 15 minutes for 12 hours, down for 30, then every 15 minutes for 6: the later pulls of
    // the 12 hours come due together, and are read as spans of several hours.
    for (let at = hour10 + 16 * MIN; at < hour10 + 12 * HOUR_MS; at += 15 * MIN) await runAt(at);
    for (let at = hour10 + 42 * HOUR_MS; at < hour10 + 48 * HOUR_MS; at += 15 * MIN) await runAt(at);
    // The span of 24 due hours fails as a whole once: no hour is charged, each is pulled alone.
    expect(
      summaries.some((s) => s.failures.some((f) => /these 24 hours, read as one, failed/.test(f.message))),
    ).toBe(true);
    const givenUp = summaries.flatMap((s) =>
      s.failures.filter((f) => f.laterPullGivenUp).map((f) => f.windowStartMs),
    );
    expect(givenUp).toEqual([bad]);
    expect(summaries.reduce((n, s) => n + (s.laterPulls?.givenUp ?? 0), 0)).toBe(1);
    // Every other hour of those 12 got its later pull, a day or more after it ended.
    const checkpoint = (await readCheckpoint(store, 'acme'))?.checkpoint;
    expect(checkpoint?.repull_tries ?? []).toEqual([]);
    for (let hourMs = hour10; hourMs < hour10 + 11 * HOUR_MS; hourMs += HOUR_MS) {
      if (hourMs === bad) continue;
      const coverage = await readCoverage(store, 'acme', hourMs);
      expect(Date.parse(coverage?.fetched_at ?? ''), new Date(hourMs).toISOString()).toBeGreaterThan(
        hourMs + 24 * HOUR_MS,
      );
    }
  });

  it('charges no try for an outage: Domo down for 2 hours gives no healthy hour up at concurrency 4 (review R-LATER3 H1)', async () => {
    const { source, store, schedule } = lake({ concurrency: 4 });
    const start = hour10;
    for (let t = start - 24 * HOUR_MS; t < start + 60 * HOUR_MS; t += HOUR_MS) source.inner.add(...five(t));
    // Every request fails from a day and a half on, for 2 hours: new hours and later pulls alike.
    const downFrom = start + 36 * HOUR_MS;
    source.fail = (_hourMs, atMs) => atMs >= downFrom && atMs < downFrom + 2 * HOUR_MS;
    const summaries = await schedule(start + 16 * MIN, start + 44 * HOUR_MS, 15 * MIN);
    const duringOutage = summaries.filter((s) => s.failures.length > 0);
    expect(duringOutage.length).toBeGreaterThanOrEqual(6);
    expect(
      duringOutage
        .flatMap((s) => s.failures)
        .some((f) => f.message.includes('an outage, which counts as no try')),
    ).toBe(true);
    expect(summaries.reduce((n, s) => n + (s.laterPulls?.givenUp ?? 0), 0)).toBe(0);
    // Every hour left behind got its later pull once Domo was back.
    const checkpoint = (await readCheckpoint(store, 'acme'))?.checkpoint;
    expect(checkpoint?.repull_tries ?? []).toEqual([]);
    for (let hourMs = start; hourMs < start + 16 * HOUR_MS; hourMs += HOUR_MS) {
      const late = source.answered.filter((a) => a.hourMs === hourMs && a.atMs >= hourMs + 25 * HOUR_MS);
      expect(late.length, new Date(hourMs).toISOString()).toBe(1);
    }
  });

  it('gives no hour up for a configuration error during its later pull: the next run pulls it (R-FINAL F2)', async () => {
    const { source, store, run } = lake();
    source.inner.add(...five(hour10));
    await run(hour10 + 16 * MIN);
    // Runs every hour; the first later pull of 10:00 (a day on) meets a refused secret once.
    let refused = 0;
    source.refuse = (hourMs, atMs) => hourMs === hour10 && atMs >= end10 + 24 * HOUR_MS && refused++ === 0;
    for (let at = end10 + 16 * MIN; at < end10 + 26 * HOUR_MS; at += HOUR_MS) await run(at);
    expect(refused).toBeGreaterThan(1);
    const late = source.answered.filter((a) => a.hourMs === hour10 && a.atMs >= end10 + 24 * HOUR_MS);
    expect(late).toHaveLength(1);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.repull_from_ms).toBeUndefined();
  });

  it('takes only the time the new hours leave: a run short of time pulls them, the next run the later ones', async () => {
    const { source, store, run } = lake();
    source.inner.add(...five(hour10));
    await run(hour10 + 16 * MIN); // The backfill: up to 10:00, read once, at their age then.
    await run(hour10 + HOUR_MS + 16 * MIN);
    // Down for 30 hours: the run after has 30 new hours (no lookback: a day back is past its
    // backfill), and the later pulls of the 24 hours from 11:00 the day before to 10:00 are due
    // (the runs before read them less than a day after they ended).
    const at = hour10 + 31 * HOUR_MS + 16 * MIN;
    const dueFrom = hour10 - 23 * HOUR_MS;
    source.nowMs = at;
    const newHours = () => source.answered.filter((a) => a.atMs === at && a.hourMs > hour10).length;
    // Time runs short (under the margin, above the hard stop) once the 30 new hours are read.
    const deps = {
      ...quietIngestDeps(source, store, at),
      remainingTimeMs: () => (newHours() < 30 ? 600_000 : 45_000),
    };
    const short = await runIngest(deps, config(), hourly);
    expect(short).toMatchObject({
      windowsPlanned: 30 + 24,
      windowsDone: 30,
      stoppedEarly: 'time-budget',
    });
    expect(short.watermarkAfterMs).toBe(hour10 + 31 * HOUR_MS);
    expect(source.answered.filter((a) => a.hourMs === dueFrom)).toHaveLength(1);
    expect(source.answered.filter((a) => a.hourMs === hour10)).toHaveLength(1);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.repull_from_ms).toBe(dueFrom);
    // The next run with a new hour pulls them, and the mark is gone.
    const next = await run(hour10 + 32 * HOUR_MS + 16 * MIN);
    expect(next.failures).toEqual([]);
    expect(source.answered.filter((a) => a.hourMs === dueFrom)).toHaveLength(2);
    expect(source.answered.filter((a) => a.hourMs === hour10)).toHaveLength(2);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.repull_from_ms).toBeUndefined();
  });

  it('is off at 0: each hour is pulled only by the lookback, and the checkpoint has no mark', async () => {
    const pulls = async (repullAfterHours: number) => {
      const { source, store, schedule } = lake({ repullAfterHours });
      source.inner.add(...five(hour10));
      await schedule(end10 + 16 * MIN, end10 + 30 * HOUR_MS, 15 * MIN);
      const checkpoint = (await readCheckpoint(store, 'acme'))?.checkpoint;
      return { hour10: source.answered.filter((a) => a.hourMs === hour10).length, checkpoint };
    };
    const off = await pulls(0);
    // Pulled once it settled, then by the lookback of the 2 runs with a new hour after it.
    expect(off.hour10).toBe(3);
    expect(off.checkpoint).not.toHaveProperty('repull_from_ms');
    expect((await pulls(24)).hour10).toBe(4);
  }, 30_000);
});
