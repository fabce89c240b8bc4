import { containerGeo } from '../../../../functions/adapters/geo-file-lookup.ts';
import type { Alert } from '../../../../functions/core/alerts/alert.ts';
import type { AlertChannel, AlertMessage } from '../../../../functions/core/alerts/alert-channel.ts';
import type { AlertEvent } from '../../../../functions/core/alerts/alert-event.ts';
import { detectSuspiciousLogins } from '../../../../functions/core/alerts/detect-suspicious-logins.ts';
import { type EvaluationContext, signInsOf } from '../../../../functions/core/alerts/evaluate-hours.ts';
import { alertEventOf } from '../../../../functions/core/alerts/kept-events.ts';
import { LoginProfile } from '../../../../functions/core/alerts/login-profile.ts';
import {
  addRaisedTimes,
  type GoingOn,
  type RaisedTimes,
  raisedTimesFrom,
} from '../../../../functions/core/alerts/raised-times.ts';
import { runAlerts } from '../../../../functions/core/alerts/run-alerts.ts';
import { defaultIngestConfig } from '../../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../../functions/core/ingest/run-ingest.ts';
import { advanceCheckpoint } from '../../../../functions/core/lake/checkpoint.ts';
import type { EventRecord } from '../../../../functions/core/lake/event-record.ts';
import { activityKey, lakeTimestamp } from '../../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../../functions/core/lake/ndjson.ts';
import { noMetrics, type ObjectStore, silentLog } from '../../../../functions/core/ports.ts';
import {
  type AlertSettings,
  DEFAULT_ALERT_SETTINGS,
} from '../../../../functions/core/queries/alert-settings.ts';
import { DAY_MS, HOUR_MS } from '../../../../functions/core/time-units.ts';
import {
  generateInstance,
  type PlantedPattern,
  type SimEvent,
} from '../../../../functions/simulator/index.ts';
import { MemoryAuditSource } from '../../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../../support/memory-store.ts';
import { noWaits } from '../../../support/no-waits.ts';

export const settings = (overrides: Partial<AlertSettings> = {}): AlertSettings => ({
  ...DEFAULT_ALERT_SETTINGS,
  ...overrides,
});

/**
 * What the detectors take for the hour from `fromMs` of instance `i`: `events` before it as the
 * hours before, a fresh login profile (UTC), the default settings with `overrides`.
 */
export const hourInput = (fromMs: number, events: AlertEvent[], overrides: Partial<AlertSettings> = {}) => ({
  instance: 'i',
  fromMs,
  toMs: fromMs + HOUR_MS,
  events: events.filter((e) => e.event_time_ms >= fromMs),
  before: events.filter((e) => e.event_time_ms < fromMs),
  profile: new LoginProfile('i', 'UTC'),
  settings: settings(overrides),
});

/**
 * A failed sign-in of user `user` ("user<n>", id "id<n>") at `atMs` from `ip`, unplaced: what the
 * password spray tests are made of. Its id names the user and time unless `id` is given.
 */
export const failedLogin = (user: number, atMs: number, ip: string, id = `e${user}-${atMs}`): AlertEvent =>
  alertEvent({
    event_id: id,
    event_time_ms: atMs,
    category: 'login_failed',
    user_id: `id${user}`,
    user_name: `user${user}`,
    ip_address: ip,
  });

/** What evaluateHours needs for instance `acme` of `store`, silent and never out of time. */
export const evaluationContext = (
  store: ObjectStore,
  overrides: Partial<AlertSettings> = {},
): EvaluationContext => ({
  store,
  log: silentLog,
  instance: 'acme',
  settings: settings(overrides),
  mayContinue: () => true,
});

