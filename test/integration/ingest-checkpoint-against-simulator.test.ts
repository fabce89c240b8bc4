import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import type { AuditClient } from '../../functions/core/domo/audit-client.ts';
import { canonicalJson } from '../../functions/core/domo/canonical-json.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig, IngestSummary } from '../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { listCoverage } from '../../functions/core/lake/coverage.ts';
import { verifyLake } from '../../functions/core/lake/verify-lake.ts';
import {
  type Clock,
  noMetrics,
  type ObjectStore,
  type PutOptions,
  type StoredObject,
  silentLog,
} from '../../functions/core/ports.ts';
import { floorHour, HOUR_MS } from '../../functions/core/time-units.ts';
import {
  type FaultOptions,
  type GroundTruthEntry,
  generateInstance,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '../../functions/simulator/index.ts';
import { type LakeContents, readLake } from '../support/lake-contents.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { noWaits } from '../support/no-waits.ts';
import { simulatorClient } from '../support/simulator-client.ts';

/**
 * The ingest as the schedule runs it (checkpoint mode) against the simulator: a backfill, then hourly
 * runs while Domo keeps answering with faults, messy entries and events that arrive late; and crashes
 * between any two writes of a run. One schedule and the disk crash cases reach the simulator over
 * HTTP and write a real lake on disk; the other schedule variant and the scenarios that repeat whole
 * runs by the hundred call it in process and write the memory store.
 */

const MIN = 60_000;
const INSTANCE = 'default';
const SETTLE_MIN = 15;
const LOOKBACK_H = 2;

/**
 * One clock for the simulator and the ingest. It moves forward a little on every reading, so time
 * passes during a run (tokens expire mid-run, late events can surface mid-run), and the test sets it
 * to each scheduled run's start.
 */
class SharedClock implements Clock {
  constructor(
    private t: number,
    private readonly stepMs: number,
  ) {}
  now(): number {
    const t = this.t;
    this.t += this.stepMs;
    return t;
  }
  peek(): number {
    return this.t;
  }
  setTo(ms: number): void {
    if (ms < this.t) throw new Error(`the clock cannot go back from ${this.t} to ${ms}`);
    this.t = ms;
  }
}

/** The real audit client on the simulator: over HTTP, or (`inProcess`) handed the simulator's own fetch. */
const clientFor = (sim: Simulator, clock: Clock, seed: number, inProcess = false): AuditClient =>
  // Use the token up to its last moment, so requests in flight when it expires meet a 401.
  simulatorClient(sim, { seed, inProcess, client: { clock, tokenRefreshMarginMs: 0 } });

const configOf = (backfillDays: number, concurrency = 4): IngestConfig => ({
  ...defaultIngestConfig(INSTANCE),
  settleMinutes: SETTLE_MIN,
  lookbackHours: LOOKBACK_H,
  // The hours and requests counted below are the lookback's; the later pull has tests of its own.
  repullAfterHours: 0,
  backfillDays,
  concurrency,
});

const counts = (values: Iterable<string>): Map<string, number> => {
  const map = new Map<string, number>();
  for (const v of values) map.set(v, (map.get(v) ?? 0) + 1);
  return map;
};

/** How many of `wanted`'s entries `held` lacks, counting repeats. */
const missing = (wanted: Map<string, number>, held: Map<string, number>): number => {
  let n = 0;
  for (const [entry, times] of wanted) n += Math.max(0, times - (held.get(entry) ?? 0));
  return n;
};

/**
 * The comparisons below count canonical entries as multisets, like the shared compareWithGroundTruth,
 * but build each side once: the memory schedule compares its whole lake after each of 7 runs with two
 * truths, and the crash search ~100 lakes with one truth, re-reading records whose raw text the
 * previous read already had. A truth entry's canonical text is kept with the entry, a record's with
 * its raw text (per test: the texts die with it).
 */
const canonicalOfTruth = new WeakMap<GroundTruthEntry, string>();
const canonicalServed = (t: GroundTruthEntry): string => {
  let text = canonicalOfTruth.get(t);
  if (text === undefined) {
    text = canonicalJson(t.served);
    canonicalOfTruth.set(t, text);
  }
  return text;
};

/** The canonical text of a stored record's raw entry, each distinct raw text canonicalised once. */
type CanonicalRaw = (raw: string) => string;
const canonicalRawCache = (): CanonicalRaw => {
  const seen = new Map<string, string>();
  return (raw) => {
    let text = seen.get(raw);
    if (text === undefined) {
      text = canonicalJson(JSON.parse(raw));
      seen.set(raw, text);
    }
    return text;
  };
};

/** A lake as the comparisons count it: its events and quarantined entries, and its repeated ids. */
interface LakeCounts {
  events: Map<string, number>;
  quarantined: Map<string, number>;
  duplicateIds: number;
}
const lakeCounts = (lake: LakeContents, canonical: CanonicalRaw): LakeCounts => ({
  events: counts(lake.events.map((e) => canonical(e.raw))),
  quarantined: counts(lake.quarantined.map((q) => canonical(q.raw))),
  duplicateIds: [...counts(lake.events.map((e) => e.event_id)).values()].filter((n) => n > 1).length,
});

/** The truth's entries of `[fromMs, toMs)`: the readable ones and the malformed ones. */
interface TruthCounts {
  good: Map<string, number>;
  bad: Map<string, number>;
}
const truthCounts = (truth: readonly GroundTruthEntry[], fromMs: number, toMs: number): TruthCounts => {
  const inRange = truth.filter((t) => t.timeMs >= fromMs && t.timeMs < toMs);
  return {
    good: counts(inRange.filter((t) => !t.malformed).map(canonicalServed)),
    bad: counts(inRange.filter((t) => t.malformed).map(canonicalServed)),
  };
};

/**
 * The lake against the truth: entries lost, stored more often than Domo holds them, malformed ones
 * not quarantined, quarantined ones the truth does not account for (the shared comparison only counts
 * missing ones), and ids held twice.
 */
const lakeAgainstTruth = (lake: LakeCounts, truth: TruthCounts) => ({
  lost: missing(truth.good, lake.events),
  duplicated: missing(lake.events, truth.good),
  quarantineLost: missing(truth.bad, lake.quarantined),
  extraQuarantined: missing(lake.quarantined, truth.bad),
  duplicateIds: lake.duplicateIds,
});

/**
 * The lake holds, for `[fromMs, toMs)`, everything Domo served at `truthAtStart` (nothing lost, every
 * malformed entry quarantined) and nothing Domo did not hold at `truthAtEnd` (nothing duplicated).
 * Time passes during a run, so an event that surfaces meanwhile may or may not be in yet.
 */
function expectLakeMatches(
  lake: LakeCounts,
  truthAtStart: readonly GroundTruthEntry[],
  truthAtEnd: readonly GroundTruthEntry[],
  fromMs: number,
  toMs: number,
): void {
  const lower = lakeAgainstTruth(lake, truthCounts(truthAtStart, fromMs, toMs));
  const upper = lakeAgainstTruth(lake, truthCounts(truthAtEnd, fromMs, toMs));
  expect({
    lost: lower.lost,
    quarantineLost: lower.quarantineLost,
    duplicateIds: lower.duplicateIds,
  }).toEqual({
    lost: 0,
    quarantineLost: 0,
    duplicateIds: 0,
  });
  expect({
    duplicated: upper.duplicated,
    extraQuarantined: upper.extraQuarantined,
  }).toEqual({ duplicated: 0, extraQuarantined: 0 });
}

/**
 * `verify` passes over the whole lake: every hour from the first covered one (which must lie in
 * `[earliestFromMs, backfillFromMs]`) up to the watermark is covered, and it counts exactly the events
 * and quarantined entries stored.
 */
async function expectVerified(
  store: ObjectStore,
  backfillFromMs: number,
  watermarkMs: number,
  lake: LakeContents,
  earliestFromMs = backfillFromMs,
) {
  const report = await verifyLake(store, INSTANCE);
  expect(report).toMatchObject({
    ok: true,
    toMs: watermarkMs,
    watermarkMs,
    gaps: [],
    uncoveredBelowWatermark: 0,
    interruptedWindows: 0,
    duplicateIds: 0,
    misplacedRecords: 0,
    manifestMismatches: [],
    events: lake.events.length,
    quarantined: lake.quarantined.length,
  });
  const fromMs = report.fromMs as number;
  expect(fromMs).toBeGreaterThanOrEqual(earliestFromMs);
  expect(fromMs).toBeLessThanOrEqual(backfillFromMs);
  expect(report.windowsCovered).toBe((watermarkMs - fromMs) / HOUR_MS);
  return report;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lake-checkpoint-it-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface RunRecord {
  startMs: number;
  endMs: number;
  firstMs: number;
  watermarkMs: number;
  summary: IngestSummary;
}

/** Runs of the schedule that pulled the window starting at `windowMs`, in order. */
const pullsOf = (runs: readonly RunRecord[], windowMs: number): RunRecord[] =>
  runs.filter((r) => windowMs >= r.firstMs && windowMs < r.watermarkMs);

/**
 * How many late events the runs must have counted (`surely`: surfaced after its hour's first pull
 * ended and before a later pull started) and may have (`possibly`: surfaced while one of them ran).
 */
function lateEventBounds(
  truth: readonly { timeMs: number; malformed?: boolean; visibleFromMs?: number }[],
  runs: readonly RunRecord[],
): { surely: number; possibly: number } {
  let surely = 0;
  let possibly = 0;
  for (const t of truth) {
    const visible = t.visibleFromMs;
    if (t.malformed || visible === undefined) continue;
    const [first, ...later] = pullsOf(runs, floorHour(t.timeMs));
    if (!first) continue;
    if (visible > first.endMs && later.some((r) => r.startMs >= visible)) surely++;
    if (visible > first.startMs && later.some((r) => r.endMs >= visible)) possibly++;
  }
  return { surely, possibly };
}

/** The late events the coverage manifests of `[fromMs, toMs)` record, and how many hours have any. */
async function lateInManifests(
  store: ObjectStore,
  fromMs: number,
  toMs: number,
): Promise<{ manifestLate: number; hoursWithLate: number }> {
  let manifestLate = 0;
  let hoursWithLate = 0;
  for await (const manifest of listCoverage(store, INSTANCE, fromMs, toMs)) {
    manifestLate += manifest.late_events_total;
    if (manifest.late_events_total > 0) hoursWithLate++;
  }
  return { manifestLate, hoursWithLate };
}

describe('scheduled (checkpoint) ingest against the simulator', () => {
  // First run at 14:20 on a Wednesday: the 15-minute settle closes 14:00, two days of backfill open at
  // Monday 14:00; the hourly runs then cover busy afternoon hours, where late events are many.
  const firstRunMs = Date.parse('2026-10-07T14:20:00Z');
  const backfillFromMs = Date.parse('2026-10-05T14:00:00Z');
  const hourlyRuns = 6;
  // Events start before the backfill (they must stay out) and run past the last run (not yet served).
  const company = generateInstance({
    seed: 21,
    fromMs: backfillFromMs - 3 * HOUR_MS,
    toMs: firstRunMs + (hourlyRuns + 2) * HOUR_MS,
    users: 14,
    eventsPerUserDay: 30,
  });
  const faults: Partial<FaultOptions> = {
    rate429: 0.05,
    retryAfter: 'seconds',
    rate5xx: 0.05,
    rateHtml: 0.03,
    rateTruncated: 0.03,
    tokenLifetimeSec: 2,
    tokenEndpoint: true,
  };
  const variation = {
    omitOptional: 0.05,
    nullOptional: 0.05,
    extraFields: 0.05,
    twins: 0.03,
    malformed: 0.02,
  };
  const late = { fraction: 0.2, minDelayMs: 20 * MIN, maxDelayMs: 90 * MIN };

  // The second variant changes what Domo answers, not how it is reached or where the lake is: it
  // runs in process, into the memory store, and checks the whole lake after every run. The first
  // reaches Domo over HTTP and a lake on disk, and checks it after the backfill and the last run:
  // reading and verifying the lake on disk after each of the five runs between cost ~0.6 s and
  // proved what the memory variant proves.
  const variants: {
    name: string;
    options: SimulatorOptions;
    inProcess: boolean;
    /** Whether the whole lake is read and verified after run `k` (0 is the backfill). */
    checksLakeAfter: (k: number) => boolean;
  }[] = [
    {
      name: 'inclusive bounds, epoch-ms times, over HTTP, on disk',
      options: {},
      inProcess: false,
      checksLakeAfter: (k) => k === 0 || k === hourlyRuns,
    },
    {
      name: 'exclusive bounds, doc-string times, in process, in memory',
      options: { startInclusive: false, endInclusive: false, timeFormat: 'docString' },
      inProcess: true,
      checksLakeAfter: () => true,
    },
  ];

  for (const [v, variant] of variants.entries()) {
    it(`backfills, then keeps up hour by hour, catching late events in the lookback (${variant.name})`, async () => {
      // 40 ms per reading: tokens of 2 s expire within a run even of the few requests spans need.
      const clock = new SharedClock(firstRunMs, 40);
      const sim = await startSimulator({
        events: company.events,
        clock: () => clock.now(),
        seed: 30 + v,
        faults,
        entryVariation: variation,
        lateEvents: late,
        ...variant.options,
      });
      try {
        const store = variant.inProcess
          ? new MemoryObjectStore()
          : new FsObjectStore(join(dir, `schedule-${v}`));
        // One client for the whole schedule, like a warm Lambda: its token goes stale between runs.
        const client = clientFor(sim, clock, 40 + v, variant.inProcess);
        const canonical = canonicalRawCache();
        const runs: RunRecord[] = [];
        let previousWatermark: number | null = null;
        const retryAfterStyles = ['seconds', 'http-date', 'none'] as const;

        for (let k = 0; k <= hourlyRuns; k++) {
          const startMs = firstRunMs + k * HOUR_MS;
          clock.setTo(startMs);
          sim.setFaults({ retryAfter: retryAfterStyles[k % 3] });
          const truthAtStart = sim.groundTruth(startMs);
          const summary = await runIngest(
            { ...noWaits, source: client, store, clock, log: silentLog, metrics: noMetrics },
            configOf(2),
          );
          const endMs = clock.peek();
          const watermarkMs = floorHour(startMs - SETTLE_MIN * MIN);
          const firstMs =
            previousWatermark === null ? backfillFromMs : previousWatermark - LOOKBACK_H * HOUR_MS;
          runs.push({ startMs, endMs, firstMs, watermarkMs, summary });

          expect(summary).toMatchObject({
            mode: 'checkpoint',
            failures: [],
            windowsFailed: 0,
            stoppedEarly: null,
            outOfWindow: 0,
            watermarkBeforeMs: previousWatermark,
            watermarkAfterMs: watermarkMs,
            windowsPlanned: (watermarkMs - firstMs) / HOUR_MS,
            windowsDone: (watermarkMs - firstMs) / HOUR_MS,
          });
          if (variant.checksLakeAfter(k)) {
            const lake = await readLake(store, INSTANCE);
            expectLakeMatches(
              lakeCounts(lake, canonical),
              truthAtStart,
              sim.groundTruth(endMs),
              backfillFromMs,
              watermarkMs,
            );
            await expectVerified(store, backfillFromMs, watermarkMs, lake);
          }
          previousWatermark = watermarkMs;
        }

        const last = runs[runs.length - 1] as RunRecord;
        const lake = await readLake(store, INSTANCE);
        // The scenario is what it claims to be: plenty of events, quarantined ones, twins, late ones.
        const truth = sim
          .groundTruth(last.startMs)
          .filter((t) => t.timeMs >= backfillFromMs && t.timeMs < last.watermarkMs);
        expect(lake.events.length).toBeGreaterThan(600);
        expect(lake.quarantined.length).toBeGreaterThan(5);
        expect(truth.some((t) => t.twinOf !== undefined && !t.malformed)).toBe(true);
        const stats = sim.stats();
        expect(stats.faultsInjected.rate429 + stats.faultsInjected.rate5xx).toBeGreaterThan(0);
        expect(stats.faultsInjected.html + stats.faultsInjected.truncated).toBeGreaterThan(0);
        // Every run asks for at least one token (the last one expired an hour ago); both seeds' token
        // fault streams inject a fault within their first seven decisions.
        expect(Object.values(stats.tokenFaultsInjected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
        // Tokens expired and were replaced within runs, not only between them.
        expect(client.stats().tokenRefreshes).toBeGreaterThan(runs.length);

        // Late events: each counted once, by the re-pull that first saw it. An event counts for sure if
        // it surfaced after its window's first pull ended and before a later pull started; it may count
        // if it surfaced while one of those pulls ran.
        const { surely, possibly } = lateEventBounds(truth, runs);
        const caught = runs.reduce((sum, r) => sum + r.summary.lateEvents, 0);
        expect(surely).toBeGreaterThan(0);
        expect(caught).toBeGreaterThanOrEqual(surely);
        expect(caught).toBeLessThanOrEqual(possibly);
        expect(runs[0]?.summary.lateEvents).toBe(0);

        // The coverage manifests record them, hour by hour, and verify adds them up.
        const { manifestLate, hoursWithLate } = await lateInManifests(
          store,
          backfillFromMs,
          last.watermarkMs,
        );
        expect(manifestLate).toBe(caught);
        expect(hoursWithLate).toBeGreaterThan(1);
        const report = await expectVerified(store, backfillFromMs, last.watermarkMs, lake);
        expect(report.lateEventsTotal).toBe(caught);
      } finally {
        await sim.close();
      }
    });
  }
});

/**
 * Crashes before the 1st, 2nd, 3rd… put of `kind`, `batch` cases at once, until a run makes fewer
 * puts of that kind; returns how many cases crashed (and were repaired). The clean run made `clean`
 * such puts: no batch reaches past the put after those, the first a run is expected not to make, so
 * the search does not run up to five whole runs that make no crash (a third of all its runs). Should
 * a run make more puts than the clean one, the batches go on as before.
 */
async function crashBeforeEveryPut(
  crashAndRepair: (kind: string, ordinal: number) => Promise<boolean>,
  kind: string,
  batch: number,
  clean: number,
): Promise<number> {
  let cases = 0;
  for (let first = 1; ; ) {
    const last = first <= clean + 1 ? Math.min(first + batch - 1, clean + 1) : first + batch - 1;
    const ordinals = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    const crashed = await Promise.all(ordinals.map((ordinal) => crashAndRepair(kind, ordinal)));
    cases += crashed.filter(Boolean).length;
    if (crashed.includes(false)) return cases;
    first = last + 1;
  }
}

/** The table (first key segment) a put writes: activity_log, quarantine, coverage or state. */
const kindOf = (key: string): string => key.slice(0, key.indexOf('/'));

/**
 * Fails the `ordinal`-th put of one kind and every operation after it, as if the process died just
 * before that put: the puts before it are on disk, nothing else is. Counting per kind, not over all
 * puts, makes the crash points the same whatever order concurrent windows write in. (A put that lands
 * and then dies before its caller learns so leaves the same disk as a crash before the next put.)
 */
class CrashingStore implements ObjectStore {
  readonly puts = new Map<string, number>();
  crashed: string | undefined;
  constructor(
    private readonly inner: ObjectStore,
    private readonly crashAt?: { kind: string; ordinal: number },
  ) {}
  get location(): string {
    return this.inner.location;
  }
  private async dead(what: string): Promise<never> {
    // Let other pending I/O of the run interleave with the failure, as in a real crash.
    await new Promise((resolve) => setImmediate(resolve));
    throw new Error(`injected crash (${what})`);
  }
  async get(key: string): Promise<StoredObject | undefined> {
    if (this.crashed) return this.dead(`get ${key}`);
    return this.inner.get(key);
  }
  async *list(prefix: string): AsyncIterable<string> {
    if (this.crashed) await this.dead(`list ${prefix}`);
    yield* this.inner.list(prefix);
  }
  async put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }> {
    const kind = kindOf(key);
    const n = (this.puts.get(kind) ?? 0) + 1;
    this.puts.set(kind, n);
    if (!this.crashed && !(this.crashAt?.kind === kind && this.crashAt.ordinal === n)) {
      return this.inner.put(key, body, options);
    }
    this.crashed ??= key;
    return this.dead(`put ${key}`);
  }
}

/** Named lakes a crash test can make, copy and drop: in memory, or directories on real disk. */
interface Lakes {
  /** Whether the runs reach the simulator over HTTP (the disk cases) or in process (the enumeration). */
  overHttp: boolean;
  open(name: string): ObjectStore;
  copy(from: string, to: string): Promise<void>;
  drop(name: string): Promise<void>;
}

function memoryLakes(): Lakes {
  const lakes = new Map<string, MemoryObjectStore>();
  const open = (name: string) => {
    const store = lakes.get(name) ?? new MemoryObjectStore();
    lakes.set(name, store);
    return store;
  };
  return {
    overHttp: false,
    open,
    async copy(from, to) {
      const target = open(to);
      for (const [key, object] of open(from).objects) target.objects.set(key, { ...object });
    },
    async drop(name) {
      lakes.delete(name);
    },
  };
}

function diskLakes(root: string): Lakes {
  return {
    overHttp: true,
    open: (name) => new FsObjectStore(join(root, name)),
    copy: (from, to) => cp(join(root, from), join(root, to), { recursive: true }),
    drop: (name) => rm(join(root, name), { recursive: true, force: true }),
  };
}

describe('a scheduled run that crashes between any two writes', () => {
  // A small company active only in the last hours, with many malformed entries so quarantine is written.
  const baseRunMs = Date.parse('2026-10-05T15:20:00Z');
  const crashRunMs = baseRunMs + HOUR_MS;
  const company = generateInstance({
    seed: 8,
    fromMs: baseRunMs - 4 * HOUR_MS,
    toMs: crashRunMs,
    users: 8,
    eventsPerUserDay: 40,
    plantPatterns: false,
  });
  const simOptions: SimulatorOptions = {
    events: company.events,
    seed: 12,
    entryVariation: { twins: 0.05, malformed: 0.1, omitOptional: 0.1 },
    lateEvents: { fraction: 0.3, minDelayMs: 20 * MIN, maxDelayMs: 60 * MIN },
  };
  const backfillDays = 1;
  const backfillFromMs = floorHour(baseRunMs - 24 * HOUR_MS);

  const scenarios = [
    { name: 'the first run (backfill, checkpoint created)', runAt: baseRunMs, base: false },
    { name: 'an hourly run (lookback with late events, checkpoint replaced)', runAt: crashRunMs, base: true },
  ];

  /**
   * Runs `body` with a simulator and the scenario's lakes: `base` holds the lake before the run that
   * crashes (the backfill, for the hourly scenario) and the clock stands at that run's start.
   */
  async function withScenario(
    scenario: (typeof scenarios)[number],
    lakes: Lakes,
    body: (
      crashAndRepair: (kind: string, ordinal: number) => Promise<boolean>,
      clean: CrashingStore,
    ) => Promise<void>,
  ): Promise<void> {
    let now = baseRunMs;
    const clock: Clock = { now: () => now };
    const sim = await startSimulator({ ...simOptions, clock: () => now });
    try {
      const client = clientFor(sim, clock, 3, !lakes.overHttp);
      const deps = (store: ObjectStore) => ({
        ...noWaits,
        source: client,
        store,
        clock,
        log: silentLog,
        metrics: noMetrics,
      });
      if (scenario.base) {
        const summary = await runIngest(deps(lakes.open('base')), configOf(backfillDays));
        expect(summary.failures).toEqual([]);
      }
      now = scenario.runAt;
      const watermarkMs = floorHour(now - SETTLE_MIN * MIN);
      const truth = sim.groundTruth(now);
      const canonical = canonicalRawCache();

      // A clean run first, to learn which puts the run makes.
      if (scenario.base) await lakes.copy('base', 'clean');
      const counting = new CrashingStore(lakes.open('clean'));
      const clean = await runIngest(deps(counting), configOf(backfillDays));
      expect(clean.failures).toEqual([]);
      expect([...counting.puts.keys()].sort()).toEqual([
        'activity_log',
        'coverage',
        'digest',
        'quarantine',
        'state',
      ]);
      if (scenario.base) expect(clean.lateEvents).toBeGreaterThan(0);

      /** Crashes before the `ordinal`-th put of `kind`, then repairs; false if the run made fewer such puts. */
      const crashAndRepair = async (kind: string, ordinal: number): Promise<boolean> => {
        const name = `crash-${kind}-${ordinal}`;
        if (scenario.base) await lakes.copy('base', name);
        const crashing = new CrashingStore(lakes.open(name), { kind, ordinal });
        const outcome = await runIngest(deps(crashing), configOf(backfillDays)).then(
          (summary) => summary,
          (error: unknown) => error,
        );
        if (!crashing.crashed) {
          await lakes.drop(name);
          return false;
        }
        const hit = `crash before ${kind} put #${ordinal} (${crashing.crashed})`;
        // The crashed run did not claim a success it did not have.
        if (!(outcome instanceof Error))
          expect((outcome as IngestSummary).stoppedEarly, hit).toBe('fatal-error');

        const store = lakes.open(name);
        const repair = await runIngest(deps(store), configOf(backfillDays));
        expect(repair.failures, hit).toEqual([]);
        expect(repair.watermarkAfterMs, hit).toBe(watermarkMs);
        const lake = await readLake(store, INSTANCE);
        // The resumed run's lookback stops at the backfill's first hour.
        const report = await expectVerified(store, backfillFromMs, watermarkMs, lake);
        const fromMs = report.fromMs as number;
        const inTruth = truthCounts(truth, fromMs, watermarkMs);
        expect(lakeAgainstTruth(lakeCounts(lake, canonical), inTruth), hit).toEqual({
          lost: 0,
          duplicated: 0,
          quarantineLost: 0,
          extraQuarantined: 0,
          duplicateIds: 0,
        });
        expect(inTruth.bad.size).toBeGreaterThan(0);
        await lakes.drop(name);
        return true;
      };
      await body(crashAndRepair, counting);
    } finally {
      await sim.close();
    }
  }

  // Every crash point, on the in-memory store (same conditional-write semantics as S3, no fsync),
  // the simulator answering in process: the same answers without a socket for ~100 whole runs.
  for (const scenario of scenarios) {
    it(`repairs ${scenario.name} on the next run, whichever put the crash hit`, async () => {
      await withScenario(scenario, memoryLakes(), async (crashAndRepair, counting) => {
        // Crash before the 1st, 2nd, 3rd… put of each kind until a run makes fewer puts of that kind.
        // Cases are independent (own lake, the simulator's clock stands still), so a few run at once.
        const batch = 6;
        let cases = 0;
        // A digest is written right before each checkpoint write, so a crash before the n-th digest
        // put is the crash before the n-th checkpoint put one operation earlier: two are enough here
        // (the fault campaign crashes before every kind of store operation).
        const digestCases = await Promise.all([1, 2].map((ordinal) => crashAndRepair('digest', ordinal)));
        expect(digestCases).toEqual([true, true]);
        for (const kind of [...counting.puts.keys()].filter((k) => k !== 'digest').sort()) {
          cases += await crashBeforeEveryPut(crashAndRepair, kind, batch, counting.puts.get(kind) ?? 0);
        }
        // Roughly one case per put of the clean run (concurrent runs may merge a checkpoint advance or two).
        const cleanPuts = [...counting.puts.values()].reduce((a, b) => a + b, 0);
        const notIterated = (counting.puts.get('state') ?? 0) + (counting.puts.get('digest') ?? 0);
        expect(cases).toBeGreaterThanOrEqual(cleanPuts - notIterated + 1);
      });
      // Every case is two whole runs (each now also hashing what it writes for the digest chain):
      // on a loaded machine the first-run scenario alone needs more than the default minute.
    }, 180_000);
  }

  // Two of those points on real disk, where a put is a rename of a synced temporary file.
  const diskCases = [
    { scenario: scenarios[0], kind: 'activity_log', ordinal: 2 },
    { scenario: scenarios[1], kind: 'state', ordinal: 1 },
  ] as const;
  for (const { scenario, kind, ordinal } of diskCases) {
    it(`repairs ${scenario?.name} on real disk after a crash before ${kind} put #${ordinal}`, async () => {
      const root = join(dir, `crash-disk-${kind}`);
      try {
        await withScenario(
          scenario as (typeof scenarios)[number],
          diskLakes(root),
          async (crashAndRepair) => {
            expect(await crashAndRepair(kind, ordinal)).toBe(true);
          },
        );
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    });
  }
});
