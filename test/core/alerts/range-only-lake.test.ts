/**
 * A lake only range pulls (`ingest --from/--to`) wrote has no ingest checkpoint, so no watermark
 * says which hours are complete. Until 2026-12-05 no alert of it could be evaluated: an operator
 * who backfilled an incident's days was told to run a plain ingest first, which pulls 90 days. A
 * run asked to (`coveredWithoutCheckpoint`, the command line's local runs) now judges the hours
 * the coverage manifests cover, and names, without judging, those between them it does not.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateLocalAlerts } from '../../../functions/cli/commands/alerts.ts';
import { IN_ATHENA } from '../../../functions/core/alerts/dig-further.ts';
import { type AlertsRunConfig, runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { writeCoverage } from '../../../functions/core/lake/coverage.ts';
import { activityKey, lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { noMetrics, silentLog } from '../../../functions/core/ports.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { manifest } from '../../queries/support/lake-fixture.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';
import {
  cloneStore,
  memoryLake,
  memoryLakeAlertsRun,
  RecordingChannel,
  record,
  settings,
} from './support/alert-fixtures.ts';

const H0 = Date.parse('2026-10-01T00:00:00Z');
const at = (hours: number) => H0 + hours * HOUR_MS;
const hourName = (ms: number) => lakeTimestamp(ms).slice(0, 16);

/**
 * Hours 0-2 and 5-6 covered (pulled whole), a lockout at :05 of hours 1, 3 and 5; hour 3 holds its
 * object but no manifest (a pull that stopped before it finished the hour), hour 4 nothing.
 */
async function rangeLake(): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  for (const h of [0, 1, 2, 5, 6]) await writeCoverage(store, 'acme', manifest(hourName(at(h))));
  for (const h of [1, 3, 5]) {
    const lockout = record({ category: 'lockout', event_time_ms: at(h) + 5 * 60_000 });
    await store.put(activityKey('acme', at(h)), encodeNdjsonGzip([lockout]));
  }
  return store;
}

const run = (store: MemoryObjectStore, config: Partial<AlertsRunConfig> = {}) =>
  runAlerts(
    { store, clock: { now: () => at(30) }, log: silentLog, channels: [new RecordingChannel()] },
    { instance: 'acme', settings: settings(), runId: 'local', coveredWithoutCheckpoint: true, ...config },
  );

const lockoutHours = (alerts: readonly { event_time_ms: number }[]) =>
  alerts.map((a) => (a.event_time_ms - H0) / HOUR_MS).map(Math.floor);

describe('alerts on a lake without an ingest checkpoint', () => {
  it('judges its covered hours up to the last, and names the uncovered ones between without judging them', async () => {
    const summary = await run(await rangeLake());
    expect(summary.status).toBe('evaluated');
    // Hour 3's lockout is in the lake, but its hour was never pulled whole: not judged.
    expect(lockoutHours(summary.raised)).toEqual([1, 5]);
    expect(summary).toMatchObject({ fromMs: at(0), watermarkMs: at(7) });
    // Asked for no span, it covers what the lake holds: no hour before the first or after the last is named.
    expect(summary.coverage).toEqual({
      asked: { fromMs: at(0), toMs: at(7) },
      uncovered: [{ fromMs: at(3), toMs: at(5) }],
    });
    expect(summary.endMs).toBeUndefined();
  });

  it('leaves out a manifest of an hour not begun: a forged one ahead does not stretch the run', async () => {
    const store = await rangeLake();
    // The clock stands at hour 30's start (which a clock an hour ahead may have closed): 32 has not begun.
    await writeCoverage(store, 'acme', manifest(hourName(at(32))));
    await writeCoverage(store, 'acme', manifest(hourName(at(400))));
    const summary = await run(store);
    expect(summary).toMatchObject({ fromMs: at(0), watermarkMs: at(7) });
    expect(summary.coverage).toMatchObject({ uncovered: [{ fromMs: at(3), toMs: at(5) }] });
  });

  it('stops at an end before the last covered hour, starts at a start after the first', async () => {
    const until = await run(await rangeLake(), { endMs: at(2) + 30 * 60_000 });
    expect(lockoutHours(until.raised)).toEqual([1]);
    expect(until).toMatchObject({ endMs: at(2), watermarkMs: at(7), coverage: { uncovered: [] } });
    const since = await run(await rangeLake(), { startMs: at(2), endMs: at(28) });
    expect(lockoutHours(since.raised)).toEqual([5]);
    // The evaluation stops at the last covered hour, as at a watermark; the hours asked for after
    // it are named, not passed over as if quiet.
    expect(since).toMatchObject({ fromMs: at(2), watermarkMs: at(7) });
    expect(since.coverage).toEqual({
      asked: { fromMs: at(2), toMs: at(28) },
      uncovered: [
        { fromMs: at(3), toMs: at(5) },
        { fromMs: at(7), toMs: at(28) },
      ],
    });
    expect(since.endMs).toBeUndefined();
  });

  it('names the hours asked for before the first covered hour, not judged (review R-AHEAD2)', async () => {
    // `alerts --since 11-20 --until 11-27` on a lake pulled from 11-26 on printed `[]` and no word
    // of the six days it never looked at: an incident responder read it as an all-clear.
    const summary = await run(await rangeLake(), { startMs: at(-48) + 20 * 60_000, endMs: at(2) });
    expect(lockoutHours(summary.raised)).toEqual([1]);
    expect(summary.coverage).toEqual({
      asked: { fromMs: at(-48), toMs: at(2) },
      uncovered: [{ fromMs: at(-48), toMs: at(0) }],
    });
    // One wholly before the lake: nothing judged, every hour asked for named.
    const before = await run(await rangeLake(), { startMs: at(-48), endMs: at(-24) });
    expect(before).toMatchObject({ hoursEvaluated: 0, raised: [] });
    expect(before.coverage?.uncovered).toEqual([{ fromMs: at(-48), toMs: at(-24) }]);
  });

  it('names the hours asked for after the last covered hour up to the last an ingest can pull now, and says it stopped there', async () => {
    // The clock is at hour 30's start: hour 29 has not settled (15 minutes), so ingest pulls up to 29.
    const summary = await run(await rangeLake(), { startMs: at(5), endMs: at(400) });
    expect(summary.coverage).toEqual({
      asked: { fromMs: at(5), toMs: at(29) },
      uncovered: [{ fromMs: at(7), toMs: at(29) }],
      notClosedFromMs: at(29),
    });
    // A start after the last covered hour without an end asks for none of the lake's hours: none is named
    // (the command says it evaluated none).
    const after = await run(await rangeLake(), { startMs: at(10) });
    expect(after.coverage).toEqual({ asked: { fromMs: at(10), toMs: at(10) }, uncovered: [] });
  });

  it('reads only the covered hours: a stray manifest years back costs no read per hour since (review R-AHEAD2)', async () => {
    const store = await rangeLake();
    await writeCoverage(store, 'acme', manifest(hourName(at(-2 * 365 * 24))));
    let reads = 0;
    const get = store.get.bind(store);
    store.get = (key: string) => {
      if (key.startsWith('activity_log/') || key.startsWith('coverage/')) reads++;
      return get(key);
    };
    // Uncapped, as the command line runs it (a local run has no checkpoint to continue from).
    const summary = await run(store, { settings: settings({ maxHoursPerRun: Number.POSITIVE_INFINITY }) });
    expect(lockoutHours(summary.raised)).toEqual([1, 5]);
    expect(summary.coverage?.uncovered).toEqual([
      { fromMs: at(-2 * 365 * 24 + 1), toMs: at(0) },
      { fromMs: at(3), toMs: at(5) },
    ]);
    // Six covered hours, each its object, the one before it and its manifest: not 17,500 hours' worth.
    expect(reads).toBeLessThanOrEqual(6 * 3);
  });

  it('is not evaluated unless asked: the deployed function, whose ingest always writes a checkpoint, is as before', async () => {
    const store = await rangeLake();
    const before = [...store.objects.keys()];
    const summary = await run(store, { coveredWithoutCheckpoint: false });
    expect(summary).toMatchObject({ status: 'no-data', hoursEvaluated: 0, raised: [] });
    expect([...store.objects.keys()]).toEqual(before);
  });
});

