import { createAuditClient } from '../../functions/core/domo/audit-client.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig } from '../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { advanceStoredCheckpoint, readCheckpoint } from '../../functions/core/lake/checkpoint.ts';
import { readCoverage } from '../../functions/core/lake/coverage.ts';
import { verifyIntegrity } from '../../functions/core/lake/verify-integrity.ts';
import { verifyLake } from '../../functions/core/lake/verify-lake.ts';
import { type ObjectStore, silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { NO_FAULTS } from '../../functions/simulator/fault-plan.ts';
import {
  type FaultKind,
  type FaultOptions,
  type GroundTruthEntry,
  type SimEvent,
  startSimulator,
  type TimeFormat,
} from '../../functions/simulator/index.ts';
import { Prng } from '../../functions/simulator/prng.ts';
import { type Comparison, compareWithGroundTruth, readLake } from '../support/lake-contents.ts';
import { noWaits } from '../support/no-waits.ts';
import { VersionedMemoryStore } from '../support/versioned-memory-store.ts';
import { DiedBetweenOperations, FaultyStore, NO_STORE_FAULTS } from './faulty-store.ts';
import { RunTime } from './run-time.ts';

/**
 * Paged scenarios of the fault campaign (review R-SIM F4): hours of more than a thousand entries,
 * bursts of one millisecond (or, as Domo documents `time`, of one second) at page edges, spans of
 * quiet hours, late entries that appear while a run pages, and every fault the simulator injects,
 * the F8 ones included, against the real audit client on the simulator's in-process `fetch`.
 */

const MIN = 60_000;
const INSTANCE = 'acme';
/** 00:30: the first run is at half past an hour, as a scheduled run is. */
const FIRST_RUN = Date.parse('2026-10-02T00:30:00Z');
/** The source: 8 hours, the last two after the first run's hour. */
const SOURCE_FROM = FIRST_RUN - 30 * MIN - 6 * HOUR_MS;
const SOURCE_TO = FIRST_RUN - 30 * MIN + 2 * HOUR_MS;
/** Virtual time each Domo request takes: tokens expire and late entries appear while a run pages. */
const REQUEST_MS = 1500;
/** Domo's page: the edges the bursts straddle. */
const PAGE = 1000;

export interface PagedOutcome {
  seed: number;
  timeFormat: TimeFormat;
  shuffleTies: boolean;
  sourceEvents: number;
  /** Entries of the busiest hour. */
  busiestHour: number;
  /** Bursts of one time that straddle a page edge (from the end of their hour). */
  bursts: number;
  lake: Comparison;
  /** Hours whose manifest is missing or counts other than the lake and the source hold. */
  manifestMismatches: string[];
  /** The checkpoint's watermark, and whether it is past every source hour. */
  watermarkMs: number | undefined;
  verifyOk: boolean;
  integrityProblems: readonly unknown[];
  /** Audit requests at an offset of a page or more, and their most: the scenario really paged. */
  deepRequests: number;
  deepestOffset: number;
  /** Audit requests of a range that is not whole hours: parts of a split range. */
  splitRequests: number;
  crashed: boolean;
  failedWindows: number;
  /** Each run's failures: `run k: hour: message`. */
  failures: string[];
  faults: Record<FaultKind, number>;
  retries: number;
  /** Entries Domo started serving after the first run began: late, inside the lookback. */
  lateAfterFirstRun: number;
  /** 401s for tokens past their lifetime (expired mid-run), beside the revoked ones. */
  expired: number;
}

/** One hour's times: `count` entries, bursts of one time across page edges counted from its end. */
function hourTimes(
  hour: number,
  count: number,
  rng: Prng,
  second: boolean,
): { times: number[]; bursts: number } {
  const unit = second ? 1000 : 1;
  const times = Array.from({ length: count }, () => hour + Math.floor(rng.int(0, HOUR_MS - 1) / unit) * unit);
  times.sort((a, b) => b - a);
  let bursts = 0;
  // A burst around each edge (1000, 2000: the pages of the hour read alone), and one around 998
  // (the re-read overlap) in some: all under 999 entries, which the client's re-read bridges.
  for (let edge = PAGE; edge < count; edge += PAGE) {
    const size = rng.int(20, 300);
    const first = Math.max(0, edge - rng.int(1, size - 1));
    const at = times[first] as number;
    for (let i = first; i < Math.min(count, first + size); i++) times[i] = at;
    bursts++;
  }
  return { times, bursts };
}

/** Quiet (spans of several hours read together), medium (spans that need two pages) and busy hours. */
function plan(seed: number, rng: Prng, second: boolean) {
  const events: SimEvent[] = [];
  const perHour: number[] = [];
  let bursts = 0;
  const kinds = Array.from({ length: 8 }, () => rng.pick(['quiet', 'quiet', 'medium', 'busy'] as const));
  // At least two busy hours, one of them inside the runs' lookback (re-read under faults).
  kinds[rng.int(0, 3)] = 'busy';
  kinds[rng.int(5, 7)] = 'busy';
  let n = 0;
  kinds.forEach((kind, index) => {
    const hour = SOURCE_FROM + index * HOUR_MS;
    const count =
      kind === 'quiet' ? rng.int(0, 40) : kind === 'medium' ? rng.int(300, 700) : rng.int(1100, 2600);
    perHour.push(count);
    const planned = hourTimes(hour, count, rng, second);
    bursts += planned.bursts;
    for (const timeMs of planned.times) {
      const id = `pg-${seed}-${n++}`;
      events.push({
        timeMs,
        entry: {
          actionType: 'VIEWED',
          actorId: 0,
          eventText: 'Viewed card',
          objectId: String(n % 997),
          objectName: id,
          objectType: 'CARD',
          userId: String(100 + (n % 13)),
          userName: `User ${n % 13}`,
          userType: 'USER',
        },
      });
    }
  });
  return { events, perHour, bursts };
}

/** Every fault the simulator has, at rates drawn per scenario: 20 to 40 in 100 requests in all. */
function faultsFor(rng: Prng): Partial<FaultOptions> {
  // Half to all of `most`: a dirty run makes a few dozen requests, each kind must meet some.
  const share = (most: number) => most * (0.5 + 0.5 * rng.next());
  return {
    rate429: share(0.08),
    retryAfter: rng.pick(['seconds', 'http-date', 'none'] as const),
    // Half the scenarios ask for an hour's wait: the client waits its cap, then goes on.
    retryAfterSeconds: rng.chance(0.5) ? 3600 : 1,
    retryAfterOn503: rng.chance(0.5),
    rate5xx: share(0.08),
    rateHtml: share(0.04),
    rateTruncated: share(0.06),
    rate401: share(0.05),
    rate403: share(0.03),
    rateReset: share(0.06),
    rateSlow: share(0.1),
    slowMs: 1,
    // Tokens of 30 s to 5 min, at 1.5 s a request: they expire while a run pages.
    tokenLifetimeSec: rng.chance(0.7) ? rng.int(30, 300) : undefined,
  };
}

/** Hours of the source whose manifest is missing, or counts other than the lake's events and Domo's. */
async function manifestMismatches(
  store: ObjectStore,
  lakeTimes: readonly number[],
  truth: readonly GroundTruthEntry[],
): Promise<string[]> {
  const count = (times: Iterable<number>) => {
    const byHour = new Map<number, number>();
    for (const t of times) {
      const hour = Math.floor(t / HOUR_MS) * HOUR_MS;
      byHour.set(hour, (byHour.get(hour) ?? 0) + 1);
    }
    return byHour;
  };
  const stored = count(lakeTimes);
  const served = count(truth.filter((e) => !e.malformed).map((e) => e.timeMs));
  const found: string[] = [];
  for (let hour = SOURCE_FROM; hour < SOURCE_TO; hour += HOUR_MS) {
    const manifest = await readCoverage(store, INSTANCE, hour);
    const want = served.get(hour) ?? 0;
    const have = stored.get(hour) ?? 0;
    if (manifest?.event_count !== want || have !== want)
      found.push(
        `${new Date(hour).toISOString()}: manifest ${manifest?.event_count}, lake ${have}, Domo ${want}`,
      );
  }
  return found;
}

/**
 * One paged scenario: two runs under faults (the first perhaps dying between two store operations),
 * 45 minutes apart, then the faults stop and two scheduled runs follow; the lake must equal Domo.
 */
export async function runPagedScenario(
  seed: number,
  overrides: { shuffleTies?: boolean; entryVariation?: { twins: number; malformed: number } } = {},
): Promise<PagedOutcome> {
  const rng = new Prng(`paged-campaign-${seed}`);
  const timeFormat: TimeFormat = seed % 3 === 0 ? 'docString' : 'epochMs';
  const shuffleTies = overrides.shuffleTies ?? seed % 2 === 1;
  const planned = plan(seed, rng.fork('plan'), timeFormat === 'docString');
  let now = FIRST_RUN;
  const sim = await startSimulator({
    events: planned.events,
    clock: () => now,
    seed,
    timeFormat,
    shuffleTies,
    // Entries whose time cannot be read only where ties keep their order: above (or in) a tied run
    // at a page edge, on a server that reorders ties, one fails its window on every run (reported
    // by F-CAMPAIGN: page-reread.ts matches such a run in order), which is no fault of the paging.
    entryVariation: overrides.entryVariation ?? { twins: 0.01, malformed: shuffleTies ? 0 : 0.002 },
    // Late by 20 to 90 minutes: inside the lookback, appearing while runs page their hours.
    lateEvents: { fraction: 0.05, minDelayMs: 20 * MIN, maxDelayMs: 90 * MIN },
  });
  let deepRequests = 0;
  let deepestOffset = 0;
  let splitRequests = 0;
  const fetch = (url: string, init?: RequestInit) => {
    now += REQUEST_MS;
    const params = new URL(url).searchParams;
    const offset = Number(params.get('offset') ?? 0);
    // The client asks `start = a - 1`, `end = b`: a range not of whole hours is a split one.
    const start = params.get('start');
    if (start !== null && ((Number(start) + 1) % HOUR_MS !== 0 || Number(params.get('end')) % HOUR_MS !== 0))
      splitRequests++;
    if (offset >= PAGE - 2) deepRequests++;
    deepestOffset = Math.max(deepestOffset, offset);
    return sim.fetch(url, init);
  };
  const store = new VersionedMemoryStore();
  // The lake holds no hour before the source: none is due a later pull (as in scenario.ts).
  const seedMs = SOURCE_FROM - HOUR_MS;
  await advanceStoredCheckpoint(
    store,
    INSTANCE,
    {
      watermarkMs: seedMs,
      repull: { repull_from_ms: seedMs },
      runId: 'seed',
      codeVersion: 'paged-campaign',
      now,
    },
    undefined,
  );
  const config: IngestConfig = {
    ...defaultIngestConfig(INSTANCE),
    backfillDays: 1,
    concurrency: rng.int(1, 4),
  };
  const jitter = rng.fork('jitter');
  let retries = 0;
  let failedWindows = 0;
  const failures: string[] = [];
  let runs = 0;
  const run = async (target: ObjectStore) => {
    const k = runs++;
    const clock = { now: () => now };
    const source = createAuditClient({
      apiBase: 'https://api.domo.test',
      credentials: { clientId: 'sim-client', clientSecret: 'sim-secret' },
      clock,
      sleep: async () => undefined,
      pacingClock: clock,
      random: () => jitter.next(),
      fetch,
      requestsPerSecond: 1_000_000,
    });
    try {
      const summary = await runIngest(
        { ...noWaits, source, store: target, clock, log: silentLog, metrics: { count() {} } },
        config,
      );
      failedWindows += summary.failures.length;
      for (const f of summary.failures)
        failures.push(`run ${k}: ${new Date(f.windowStartMs).toISOString()}: ${f.message}`);
    } catch (error) {
      if (!(error instanceof DiedBetweenOperations)) throw error;
    } finally {
      retries += source.stats().retries;
    }
  };

  try {
    sim.setFaults(faultsFor(rng.fork('faults')));
    // A run makes some 40 to 80 store operations: it dies in the middle of its hours.
    const crashAt = rng.chance(0.6) ? rng.int(1, 40) : 0;
    const counts = {
      landed412: 0,
      digestLanded412: 0,
      stateLanded412: 0,
      landed500: 0,
      readBackFailed: 0,
      getFailed: 0,
      inFlight409: 0,
      inFlightLanded: 0,
    };
    const crashing = new FaultyStore(
      store,
      INSTANCE,
      { ...NO_STORE_FAULTS, crashAt },
      rng.fork('store'),
      new RunTime('none', 0),
      counts,
    );
    await run(crashing);
    now = FIRST_RUN + 45 * MIN;
    await run(store);
    const dirty = sim.stats();
    const faults = dirty.faultsInjected;

    sim.setFaults(NO_FAULTS);
    for (const hours of [3, 5]) {
      now = FIRST_RUN + hours * HOUR_MS;
      await run(store);
    }

    const lake = await readLake(store, INSTANCE);
    const checkpoint = await readCheckpoint(store, INSTANCE);
    const integrity = await verifyIntegrity(store, INSTANCE, { versions: store });
    // Read once: the simulator parses every entry it holds for it, and `now` no longer moves.
    const truth = sim.groundTruth(now);
    return {
      seed,
      timeFormat,
      shuffleTies,
      sourceEvents: planned.events.length,
      busiestHour: planned.perHour.reduce((most, n) => Math.max(most, n), 0),
      bursts: planned.bursts,
      lake: compareWithGroundTruth(lake, truth, SOURCE_FROM, SOURCE_TO),
      manifestMismatches: await manifestMismatches(
        store,
        lake.events.map((e) => e.event_time_ms),
        truth,
      ),
      watermarkMs: checkpoint?.checkpoint.watermark_ms,
      verifyOk: (await verifyLake(store, INSTANCE)).ok,
      integrityProblems: integrity.problems,
      deepRequests,
      deepestOffset,
      splitRequests,
      crashed: crashing.crashed,
      failedWindows,
      failures,
      faults,
      retries,
      expired: (dirty.byStatus['401'] ?? 0) - faults.rate401,
      lateAfterFirstRun: truth.filter((e) => (e.visibleFromMs ?? 0) > FIRST_RUN).length,
    };
  } finally {
    await sim.close();
  }
}

export { SOURCE_TO };
