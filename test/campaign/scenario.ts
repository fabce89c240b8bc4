import { createAuditClient } from '../../functions/core/domo/audit-client.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig } from '../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { advanceStoredCheckpoint } from '../../functions/core/lake/checkpoint.ts';
import { readCoverage } from '../../functions/core/lake/coverage.ts';
import type { IntegrityReport } from '../../functions/core/lake/integrity-report.ts';
import { iterateNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { verifyIntegrity } from '../../functions/core/lake/verify-integrity.ts';
import { verifyLake } from '../../functions/core/lake/verify-lake.ts';
import type { VerifyReport } from '../../functions/core/lake/verify-report.ts';
import {
  type ObjectStore,
  type PutOptions,
  type StoredObject,
  silentLog,
} from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { Prng } from '../../functions/simulator/prng.ts';
import type { MemoryObjectStore } from '../support/memory-store.ts';
import { noWaits } from '../support/no-waits.ts';
import { VersionedMemoryStore } from '../support/versioned-memory-store.ts';
import {
  type DomoFaults,
  type FaultCounts,
  InProcessDomo,
  NO_DOMO_FAULTS,
  type SourceEntry,
} from './in-process-domo.ts';

const MIN = 60_000;
const INSTANCE = 'acme';
/** 00:30 the day after day0: a backfill of one day reaches back to 00:00 of day0. */
const FIRST_RUN = Date.parse('2026-10-02T00:30:00Z');

class InjectedCrash extends Error {
  constructor() {
    super('injected crash between two store operations');
  }
}

/** The memory store with a crash injected before its n-th operation (get, put or list). */
class CrashingStore implements ObjectStore {
  readonly location: string;
  private operations = 0;
  crashed = false;

  constructor(
    private readonly inner: ObjectStore,
    private readonly crashAt: number,
  ) {
    this.location = inner.location;
  }

  private tick(): void {
    this.operations++;
    if (this.operations === this.crashAt) {
      this.crashed = true;
      throw new InjectedCrash();
    }
    // A crashed process makes no more writes or reads.
    if (this.crashed) throw new InjectedCrash();
  }

  async get(key: string): Promise<StoredObject | undefined> {
    this.tick();
    return this.inner.get(key);
  }

  async put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }> {
    this.tick();
    return this.inner.put(key, body, options);
  }

  async *list(prefix: string): AsyncIterable<string> {
    this.tick();
    yield* this.inner.list(prefix);
  }
}

/**
 * A range re-pull (no checkpoint: only its opening digest and its seal) that is alive but slow: once
 * it has written an hour, its next read of one holds it whole (every operation waits, as a stopped
 * process does) until {@link release}; it then dies `crashAfter` operations later. Released after
 * another run opened and sealed, it writes on past that seal before dying.
 */
class StallingRangeStore implements ObjectStore {
  readonly location: string;
  crashed = false;
  /** Whether it stalled (it wrote an hour, then read another), so the other run sealed over it. */
  stalledOnce = false;
  readonly stalled: Promise<void>;
  private stall = () => {};
  private resume = () => {};
  private readonly resumed: Promise<void>;
  private wrote = false;
  private state: 'running' | 'stalling' | 'resumed' = 'running';

  constructor(
    private readonly inner: ObjectStore,
    private crashAfter: number,
  ) {
    this.location = inner.location;
    this.stalled = new Promise((resolve) => {
      this.stall = resolve;
    });
    this.resumed = new Promise((resolve) => {
      this.resume = resolve;
    });
  }

  release(): void {
    this.state = 'resumed';
    this.resume();
  }

  private async tick(key: string, reading: boolean): Promise<void> {
    if (
      this.state === 'running' &&
      reading &&
      this.wrote &&
      key.startsWith(`activity_log/instance=${INSTANCE}/`)
    ) {
      this.state = 'stalling';
      this.stalledOnce = true;
      this.stall();
    }
    if (this.state === 'stalling') await this.resumed;
    if (this.crashed) throw new InjectedCrash();
    if (this.state === 'resumed' && this.crashAfter-- <= 0) {
      this.crashed = true;
      throw new InjectedCrash();
    }
  }