describe('a range evaluated locally, then the scheduled ingest and alerts', () => {
  it('lists the range’s lockout locally, writes nothing, and the scheduled runs later send it once', async () => {
    const day0 = Date.parse('2026-10-01T00:00:00Z');
    const end = day0 + 10 * DAY_MS;
    const now = end + 30 * 60_000;
    const lake = memoryLake({ seed: 7, fromMs: day0, toMs: end });
    const planted = lake.planted.find((pattern) => pattern.kind === 'lockout_burst');
    if (planted?.kind !== 'lockout_burst') throw new Error('seed 7 plants a lockout burst');
    const lockoutMs = planted.evidence.lockedOutMs;
    const incident = {
      fromMs: Math.floor(lockoutMs / DAY_MS) * DAY_MS,
      toMs: Math.floor(lockoutMs / DAY_MS) * DAY_MS + DAY_MS,
    };
    const deps = {
      ...noWaits,
      source: lake.source,
      store: lake.store,
      clock: { now: () => now },
      log: silentLog,
      metrics: noMetrics,
    };
    await runIngest(deps, { ...defaultIngestConfig('default'), concurrency: 4 }, { range: incident });

    const range = cloneStore(lake.store);
    const outDir = await mkdtemp(join(tmpdir(), 'range-only-alerts-'));
    const local = await evaluateLocalAlerts({
      lake: lake.store,
      instance: 'default',
      outDir,
      clock: { now: () => now },
      digFurther: IN_ATHENA,
    }).finally(() => rm(outDir, { recursive: true, force: true }));
    const isLockout = (a: { kind: string; event_time_ms: number }) =>
      a.kind === 'lockout' && a.event_time_ms === lockoutMs;
    expect(local.summary.raised.filter(isLockout)).toHaveLength(1);
    expect(local.summary).toMatchObject({
      fromMs: incident.fromMs,
      watermarkMs: incident.toMs,
      coverage: { uncovered: [] },
    });
    // Nothing of the local run reached the lake: no alerts checkpoint, profile or archive.
    expect([...lake.store.objects.entries()]).toEqual([...range.objects.entries()]);

    // The first plain ingest pulls the lake's days and writes the checkpoint; the scheduled alerts
    // then evaluate from the lake's first hour, the range's included: the lockout is raised (the
    // local run took nothing in), once.
    await lake.ingest(now);
    const first = await memoryLakeAlertsRun(lake.store, now, new RecordingChannel());
    const second = await memoryLakeAlertsRun(lake.store, now + HOUR_MS, new RecordingChannel());
    expect(first.raised.filter(isLockout)).toHaveLength(1);
    expect(second.raised.filter(isLockout)).toHaveLength(0);
  });
});