/** A lockout alert of Ada Lovelace, with `fields` over it. */
export const alertOf = (fields: Partial<Alert> = {}): Alert => ({
  id: '0'.repeat(32),
  instance: 'main',
  kind: 'lockout',
  user_id: 'u1',
  user_name: 'Ada Lovelace',
  event_time: '2026-11-02 08:15:00.000',
  event_time_ms: Date.parse('2026-11-02T08:15:00Z'),
  evidence: 'locked out after 7 failed logins',
  ip_address: '203.0.113.9',
  event_ids: ['e1'],
  ...fields,
});

let n = 0;

/**
 * Stores `records` as instance acme's hour `hourMs`, as an ingest would, and moves the ingest's
 * checkpoint past that hour (at `now`): what the alerts then read as settled history.
 */
export async function ingestedHour(
  store: ObjectStore,
  hourMs: number,
  records: readonly EventRecord[],
  now = hourMs + HOUR_MS,
): Promise<void> {
  await store.put(activityKey('acme', hourMs), encodeNdjsonGzip(records));
  await advanceCheckpoint(store, 'acme', {
    watermarkMs: hourMs + HOUR_MS,
    runId: `ingest-${hourMs}`,
    codeVersion: 'test',
    now,
  });
}

/**
 * An activity_log record: `fields` over user `u1` ("User One") at 10.0.0.5, category `other`, its
 * id the next of this file's, the rest null or empty.
 */
export function record(fields: Partial<EventRecord> & { event_time_ms: number }): EventRecord {
  n += 1;
  return {
    event_id: `e${String(n).padStart(6, '0')}`,
    event_time: lakeTimestamp(fields.event_time_ms),
    time_raw: String(fields.event_time_ms),
    action_type: null,
    event_text: null,
    object_type: null,
    object_id: null,
    object_name: null,
    user_id: 'u1',
    user_name: 'User One',
    user_type: 'USER',
    actor_id: '0',
    actor_name: null,
    actor_type: null,
    additional_comment: null,
    ip_address: '10.0.0.5',
    device: null,
    browser_details: null,
    category: 'other',
    raw: '{}',
    window_start_ms: 0,
    window_end_ms: 0,
    ingested_at: '',
    run_id: '',
    ip_country: null,
    ip_asn: null,
    ip_org: null,
    geo_db_version: null,
    ...fields,
  };
}

/**
 * The event the alerts run keeps of the record of `fields` ({@link record}; kept-events.ts): what a
 * detector's test hands it, written once here so a field added to the events breaks no test. One
 * the run would not keep (another category, a sign-in without a user id) throws: its test would
 * test what never runs.
 */
export function alertEvent(fields: Partial<EventRecord> & { event_time_ms: number }): AlertEvent {
  const event = alertEventOf(record(fields));
  if (event === undefined) throw new Error(`an alerts run keeps no such event: ${JSON.stringify(fields)}`);
  return event;
}

/** A message's text on one line, as a reader reads it: runs of white space one space, `&#39;` a quote. */
export const flatText = (text: string): string => text.replace(/\s+/g, ' ').replaceAll('&#39;', "'");

/** A channel that keeps what it is given; `fail` decides, per attempt, to throw instead. */
export class RecordingChannel implements AlertChannel {
  readonly messages: AlertMessage[] = [];
  attempts = 0;
  fail?: (attempt: number) => Error | undefined;
  constructor(readonly name = 'test') {}

  async deliver(message: AlertMessage): Promise<{ messageId: string }> {
    this.attempts += 1;
    const error = this.fail?.(this.attempts);
    if (error) throw error;
    this.messages.push(message);
    return { messageId: `m${this.messages.length}` };
  }

  /** Every alert delivered, in order (an id twice means it was delivered twice). */
  get delivered(): Alert[] {
    return this.messages.flatMap((m) => [...m.alerts]);
  }
}

export interface MemoryLake {
  store: MemoryObjectStore;
  source: MemoryAuditSource;
  planted: PlantedPattern[];
  /** Runs the scheduled (checkpoint-mode) ingest at `nowMs` (into `store`, or another). */
  ingest(nowMs: number, into?: MemoryObjectStore): Promise<void>;
}