  async get(key: string): Promise<StoredObject | undefined> {
    await this.tick(key, true);
    return this.inner.get(key);
  }

  async put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }> {
    await this.tick(key, false);
    const put = await this.inner.put(key, body, options);
    if (key.startsWith(`activity_log/instance=${INSTANCE}/`)) this.wrote = true;
    return put;
  }

  async *list(prefix: string): AsyncIterable<string> {
    await this.tick(prefix, false);
    yield* this.inner.list(prefix);
  }
}

/** The hours a range re-pull of the campaign pulls again: five whole hours the lake already holds. */
const RANGE = { fromMs: FIRST_RUN - 30 * MIN - 6 * HOUR_MS, toMs: FIRST_RUN - 30 * MIN - HOUR_MS };

export interface ScenarioOutcome {
  seed: number;
  good: number;
  bad: number;
  lost: number;
  duplicated: number;
  quarantineMismatch: number;
  crashed: boolean;
  overlapped: boolean;
  /** A range re-pull stalled while another run opened and sealed, then wrote on and died. */
  sealedOverThenDied?: boolean;
  faults: FaultCounts;
  verify: VerifyReport;
  integrity: IntegrityReport;
  runs: number;
  /** Runs that outlived their deadline (killed, as Lambda kills an invocation at its timeout). */
  killed: number;
  /** Hours whose manifest counts more late events than Domo served late (see {@link lateOvercounted}). */
  lateOvercounted?: string[];
}

/**
 * Hours of `[fromMs, toMs)` whose manifest counts more late events than Domo served late: a pull
 * counted twice. Fewer is no error here: a run that dies (or loses a race, or fails) between an
 * hour's events and its manifest leaves its late events to a pull that finds them stored already.
 */
export async function lateOvercounted(
  store: ObjectStore,
  entries: readonly SourceEntry[],
  fromMs: number,
  toMs: number,
): Promise<string[]> {
  const late = new Map<number, number>();
  for (const { timeMs, visibleFromMs } of entries) {
    const hour = Math.floor(timeMs / HOUR_MS) * HOUR_MS;
    if (visibleFromMs !== undefined) late.set(hour, (late.get(hour) ?? 0) + 1);
  }
  const found: string[] = [];
  for (let hour = fromMs; hour < toMs; hour += HOUR_MS) {
    const counted = (await readCoverage(store, INSTANCE, hour))?.late_events_total ?? 0;
    const served = late.get(hour) ?? 0;
    if (counted > served)
      found.push(`${new Date(hour).toISOString()}: ${counted} late counted, ${served} served late`);
  }
  return found;
}

interface Planned {
  entries: SourceEntry[];
  goodMarkers: string[];
  badMarkers: string[];
}

export const goodEntry = (seed: number, n: number, timeMs: number, rng: Prng): string => {
  const marker = `good-${seed}-${n}`;
  const hostile = rng.next();
  const base = {
    actionType: 'VIEWED',
    actorId: 0,
    eventText: marker,
    objectId: String(rng.int(-5, 99999)),
    objectName: `Card ${n}`,
    objectType: 'CARD',
    time: timeMs,
    userId: String(100 + (n % 7)),
    userName: `User ${n % 7}`,
    userType: 'USER',
  };
  // Hostile but readable entries are events: markup, bidi overrides, prototype keys, a long text.
  if (hostile < 0.1) return JSON.stringify({ ...base, objectName: '<script>alert(1)</script>\u202e' });
  if (hostile < 0.15) return `{"__proto__":{"polluted":true},${JSON.stringify(base).slice(1)}`;
  if (hostile < 0.2) return JSON.stringify({ ...base, additionalComment: 'x'.repeat(20_000) });
  if (hostile < 0.25) return JSON.stringify({ ...base, unknownField: { nested: [1, 2, { deep: true }] } });
  return JSON.stringify(base);
};

