/**
 * Two overlapping alerts runs: B read hour 08:00 before a re-pull stored a late failure, A after
 * it, so each raised the same spray (or burst) under another id; each checked it only against the
 * checkpoint read at its start, and the re-check in the conditional write compared ids only: the
 * attack went out twice. The write now also drops a spray or burst the other run recorded since.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import { notTakenByOverlap } from '../../../functions/core/alerts/raised-by-overlap.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey, alertsStateKey, coverageKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { noMetrics, silentLog } from '../../../functions/core/ports.ts';
import type { MemoryEntry } from '../../support/memory-audit-source.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import {
  cloneStore,
  LATE_LAKE_STEP,
  lateEventsLake,
  type MemoryLake,
  RecordingChannel,
} from './support/alert-fixtures.ts';
import { lateLakeAlerts } from './support/late-repull.ts';

const MIN = 60_000;
const HOUR = Date.parse('2026-11-03T08:00:00Z');
const IP = '203.0.113.77';

const failure = (user: string, at: number, ip = IP): MemoryEntry => ({
  timeMs: at,
  entry: {
    actionType: 'LOGIN_FAILED',
    eventText: 'Login failed',
    userId: user,
    userName: `Name ${user}`,
    time: at,
    ipAddress: ip,
  },
});

describe('overlapping alerts runs, one of which saw a late failure', () => {
  let lake: MemoryLake;
  let ingested: MemoryObjectStore;
  beforeAll(async () => {
    ({ lake, ingested } = await lateEventsLake());
  }, 120_000);

  async function rePull(store: MemoryObjectStore, entries: MemoryEntry[], nowMs: number) {
    const before = lake.source.entries.length;
    lake.source.add(...entries);
    try {
      await runIngest(
        { source: lake.source, store, clock: { now: () => nowMs }, log: silentLog, metrics: noMetrics },
        { ...defaultIngestConfig('default'), backfillDays: 3, concurrency: 8 },
        { range: { fromMs: HOUR, toMs: HOUR + HOUR_MS } },
      );
    } finally {
      lake.source.entries.splice(before);
    }
  }

  /**
   * The alerts of `kind` both runs sent: A stops at its checkpoint write while B, reading hour
   * 08:00 as it was before the late failure, runs whole; then A writes.
   */
  async function race(onTime: MemoryEntry[], late: MemoryEntry, kind: Alert['kind']) {
    const store = cloneStore(ingested);
    const channel = new RecordingChannel();
    await lateLakeAlerts(store, channel)(LATE_LAKE_STEP + 5 * MIN);
    await rePull(store, onTime, LATE_LAKE_STEP + 10 * MIN);
    const stale = cloneStore(store);
    await rePull(store, [...onTime, late], LATE_LAKE_STEP + 20 * MIN);
    const staleKeys = new Set([activityKey('default', HOUR), coverageKey('default', HOUR)]);
    const viewB = Object.create(store) as MemoryObjectStore;
    viewB.get = async (key: string) => (staleKeys.has(key) ? stale.get(key) : store.get(key));
    const checkpointKey = alertsStateKey('default', 'checkpoint.json');
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let waiting = false;
    let armed = true;
    store.beforePut = async (key) => {
      if (!armed || key !== checkpointKey) return;
      armed = false;
      waiting = true;
      await gate;
    };
    const runA = lateLakeAlerts(store, channel)(LATE_LAKE_STEP + 21 * MIN);
    while (!waiting) await new Promise((resolve) => setTimeout(resolve, 1));
    await lateLakeAlerts(viewB, channel)(LATE_LAKE_STEP + 21 * MIN + 30_000);
    open();
    await runA;
    store.beforePut = undefined;
    return channel.delivered.filter((a) => a.kind === kind);
  }

  it('a password spray goes out once', async () => {
    const onTime = Array.from({ length: 10 }, (_, k) => failure(`sp${k + 1}`, HOUR + 20 * MIN + k * 30_000));
    const sent = await race(onTime, failure('sp0', HOUR + 18 * MIN), 'password_spray');
    expect(sent.filter((a) => a.ip_address === IP)).toHaveLength(1);
  }, 120_000);

  it('a failed-login burst goes out once', async () => {
    const onTime = Array.from({ length: 5 }, (_, k) => failure('bu', HOUR + 20 * MIN + k * 30_000));
    const sent = await race(onTime, failure('bu', HOUR + 18 * MIN), 'failed_login_burst');
    expect(sent).toHaveLength(1);
  }, 120_000);

  it('a burst whose late failure brings a new address goes out twice (a second attacker)', async () => {
    const onTime = Array.from({ length: 5 }, (_, k) => failure('bu', HOUR + 20 * MIN + k * 30_000));
    const sent = await race(onTime, failure('bu', HOUR + 18 * MIN, '198.51.100.3'), 'failed_login_burst');
    expect(sent).toHaveLength(2);
  }, 120_000);
});

describe('notTakenByOverlap', () => {
  const T = Date.parse('2026-11-03T08:24:00Z');
  const spray = (ip: string, at: number): Alert =>
    ({ id: `s-${ip}-${at}`, kind: 'password_spray', ip_address: ip, event_time_ms: at }) as Alert;
  const empty = { sprays: {}, bursts: {} };
  const span = 10 * MIN;

  it('drops a spray of the same address another run recorded within a window of it', () => {
    const current = { sprays: { [IP]: [T + 30_000] }, bursts: {} };
    const view = { start: empty, current, spanMs: span };
    expect(notTakenByOverlap(view, [spray(IP, T)], new Map())).toEqual([]);
  });

  it('keeps one of another address, one further than a window, and one the start held', () => {
    const alerts = [spray('198.51.100.9', T), spray(IP, T + span + 31_000)];
    const current = { sprays: { [IP]: [T + 30_000] }, bursts: {} };
    expect(notTakenByOverlap({ start: empty, current, spanMs: span }, alerts, new Map())).toEqual(alerts);
    // A record the run read at its start was the detector's to judge (by its episode), not this.
    const start = current;
    expect(notTakenByOverlap({ start, current, spanMs: span }, [spray(IP, T)], new Map())).toHaveLength(1);
  });
});
