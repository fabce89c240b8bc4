/**
 * Rebuilding the login profile (the report's time zone changed, the profile unreadable, an old one
 * upgraded) reads the whole history window, 720 hours. It read them all after one look at the time
 * budget: at 1M events a day that outlasts the Lambda, so every run was killed inside the rebuild,
 * nothing was saved, and no hour was ever evaluated again. A run now stops folding when the budget
 * says so, saves what it folded, evaluates nothing against the part-built profile (only lockouts
 * and bursts, which do not read it), and the next runs carry on: in the end they raise exactly the
 * alerts of one run with time enough, each once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { newAlertCheckpoint, readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { evaluateHours } from '../../../functions/core/alerts/evaluate-hours.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import {
  cloneStore,
  evaluationContext,
  type MemoryLake,
  memoryLake,
  settings,
} from './support/alert-fixtures.ts';

const FROM = Date.parse('2026-09-20T00:00:00Z');
const TO = Date.parse('2026-10-23T00:00:00Z');
/** Where the alerts stood when the zone changed: before the lake's planted sign-ins (Oct 13-15). */
const STOOD = TO - 10 * DAY_MS;
const NOW = TO + 3 * HOUR_MS + 20 * 60_000;
/** Looks at the time budget a run may take before it is out of time (each hour folded takes one). */
const LOOKS = 250;

let lake: MemoryLake;
beforeAll(async () => {
  lake = memoryLake({ seed: 11, fromMs: FROM, toMs: TO });
  await lake.ingest(STOOD + 15 * 60_000);
  // Alerts evaluated up to STOOD in UTC; then the report's zone changes and 243 more hours are ingested.
  await run(lake.store, STOOD + 20 * 60_000, 'UTC');
  await lake.ingest(TO + 3 * HOUR_MS + 15 * 60_000);
}, 120_000);

function run(store: MemoryObjectStore, nowMs: number, timeZone: string, remainingTimeMs?: () => number) {
  return runAlerts(
    {
      store,
      clock: { now: () => nowMs },
      log: silentLog,
      channels: [],
      ...(remainingTimeMs ? { remainingTimeMs } : {}),
    },
    { instance: 'default', settings: settings({ timeZone }), runId: `run-${nowMs}` },
  );
}

/** Counts the activity objects `store` reads. */
function countingReads(store: MemoryObjectStore): { reads: number } {
  const counter = { reads: 0 };
  const get = store.get.bind(store);
  store.get = (key: string) => {
    if (key.startsWith('activity_log/')) counter.reads++;
    return get(key);
  };
  return counter;
}

describe('a login profile rebuilt within the time budget', () => {
  it('is built over several runs, saved as it goes, and judged only whole', async () => {
    const enough = await run(cloneStore(lake.store), NOW, 'America/New_York');

    expect(enough.nextHourMs).toBe(TO + 3 * HOUR_MS);

    const store = cloneStore(lake.store);
    const raised: string[] = [];
    const readsPerRun: number[] = [];
    let nextHourMs = STOOD;
    let early = 0;
    for (let runs = 0; runs < 10 && nextHourMs < TO + 3 * HOUR_MS; runs++) {
      const counter = countingReads(store);
      let looks = 0;
      const summary = await run(store, NOW + runs * 15 * 60_000, 'America/New_York', () =>
        looks++ < LOOKS ? 600_000 : 0,
      );
      readsPerRun.push(counter.reads);
      raised.push(...summary.raised.map((a) => a.id));
      nextHourMs = (await readAlertCheckpoint(store, 'default'))?.checkpoint.next_hour_ms ?? 0;
      // A run out of time inside the rebuild evaluates no hour in full: the checkpoint stays, and
      // only lockouts, bursts and privileged changes (which do not read the profile) are raised.
      if (nextHourMs === STOOD) {
        for (const alert of summary.raised) {
          expect(['lockout', 'failed_login_burst', 'privileged_change']).toContain(alert.kind);
        }
        early += summary.raised.length;
      }
    }

    expect(readsPerRun.length).toBeGreaterThan(2);
    for (const reads of readsPerRun) expect(reads).toBeLessThanOrEqual(LOOKS + 10);
    expect(nextHourMs).toBe(TO + 3 * HOUR_MS);
    expect(raised.sort()).toEqual(enough.raised.map((a) => a.id).sort());
    expect(early).toBeGreaterThan(0);
  }, 120_000);
});

describe('a login profile rebuild cut short', () => {
  it('is carried on when a recheck moves the next run’s first hour back', async () => {
    const W = Date.parse('2026-11-18T14:00:00Z');
    const store = new MemoryObjectStore();
    const counter = countingReads(store);
    // The last 3 hours evaluated as they are (no coverage: `none`), so the first run starts at W.
    const evaluated = Object.fromEntries([1, 2, 3].map((h) => [String(W - h * HOUR_MS), 'none']));
    const checkpoint = { ...newAlertCheckpoint('acme', W - 60 * DAY_MS), next_hour_ms: W, evaluated };
    let looks = 0;
    const first = await evaluateHours(
      { ...evaluationContext(store), mayContinue: () => looks++ < 400 },
      checkpoint,
      W + HOUR_MS,
    );
    expect(first.evaluated.size).toBe(0);

    // W-2h changed since: the next run evaluates it again first, its window 2 hours earlier.
    delete checkpoint.evaluated[String(W - 2 * HOUR_MS)];
    counter.reads = 0;
    const next = await evaluateHours(evaluationContext(store), checkpoint, W + HOUR_MS);
    expect([...next.evaluated.keys()]).toEqual([W - 2 * HOUR_MS, W - HOUR_MS, W]);
    // The rest of the window and the 3 hours (and the hours before them), not all 720 hours again.
    expect(counter.reads).toBeLessThan(400);
  });

  it('is carried on when a run folds fewer hours than the recheck window', async () => {
    // recheckHours 168 (lookbackHours 48 allows it up to 49; more shows it plainly): a rebuild starts
    // 168 hours before the first hour's history; cut short before that, it was begun again every run.
    const recheckHours = 168;
    const W = Date.parse('2026-11-18T14:00:00Z');
    const store = new MemoryObjectStore();
    const evaluated = Object.fromEntries(
      Array.from({ length: recheckHours }, (_, i) => [String(W - (i + 1) * HOUR_MS), 'none']),
    );
    const checkpoint = { ...newAlertCheckpoint('acme', W - 60 * DAY_MS), next_hour_ms: W, evaluated };
    let runs = 0;
    for (let evaluatedNow = 0; evaluatedNow === 0 && runs < 12; runs++) {
      let looks = 0;
      const out = await evaluateHours(
        { ...evaluationContext(store, { recheckHours }), mayContinue: () => looks++ < 100 },
        checkpoint,
        W + HOUR_MS,
      );
      evaluatedNow = out.evaluated.size;
    }
    // 720 + 168 hours to fold at 100 a run: the 9th run evaluates.
    expect(runs).toBeLessThanOrEqual(10);
  });
});