const badEntry = (marker: string, timeMs: number, kind: number): string => {
  switch (kind) {
    case 0:
      return JSON.stringify(marker);
    case 1:
      return JSON.stringify({ eventText: marker, actionType: 'VIEWED', time: 'soon' });
    case 2:
      return JSON.stringify({ eventText: marker, actionType: 'VIEWED' });
    case 3:
      // Nested far past any sane depth: quarantined with its reason, never a stack overflow.
      return `{"eventText":"${marker}","actionType":"VIEWED","time":${timeMs},"x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    default:
      return JSON.stringify([marker, timeMs]);
  }
};

function plan(seed: number, rng: Prng): Planned {
  const entries: SourceEntry[] = [];
  const goodMarkers: string[] = [];
  const badMarkers: string[] = [];
  const count = rng.int(4, 14);
  for (let n = 0; n < count; n++) {
    const timeMs = FIRST_RUN - 6 * HOUR_MS + Math.floor(rng.next() * 8 * HOUR_MS);
    const late = rng.next() < 0.25 ? { visibleFromMs: timeMs + rng.int(20, 90) * MIN } : {};
    const text = goodEntry(seed, n, timeMs, rng);
    const copies = rng.next() < 0.15 ? 2 : 1; // identical twins: distinct events, both kept
    for (let c = 0; c < copies; c++) {
      entries.push({ timeMs, text, ...late });
      goodMarkers.push(`good-${seed}-${n}`);
    }
  }
  const bad = rng.int(0, 3);
  for (let n = 0; n < bad; n++) {
    const marker = `bad-${seed}-${n}`;
    const timeMs = FIRST_RUN - 5 * HOUR_MS + Math.floor(rng.next() * 6 * HOUR_MS);
    entries.push({ timeMs, text: badEntry(marker, timeMs, rng.int(0, 4)) });
    badMarkers.push(marker);
  }
  return { entries, goodMarkers, badMarkers };
}

const faultsFor = (rng: Prng): DomoFaults => ({
  rate429: rng.next() * 0.15,
  retryAfterShare: 0.5,
  rate5xx: rng.next() * 0.1,
  rateHtml: rng.next() * 0.05,
  rateTruncated: rng.next() * 0.05,
  rateOversized: rng.next() * 0.05,
  rateSlow: rng.next() * 0.2,
  tokenUses: rng.next() < 0.5 ? rng.int(2, 12) : Number.POSITIVE_INFINITY,
});

const markerOf = (text: string): string | undefined => /(?:good|bad)-\d+-\d+/.exec(text)?.[0];

/** `expected` minus `actual`, as multisets: what is missing. */
export function missing(expected: readonly string[], actual: readonly string[]): number {
  const left = new Map<string, number>();
  for (const item of actual) left.set(item, (left.get(item) ?? 0) + 1);
  let count = 0;
  for (const item of expected) {
    const n = left.get(item) ?? 0;
    if (n > 0) left.set(item, n - 1);
    else count++;
  }
  return count;
}

export async function markersIn(store: ObjectStore, table: 'activity_log' | 'quarantine'): Promise<string[]> {
  const found: string[] = [];
  for await (const key of store.list(`${table}/instance=${INSTANCE}/`)) {
    const object = await store.get(key);
    if (!object) continue;
    for (const record of iterateNdjsonGzip(object.body, key)) {
      const text =
        table === 'activity_log'
          ? (record as { event_text: string }).event_text
          : (record as { raw: string }).raw;
      const marker = markerOf(String(text));
      if (marker) found.push(marker);
    }
  }
  return found;
}

type Run = (target: ObjectStore, range?: typeof RANGE) => Promise<unknown>;

/**
 * The second run: alone, beside another scheduled run, or (a draw of its own, so the scenarios
 * without it draw as they did before it was added) beside a slow range re-pull that it seals over,
 * which then writes on and dies.
 */
async function secondRun(
  rng: Prng,
  store: MemoryObjectStore,
  run: Run,
): Promise<{ overlapped: boolean; ranged?: StallingRangeStore; runs: number }> {
  const overlapped = rng.next() < 0.3;
  const rangeRng = rng.fork('range-sealed-over');
  if (overlapped || rangeRng.next() >= 0.25) {
    await (overlapped ? Promise.all([run(store), run(store)]) : run(store));
    return { overlapped, runs: overlapped ? 3 : 2 };
  }
  const ranged = new StallingRangeStore(store, rangeRng.int(0, 12));
  const repull = run(ranged, RANGE);
  await Promise.race([ranged.stalled, repull]);
  await run(store);
  ranged.release();
  await repull;
  return { overlapped: true, ranged, runs: 3 };
}

/**
 * One seeded scenario: a source with good, hostile, malformed, late and twin entries; two runs under
 * mixed API faults (one perhaps crashing between two store operations, one perhaps overlapping a
 * second run, or a slow range re-pull that it seals over and that then dies); then clean runs until
 * the lake converges. Returns what a test asserts on.
 */
export async function runScenario(seed: number): Promise<ScenarioOutcome> {
  const rng = new Prng(`campaign-${seed}`);
  let now = FIRST_RUN;
  const clock = { now: () => now };
  const domo = new InProcessDomo(seed, () => now);
  const planned = plan(seed, rng);
  domo.add(...planned.entries);
  // Versioned, as the stack's bucket is: the check also reads every digest's versions.
  const store = new VersionedMemoryStore();
  // The lake is complete up to 7 hours before the first run (an empty day of backfill would only
  // cost time): the campaign's source lies after that. No hour before it is due a later pull
  // (there is none in the lake to pull again).
  const seedMs = FIRST_RUN - 30 * MIN - 7 * HOUR_MS;
  await advanceStoredCheckpoint(
    store,
    INSTANCE,
    { watermarkMs: seedMs, repull: { repull_from_ms: seedMs }, runId: 'seed', codeVersion: 'campaign', now },
    undefined,
  );
  const config: IngestConfig = {
    ...defaultIngestConfig(INSTANCE),
    backfillDays: 1,
    concurrency: rng.int(1, 4),
  };
  const client = () =>
    createAuditClient({
      apiBase: 'https://api.domo.test',
      credentials: { clientId: 'campaign', clientSecret: 'campaign-secret' },
      clock,
      sleep: async () => undefined,
      pacingClock: clock,
      random: () => rng.next(),
      fetch: domo.fetch,
      requestsPerSecond: 1_000_000,
    });
  const run = (target: ObjectStore, range?: typeof RANGE) =>
    runIngest(
      { ...noWaits, source: client(), store: target, clock, log: silentLog, metrics: { count() {} } },
      config,
      range ? { range } : {},
    ).catch((error: unknown) => {
      if (!(error instanceof InjectedCrash)) throw error;
    });

  domo.faults = faultsFor(rng);
  const crashAt = rng.next() < 0.7 ? rng.int(1, 120) : 0;
  const crashing = new CrashingStore(store, crashAt);
  await run(crashAt > 0 ? crashing : store);
  now += 45 * MIN;
  const second = await secondRun(rng, store, run);
  let runs = second.runs;

  domo.faults = NO_DOMO_FAULTS;
  now = FIRST_RUN + 3 * HOUR_MS;
  // The re-pull that died is run again, as its operator would (its hours are past the lookback).
  if (second.ranged?.crashed) {
    await run(store, RANGE);
    runs++;
  }
  for (const hours of [3, 5]) {
    now = FIRST_RUN + hours * HOUR_MS;
    await run(store);
    runs++;
  }

  const events = await markersIn(store, 'activity_log');
  const quarantined = await markersIn(store, 'quarantine');
  return {
    seed,
    good: planned.goodMarkers.length,
    bad: planned.badMarkers.length,
    lost: missing(planned.goodMarkers, events),
    duplicated: missing(events, planned.goodMarkers),
    quarantineMismatch: missing(planned.badMarkers, quarantined) + missing(quarantined, planned.badMarkers),
    crashed: crashing.crashed || (second.ranged?.crashed ?? false),
    overlapped: second.overlapped,
    sealedOverThenDied: (second.ranged?.stalledOnce ?? false) && (second.ranged?.crashed ?? false),
    faults: { ...domo.counts },
    verify: await verifyLake(store, INSTANCE),
    integrity: await verifyIntegrity(store, INSTANCE, { versions: store }),
    runs,
    killed: 0,
    // Every hour the source has entries in (FIRST_RUN is half past an hour).
    lateOvercounted: await lateOvercounted(
      store,
      planned.entries,
      FIRST_RUN - 30 * MIN - 6 * HOUR_MS,
      FIRST_RUN - 30 * MIN + 2 * HOUR_MS,
    ),
  };
}
