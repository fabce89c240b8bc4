import { vi } from 'vitest';
import { createAuditClient } from '../../functions/core/domo/audit-client.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig, IngestSummary } from '../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { advanceStoredCheckpoint, readCheckpoint } from '../../functions/core/lake/checkpoint.ts';
import { readCoverage } from '../../functions/core/lake/coverage.ts';
import type { CoverageManifest } from '../../functions/core/lake/coverage-manifest.ts';
import { digestPrefix } from '../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../functions/core/lake/verify-integrity.ts';
import { verifyLake } from '../../functions/core/lake/verify-lake.ts';
import { PreconditionFailedError, silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { Prng } from '../../functions/simulator/prng.ts';
import type { MemoryObjectStore } from '../support/memory-store.ts';
import { noWaits } from '../support/no-waits.ts';
import { VersionedMemoryStore } from '../support/versioned-memory-store.ts';
import {
  DiedBetweenOperations,
  FaultyStore,
  InjectedS3Error,
  NO_STORE_FAULTS,
  type StoreFaultCounts,
  type StoreFaults,
} from './faulty-store.ts';
import { InProcessDomo, NO_DOMO_FAULTS, type SourceEntry } from './in-process-domo.ts';
import { RunTime } from './run-time.ts';
import { goodEntry, markersIn, missing, type ScenarioOutcome } from './scenario.ts';

const MIN = 60_000;
const INSTANCE = 'acme';
/** The watermark the lake starts from; run k (from 0) runs at half past hour k + 1. */
const BASE = Date.parse('2026-10-05T00:00:00Z');
const runAt = (k: number) => BASE + (k + 1) * HOUR_MS + 30 * MIN;
/** Scheduled runs under faults; clean runs follow until the lake converges. */
const DIRTY_RUNS = 5;
const CLEAN_RUNS = 2;
const LOOKBACK_HOURS = defaultIngestConfig(INSTANCE).lookbackHours;
/** Small, so the hard stop (half of it) is checked every 10 ms (virtual: runOnce). */
const MARGIN_MS = 400;
/**
 * A tight run's margin: more than its hours in flight cost (a few GETs and puts each, see
 * OPERATION_MS), less than reading back a day of hours a dead re-pull left.
 */
const TIGHT_MARGIN_MS = 800;
/** Hours of history before the schedule, that a re-pull from the command line pulls again and dies. */
const HISTORY_HOURS = 24;
const HISTORY_END = BASE - LOOKBACK_HOURS * HOUR_MS;
const HISTORY_START = HISTORY_END - HISTORY_HOURS * HOUR_MS;

/**
 * A re-pull of the history from the command line (a range run) that dies just before its sealed
 * digest: every hour it wrote is in no digest, and the chain ends unsealed with its hours, so the
 * next run that writes must read them all back first (the sweep), within its time.
 */
async function deadRepull(domo: InProcessDomo, lake: MemoryObjectStore, rng: Prng): Promise<void> {
  const nowMs = runAt(0) - 10 * MIN;
  // Its digests before the seal land (each write waits for one listing it as about to be made).
  lake.beforePut = (key, _n, body) => {
    const seal =
      key.startsWith(digestPrefix(INSTANCE)) && new TextDecoder().decode(body).includes('"sealed":true');
    if (seal) throw new DiedBetweenOperations();
  };
  const source = createAuditClient({
    apiBase: 'https://api.domo.test',
    credentials: { clientId: 'campaign', clientSecret: 'campaign-secret' },
    clock: { now: () => nowMs },
    sleep: async () => undefined,
    pacingClock: { now: () => nowMs },
    random: () => rng.next(),
    fetch: domo.fetch,
    requestsPerSecond: 1_000_000,
  });
  const deps = {
    ...noWaits,
    source,
    store: lake,
    clock: { now: () => nowMs },
    log: silentLog,
    metrics: { count() {} },
  };
  await runIngest(
    deps,
    { ...defaultIngestConfig(INSTANCE), concurrency: 2 },
    {
      range: { fromMs: HISTORY_START, toMs: HISTORY_END },
    },
  ).catch((error: unknown) => {
    if (!(error instanceof DiedBetweenOperations)) throw error;
  });
  lake.beforePut = undefined;
}
/** Under the hard stop's threshold (MARGIN_MS / 2): the run's deadline watch aborts what runs. */
const AFTER_HANG_MS = 90;

/** What a schedule scenario injected, summed by the campaign. */
export interface ScheduleCounts extends StoreFaultCounts {
  lookbackFails: number;
  lookbackHangs: number;
  hardStops: number;
  tightRuns: number;
  sweepsOutOfTime: number;
  lateInLookback: number;
}

const noCounts = (): ScheduleCounts => ({
  landed412: 0,
  digestLanded412: 0,
  stateLanded412: 0,
  landed500: 0,
  readBackFailed: 0,
  getFailed: 0,
  inFlight409: 0,
  inFlightLanded: 0,
  lookbackFails: 0,
  lookbackHangs: 0,
  hardStops: 0,
  tightRuns: 0,
  sweepsOutOfTime: 0,
  lateInLookback: 0,
});

/**
 * The hour `h` is first pulled by the run at h + 1:30 (the first run pulls the lookback hours
 * before BASE too) and for the last time by the one at h + 3:30 (its lookback): an entry Domo
 * starts serving in between is late, and must be stored all the same.
 */
function plan(
  seed: number,
  rng: Prng,
  counts: ScheduleCounts,
  repull: boolean,
): { entries: SourceEntry[]; markers: string[] } {
  const entries: SourceEntry[] = [];
  const markers: string[] = [];
  let n = 0;
  for (let hour = HISTORY_START; repull && hour < HISTORY_END; hour += HOUR_MS, n++) {
    const timeMs = hour + Math.floor(rng.next() * HOUR_MS);
    entries.push({ timeMs, text: goodEntry(seed, n, timeMs, rng) });
    markers.push(`good-${seed}-${n}`);
  }
  for (let hour = BASE - LOOKBACK_HOURS * HOUR_MS; hour < BASE + DIRTY_RUNS * HOUR_MS; hour += HOUR_MS) {
    const firstPull = Math.max(hour + HOUR_MS + 30 * MIN, runAt(0));
    const lastPull = hour + (LOOKBACK_HOURS + 1) * HOUR_MS + 30 * MIN;
    for (let i = rng.int(0, 3); i > 0; i--, n++) {
      const timeMs = hour + Math.floor(rng.next() * HOUR_MS);
      const late = lastPull > firstPull + 2 * MIN && rng.next() < 0.5;
      const visibleFromMs = late ? rng.int(firstPull + MIN, lastPull - MIN) : undefined;
      if (late) counts.lateInLookback++;
      entries.push({ timeMs, text: goodEntry(seed, n, timeMs, rng), ...(late ? { visibleFromMs } : {}) });
      markers.push(`good-${seed}-${n}`);
    }
  }
  return { entries, markers };
}

/**
 * The hours a scheduled run pulled, when it pulled every hour it planned (`complete`): from the
 * lookback before its watermark to its new watermark. Otherwise the hours it may have touched.
 */
interface RunPulled {
  complete: boolean;
  fromMs: number;
  toMs: number;
}

function pulledBy(watermarkMs: number, nowMs: number, ran: RunEnd): RunPulled {
  const { summary } = ran;
  const complete =
    summary !== undefined &&
    !ran.crashed &&
    !ran.killed &&
    summary.failures.length === 0 &&
    summary.windowsFailed === 0 &&
    summary.windowsDone === summary.windowsPlanned &&
    summary.watermarkAfterMs !== null;
  const fromMs = watermarkMs - LOOKBACK_HOURS * HOUR_MS;
  if (complete && summary.watermarkAfterMs !== null)
    return { complete, fromMs, toMs: summary.watermarkAfterMs };
  return { complete: false, fromMs, toMs: nowMs };
}

/**
 * Hours whose manifest's counts are wrong (`found`), and how many were checked exactly. Where every run that may have pulled an hour pulled it
 * completely, the truth is known: each late entry of the hour counted once (Domo starts serving it
 * between the hour's first pull and its last), and one pull per run. Elsewhere only more late
 * events than Domo served late is wrong (a pull counted twice, say a manifest decided again on its
 * own write): a run that dies between an hour's events and its manifest leaves its late events to
 * a pull that finds them stored already, and its pull uncounted.
 */
async function wrongCounts(
  lake: MemoryObjectStore,
  entries: readonly SourceEntry[],
  runs: readonly RunPulled[],
) {
  const lateByHour = new Map<number, number>();
  for (const { timeMs, visibleFromMs } of entries) {
    const hour = Math.floor(timeMs / HOUR_MS) * HOUR_MS;
    if (visibleFromMs !== undefined) lateByHour.set(hour, (lateByHour.get(hour) ?? 0) + 1);
  }
  const found: string[] = [];
  let exact = 0;
  for (let hour = HISTORY_START; hour < BASE + (DIRTY_RUNS + CLEAN_RUNS) * HOUR_MS; hour += HOUR_MS) {
    const manifest = await readCoverage(lake, INSTANCE, hour);
    const touching = runs.filter((run) => run.fromMs <= hour && hour < run.toMs);
    // The dead re-pull's history hours and those a disturbed run touched: one-sided.
    const known = hour >= HISTORY_END && touching.every((run) => run.complete);
    if (known) exact++;
    found.push(
      ...hourCountsWrong(hour, manifest, lateByHour.get(hour) ?? 0, known ? touching.length : undefined),
    );
  }
  return { found, exact };
}

/** What is wrong with one hour's counts (`pulls`: its complete pulls, when known: {@link wrongCounts}). */
function hourCountsWrong(
  hour: number,
  manifest: CoverageManifest | undefined,
  late: number,
  pulls: number | undefined,
): string[] {
  const at = new Date(hour).toISOString();
  const counted = manifest?.late_events_total ?? 0;
  if (pulls === undefined)
    return counted > late ? [`${at}: ${counted} late counted, ${late} served late`] : [];
  const wrong: string[] = [];
  if (counted !== late)
    wrong.push(`${at}: ${counted} late counted, ${late} served late (every pull complete)`);
  const fetches = manifest?.fetch_count ?? 0;
  if (fetches !== pulls) wrong.push(`${at}: fetch_count ${fetches}, ${pulls} complete pulls`);
  return wrong;
}

/** What one dirty run meets. */
interface RunFaults {
  store: StoreFaults;
  /** A lookback hour whose requests fail (503 past the client's retries) or hang until the hard stop. */
  target?: { hourMs: number; answer: 'fail' | 'hang' };
  tight: boolean;
}

const CLEAN: RunFaults = { store: NO_STORE_FAULTS, tight: false };

function faultsOf(rng: Prng, watermarkMs: number, afterCrash: boolean): RunFaults {
  const landed = rng.next() < 0.5;
  // A stream of its own: the faults drawn before it was added stay as they were for each seed.
  const inFlight = rng.fork(`in-flight-409-${watermarkMs}`);
  const store: StoreFaults = {
    crashAt: rng.next() < 0.25 ? rng.int(3, 60) : 0,
    landedButFailed: landed ? rng.next() * 0.2 : 0,
    readBackFails: landed ? rng.next() : 0,
    getFails: rng.next() < 0.3 ? rng.next() * 0.08 : 0,
    inFlight409: inFlight.next() < 0.4 ? inFlight.next() * 0.15 : 0,
  };
  const hourMs = watermarkMs - rng.int(1, LOOKBACK_HOURS) * HOUR_MS;
  const target = rng.next() < 0.6 ? { hourMs, answer: rng.next() < 0.5 ? 'fail' : 'hang' } : undefined;
  // A tight deadline matters most right after a run died: the sweep of its hours takes the time.
  const tight = target?.answer !== 'hang' && rng.next() < (afterCrash ? 0.6 : 0.15);
  return { store, target: target as RunFaults['target'], tight };
}

const unavailable = () =>
  new Response(JSON.stringify({ status: 503, message: 'unavailable' }), {
    status: 503,
    headers: { 'content-type': 'application/json' },
  });

/** Domo as one run sees it: requests for the target hour fail or hang; each request costs time. */
function domoFor(domo: InProcessDomo, faults: RunFaults, time: RunTime, counts: ScheduleCounts) {
  const target = faults.target;
  return async (url: string | URL, init?: RequestInit): Promise<Response> => {
    time.spend('request');
    const query = new URL(String(url));
    const start = Number(query.searchParams.get('start'));
    const end = Number(query.searchParams.get('end'));
    const hits =
      query.pathname === '/v1/audit' && target && start < target.hourMs + HOUR_MS && end >= target.hourMs;
    if (!hits) return domo.fetch(url, init);
    if (target.answer === 'fail') return unavailable();
    counts.lookbackHangs++;
    // Domo answers slowly (Retry-After waits): only the run's hard stop ends the wait. The deadline
    // watch's next look comes at once, on the run's virtual interval (runOnce), not up to 10 ms of
    // real time later.
    void time.whenIdle().then(() => {
      if (time.expire(AFTER_HANG_MS)) vi.advanceTimersToNextTimer();
    });
    return new Promise((_, reject) => {
      const signal = init?.signal;
      if (signal?.aborted) reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };
}

interface RunEnd {
  crashed: boolean;
  killed: boolean;
  summary?: IngestSummary;
}

/**
 * Runs `run`, with the deadline watch's checks virtual when `virtual` (a hard-stop run): the watch is
 * the only interval a run sets, and it looks as soon as the hung answer has taken the time
 * (domoFor), so no run waits on a real timer.
 */
async function withVirtualWatch<T>(virtual: boolean, run: () => Promise<T>): Promise<T> {
  if (!virtual) return run();
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  try {
    return await run();
  } finally {
    vi.useRealTimers();
  }
}

/** One run: its client, store, time and faults; errors the faults caused are the run's end. */
async function runOnce(
  ctx: { domo: InProcessDomo; lake: MemoryObjectStore; rng: Prng; config: IngestConfig; nowMs: number },
  faults: RunFaults,
  counts: ScheduleCounts,
): Promise<RunEnd> {
  const { domo, lake, rng, config, nowMs } = ctx;
  const hang = faults.target?.answer === 'hang';
  const time = new RunTime(
    hang ? 'hard-stop' : faults.tight ? 'tight' : 'none',
    hang ? 600_000 : TIGHT_MARGIN_MS + rng.int(0, 600),
  );
  const store = new FaultyStore(lake, INSTANCE, faults.store, rng.fork('store'), time, counts);
  const clock = { now: () => nowMs };
  const source = createAuditClient({
    apiBase: 'https://api.domo.test',
    credentials: { clientId: 'campaign', clientSecret: 'campaign-secret' },
    clock,
    sleep: async () => undefined,
    pacingClock: clock,
    random: () => rng.next(),
    fetch: domoFor(domo, faults, time, counts),
    requestsPerSecond: 1_000_000,
  });
  const remainingTimeMs = time.remaining();
  const deps = { ...noWaits, source, store, clock, log: silentLog, metrics: { count() {} } };
  try {
    const runConfig = faults.tight ? { ...config, budgetMarginMs: TIGHT_MARGIN_MS } : config;
    const summary = await withVirtualWatch(hang, () =>
      runIngest({ ...(remainingTimeMs ? { ...deps, remainingTimeMs } : deps), ...noWaits }, runConfig),
    );
    if (summary.failures.some((f) => f.message.includes('has runs that never sealed')))
      counts.sweepsOutOfTime++;
    if (time.expired) counts.hardStops++;
    return { crashed: store.crashed, killed: time.killed, summary };
  } catch (error) {
    // A run that died (crash, killed) or whose store failed under it ends here; the next run goes on.
    if (!store.crashed && !time.killed && !(faults !== CLEAN && injected(error))) throw error;
    return { crashed: store.crashed, killed: time.killed };
  }
}

/** Whether an error a run threw is (or was caused by) a fault the campaign injected. */
function injected(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof InjectedS3Error || cause instanceof PreconditionFailedError) return true;
  }
  return false;
}

/**
 * One seeded scenario of the schedule: hourly runs with late entries appearing for hours already
 * pulled (inside the lookback), faults aimed at lookback hours while newer hours succeed (failing,
 * or hanging until the run's hard stop), runs whose deadline is tight (a sweep of a dead run's hours
 * must stop in time), table puts that land but answer 412 or 500 (the read-back failing too),
 * failing GETs and crashes; then clean runs. Nothing may be lost or doubled, verify and verify
 * --integrity must pass, and no run may outlive its deadline.
 */
export async function runScheduleScenario(
  seed: number,
): Promise<ScenarioOutcome & { schedule: ScheduleCounts; counts: { found: string[]; exact: number } }> {
  const rng = new Prng(`schedule-${seed}`);
  const counts = noCounts();
  const repull = rng.next() < 0.35;
  const planned = plan(seed, rng, counts, repull);
  let nowMs = runAt(0);
  const domo = new InProcessDomo(seed, () => nowMs);
  domo.add(...planned.entries);
  // Versioned, as the stack's bucket is: the check also reads every digest's versions.
  const lake = new VersionedMemoryStore();
  await advanceStoredCheckpoint(
    lake,
    INSTANCE,
    // No hour before it is due a later pull: there is none in the lake to pull again.
    {
      watermarkMs: BASE,
      repull: { repull_from_ms: BASE },
      runId: 'seed',
      codeVersion: 'campaign',
      now: nowMs,
    },
    undefined,
  );
  const config: IngestConfig = {
    ...defaultIngestConfig(INSTANCE),
    backfillDays: 1,
    budgetMarginMs: MARGIN_MS,
    concurrency: rng.int(1, 3),
  };
  if (repull) await deadRepull(domo, lake, rng);
  let crashed = repull;
  let killed = 0;
  let afterCrash = repull;
  const pulled: RunPulled[] = [];
  for (let k = 0; k < DIRTY_RUNS + CLEAN_RUNS; k++) {
    nowMs = runAt(k);
    const dirty = k < DIRTY_RUNS;
    domo.faults = dirty
      ? { ...NO_DOMO_FAULTS, rate5xx: rng.next() * 0.05, rate429: rng.next() * 0.05 }
      : NO_DOMO_FAULTS;
    const watermarkMs = (await readCheckpoint(lake, INSTANCE))?.checkpoint.watermark_ms ?? BASE;
    const faults = dirty ? faultsOf(rng, watermarkMs, afterCrash) : CLEAN;
    if (faults.target?.answer === 'fail') counts.lookbackFails++;
    if (faults.tight) counts.tightRuns++;
    const ran = await runOnce({ domo, lake, rng, config, nowMs }, faults, counts);
    pulled.push(pulledBy(watermarkMs, nowMs, ran));
    afterCrash ||= ran.crashed || ran.killed;
    crashed ||= ran.crashed;
    if (ran.killed) killed++;
  }
  const events = await markersIn(lake, 'activity_log');
  return {
    seed,
    good: planned.markers.length,
    bad: 0,
    lost: missing(planned.markers, events),
    duplicated: missing(events, planned.markers),
    quarantineMismatch: 0,
    // A run killed at its deadline, or whose put's read-back failed, leaves bytes for the next to record on read.
    crashed: crashed || killed > 0 || counts.readBackFailed > 0 || counts.getFailed > 0,
    overlapped: false,
    faults: { ...domo.counts },
    verify: await verifyLake(lake, INSTANCE),
    integrity: await verifyIntegrity(lake, INSTANCE, { versions: lake }),
    runs: DIRTY_RUNS + CLEAN_RUNS,
    killed,
    schedule: counts,
    counts: await wrongCounts(lake, planned.entries, pulled),
  };
}