/** A copy of a store (each test starts from the same lake without ingesting it again). */
export function cloneStore(store: MemoryObjectStore): MemoryObjectStore {
  const copy = new MemoryObjectStore();
  for (const [key, object] of store.objects) copy.objects.set(key, object);
  return copy;
}

/** A scheduled alerts run of a {@link memoryLake}'s instance at `nowMs`: default detectors and settings. */
export const memoryLakeAlertsRun = (store: MemoryObjectStore, nowMs: number, channel: AlertChannel) =>
  runAlerts(
    { store, clock: { now: () => nowMs }, log: silentLog, channels: [channel] },
    { instance: 'default', settings: settings(), runId: `run-${nowMs}` },
  );

/**
 * A simulated instance (planted patterns included), to be ingested on the schedule's terms into
 * the in-memory store: what an alerts run finds in production, without disk or HTTP.
 */
export function memoryLake(options: {
  seed: number;
  fromMs: number;
  toMs: number;
  users?: number;
  /** False: ingest without a geo database, as an installation from before geo enrichment did. */
  placeLogins?: boolean;
  /** The leaver deactivated after their story, their token acting on (the simulator's opt-in). */
  leaverDeactivated?: boolean;
  /** Events to add to the simulated ones, given those and the patterns planted. */
  more?: (events: readonly SimEvent[], planted: readonly PlantedPattern[]) => SimEvent[];
}): MemoryLake {
  const instance = generateInstance({
    seed: options.seed,
    fromMs: options.fromMs,
    toMs: options.toMs,
    users: options.users ?? 8,
    eventsPerUserDay: 6,
    cards: 20,
    pages: 8,
    ...(options.leaverDeactivated ? { leaverDeactivated: true } : {}),
  });
  const events = [...instance.events, ...(options.more?.(instance.events, instance.planted) ?? [])];
  const source = new MemoryAuditSource(
    events.map((e) => ({ timeMs: e.timeMs, entry: { ...e.entry, time: e.timeMs } })),
  );
  const store = new MemoryObjectStore();
  // The shipped geo database places the simulator's addresses, as in production.
  const geo = options.placeLogins === false ? undefined : containerGeo(silentLog).geo;
  const ingest = async (nowMs: number, into = store) => {
    const backfillDays = Math.ceil((nowMs - options.fromMs) / 86_400_000);
    const summary = await runIngest(
      {
        ...noWaits,
        source,
        store: into,
        clock: { now: () => nowMs },
        log: silentLog,
        metrics: noMetrics,
        ...(geo ? { geo } : {}),
      },
      // Without the later pull: the alerts' tests count the reads and budgets of the lookback's
      // rewrites, and an hour the later pull rewrites a day on would be one more to fold again.
      { ...defaultIngestConfig('default'), backfillDays, concurrency: 8, repullAfterHours: 0 },
    );
    if (summary.failures.length > 0) throw new Error(`ingest failed: ${summary.failures[0]?.message}`);
  };
  return { store, source, planted: instance.planted, ingest };
}

/** The first hour of the late-events tests' lake (2026-11-01, three days). */
export const LATE_LAKE_FROM = Date.parse('2026-11-01T00:00:00Z');
/** The scheduled ingest run that fills it: 10:15 on 2026-11-03, once 10:00-11:00 has settled. */
export const LATE_LAKE_STEP = Date.parse('2026-11-03T10:15:00Z');

/**
 * The late-events tests' lake (seed 20261103, eight users, 2026-11-01 to 11-04), ingested at
 * {@link LATE_LAKE_STEP}, and a copy of its store as then, for each test to clone.
 */
export async function lateEventsLake(): Promise<{ lake: MemoryLake; ingested: MemoryObjectStore }> {
  const lake = memoryLake({
    seed: 20261103,
    fromMs: LATE_LAKE_FROM,
    toMs: Date.parse('2026-11-04T00:00:00Z'),
  });
  await lake.ingest(LATE_LAKE_STEP);
  return { lake, ingested: cloneStore(lake.store) };
}

/**
 * A login profile holding the sign-ins of `events` in the `days` before `fromMs`, folded hour by
 * hour as an alerts run would: the history the detectors judge the hour at `fromMs` against.
 */
export function historyProfile(
  events: readonly EventRecord[],
  fromMs: number,
  timeZone: string,
  days = 30,
): LoginProfile {
  const byHour = new Map<number, EventRecord[]>();
  for (const e of events) {
    const hour = Math.floor(e.event_time_ms / HOUR_MS) * HOUR_MS;
    byHour.set(hour, [...(byHour.get(hour) ?? []), e]);
  }
  const profile = new LoginProfile('default', timeZone);
  for (let hour = fromMs - days * DAY_MS; hour < fromMs; hour += HOUR_MS) {
    profile.fold(hour, signInsOf(byHour.get(hour) ?? []));
  }
  return profile;
}

/**
 * What the suspicious-login detector raises over [fromMs, toMs) of `events` (instance `default`,
 * UTC, the default settings), judged against {@link historyProfile}'s 30 days before: the side
 * the SQL's suspicious_logins is compared with.
 */
export function suspiciousLoginsOver(events: readonly EventRecord[], fromMs: number, toMs: number): Alert[] {
  return detectSuspiciousLogins({
    instance: 'default',
    fromMs,
    toMs,
    events: events.filter((e) => e.event_time_ms >= fromMs),
    before: [],
    profile: historyProfile(events, fromMs, 'UTC'),
    settings: DEFAULT_ALERT_SETTINGS,
  });
}

/**
 * Hourly alert runs over `events`, for `hours` periods [fromMs, fromMs + 1 h) from `firstMs`, each
 * seeing the hour before its period, recording what it sends with `addRaised`, keeping what it saw
 * going on (`goingOn`) and forgetting raises as the checkpoint does (recheck hours 3, plus 2); the
 * times of the alerts sent.
 */
export function hourlyRaisingRuns(
  events: readonly AlertEvent[],
  firstMs: number,
  hours: number,
  detect: (fromMs: number, seen: AlertEvent[], raised: RaisedTimes, goingOn: GoingOn) => readonly Alert[],
  addRaised: (raised: RaisedTimes, alert: Alert) => void,
): number[] {
  let raised: RaisedTimes = {};
  const sent: number[] = [];
  for (let fromMs = firstMs; fromMs < firstMs + hours * HOUR_MS; fromMs += HOUR_MS) {
    const seen = events.filter(
      (e) => e.event_time_ms >= fromMs - HOUR_MS && e.event_time_ms < fromMs + HOUR_MS,
    );
    const goingOn: GoingOn = { sprays: {}, exports: {} };
    for (const alert of detect(fromMs, seen, raised, goingOn)) {
      sent.push(alert.event_time_ms);
      addRaised(raised, alert);
    }
    addRaisedTimes(raised, goingOn.sprays);
    addRaisedTimes(raised, goingOn.exports);
    raised = raisedTimesFrom(raised, fromMs + HOUR_MS - 5 * HOUR_MS);
  }
  return sent;
}

/**
 * `count` exports by user 42 (Ann Lee) from 198.51.100.7, one card each (`from`, `from + 1`, ...),
 * the k-th at `timeOf(k)`: a pull as the bulk-export detector counts it.
 */
export const cardExports = (timeOf: (k: number) => number, count: number, from: number): EventRecord[] =>
  Array.from({ length: count }, (_, k) =>
    record({
      event_time_ms: timeOf(k),
      category: 'other',
      user_id: '42',
      user_name: 'Ann Lee',
      action_type: 'EXPORTED',
      object_type: 'CARD',
      object_id: String(from + k),
      object_name: `Card ${from + k}`,
      ip_address: '198.51.100.7',
    }),
  );
