/**
 * An hour's alerts depend on the hours before it: a burst is counted across the hour boundary, a
 * lockout's evidence reaches an hour back, a sign-in is judged against the history before it. So
 * when late events change an hour already evaluated, every evaluated hour after it is evaluated
 * again too, and what those hours had raised already keeps its id and is not sent again.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import { newAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { evaluateHours } from '../../../functions/core/alerts/evaluate-hours.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import type { MemoryEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import {
  cloneStore,
  evaluationContext,
  type MemoryLake,
  memoryLake,
  memoryLakeAlertsRun,
  RecordingChannel,
  record,
} from './support/alert-fixtures.ts';

const MIN = 60_000;

describe('evaluateHours: an hour changed by late events', () => {
  const H = Date.parse('2026-11-01T11:00:00Z');
  const failure = (ms: number) => record({ event_time_ms: ms, category: 'login_failed' });
  const four = [1, 2, 3, 4].map((m) => failure(H + m * MIN));
  const lockout = record({ event_time_ms: H + 6 * MIN, category: 'lockout' });
  const late = failure(H - 2 * MIN);

  /** 10:00-11:59 evaluated; 11:00 holds four failures and a lockout; 10:00 the late failure or not. */
  async function lake(withLate: boolean): Promise<MemoryObjectStore> {
    const store = new MemoryObjectStore();
    if (withLate) await store.put(activityKey('acme', H - HOUR_MS), encodeNdjsonGzip([late]));
    await store.put(activityKey('acme', H), encodeNdjsonGzip([...four, lockout]));
    return store;
  }
  /** Evaluated up to 11:59; the content hashes of 09:00-11:00 as recorded (`none`: no coverage). */
  const evaluatedUpTo = (changed: Record<string, string> = {}) => ({
    ...newAlertCheckpoint('acme', H - 5 * HOUR_MS),
    next_hour_ms: H + HOUR_MS,
    evaluated: {
      [String(H - 2 * HOUR_MS)]: 'none',
      [String(H - HOUR_MS)]: 'none',
      [String(H)]: 'none',
      ...changed,
    },
  });
  const ids = (alerts: readonly Alert[]) => alerts.map((a) => `${a.kind} ${a.id}`);

  it('evaluates the hours after it again: a burst it completes across the boundary is raised', async () => {
    const first = await evaluateHours(
      evaluationContext(await lake(false)),
      newAlertCheckpoint('acme', H - HOUR_MS),
      H + HOUR_MS,
    );
    expect(first.alerts.map((a) => a.kind)).toEqual(['lockout']);

    // 10:00 changed since it was evaluated (its recorded hash is not the `none` it has now).
    const checkpoint = evaluatedUpTo({ [String(H - HOUR_MS)]: 'before-the-late-failure' });
    const again = await evaluateHours(evaluationContext(await lake(true)), checkpoint, H + HOUR_MS);

    expect([...again.evaluated.keys()]).toEqual([H - HOUR_MS, H]);
    expect(again.alerts).toMatchObject([
      {
        kind: 'failed_login_burst',
        event_time_ms: H + 4 * MIN,
        event_ids: [late, ...four].map((e) => e.event_id),
      },
      // The lockout again, its evidence now counting the late failure, under the same id.
      {
        kind: 'lockout',
        evidence: expect.stringContaining('5 failed logins'),
        event_ids: [lockout.event_id],
      },
    ]);
    expect(ids(again.alerts)).toContain(ids(first.alerts)[0]);
  });

  it('a recheck cut short (out of time) records none of its hours: the next run does them all', async () => {
    const checkpoint = evaluatedUpTo({ [String(H - HOUR_MS)]: 'before-the-late-failure' });
    const calls = { left: 2 }; // the profile, then 10:00; not 11:00
    const context = { ...evaluationContext(await lake(true)), mayContinue: () => calls.left-- > 0 };
    const stopped = await evaluateHours(context, checkpoint, H + HOUR_MS);
    expect(stopped.evaluated.size).toBe(0);

    calls.left = Number.POSITIVE_INFINITY;
    const next = await evaluateHours(context, checkpoint, H + HOUR_MS);
    expect([...next.evaluated.keys()]).toEqual([H - HOUR_MS, H]);
    expect(next.alerts.map((a) => a.kind)).toEqual(['failed_login_burst', 'lockout']);
  });

  it('looks at no hour again when none changed', async () => {
    const again = await evaluateHours(evaluationContext(await lake(true)), evaluatedUpTo(), H + HOUR_MS);
    expect(again.evaluated.size).toBe(0);
  });
});

describe('a run after late events: the burst across the boundary, nothing sent twice', () => {
  const FROM = Date.parse('2026-11-01T00:00:00Z');
  const STEP = Date.parse('2026-11-03T10:15:00Z');
  let lake: MemoryLake;
  let ingested: MemoryObjectStore;

  beforeAll(async () => {
    lake = memoryLake({ seed: 20261101, fromMs: FROM, toMs: Date.parse('2026-11-04T00:00:00Z') });
    // Up to 09:00: the test's own 10:15 run then has 09:00 to pull (a run without a closed hour
    // pulls no lookback either).
    await lake.ingest(STEP - HOUR_MS);
    ingested = cloneStore(lake.store);
  }, 120_000);

  const alertsRun = memoryLakeAlertsRun;
  const entry = (actionType: string, timeMs: number): MemoryEntry => ({
    timeMs,
    entry: {
      actionType,
      eventText: actionType === 'LOCKED_OUT' ? 'User locked out' : 'Failed login',
      userId: '88',
      userName: 'Bursty Bea',
      time: timeMs,
      ipAddress: '198.51.100.4',
    },
  });
  const bea = (alerts: readonly Alert[]) =>
    alerts.filter((a) => a.user_name === 'Bursty Bea').map((a) => `${a.kind} ${a.event_time}`);

  it('the failure that arrives late raises the burst; the lockout after it is not sent again', async () => {
    const store = cloneStore(ingested);
    const channel = new RecordingChannel();
    const stored = await readCheckpoint(store, 'default');
    const W = (stored?.checkpoint.watermark_ms ?? Number.NaN) + HOUR_MS; // 10:00: the 10:15 run pulls 09:00
    const before = lake.source.entries.length;
    try {
      // Four failures and a lockout at 09:01-09:06, pulled by the 10:15 run: no burst yet.
      lake.source.add(...[1, 2, 3, 4].map((m) => entry('LOGIN_FAILED', W - HOUR_MS + m * MIN)));
      lake.source.add(entry('LOCKED_OUT', W - HOUR_MS + 6 * MIN));
      await lake.ingest(STEP, store);
      const first = await alertsRun(store, STEP + 5 * MIN, channel);
      expect(bea(first.raised)).toEqual(['lockout 2026-11-03 09:06:00.000']);
      // A failure at 08:58 that Domo serves late: the 11:15 run's lookback stores it in 08:00.
      lake.source.add(entry('LOGIN_FAILED', W - HOUR_MS - 2 * MIN));
      await lake.ingest(STEP + HOUR_MS, store);
    } finally {
      lake.source.entries.splice(before);
    }

    const second = await alertsRun(store, STEP + HOUR_MS + 5 * MIN, channel);

    expect(bea(second.raised)).toEqual(['failed_login_burst 2026-11-03 09:04:00.000']);
    const delivered = channel.delivered.map((a) => a.id);
    expect(new Set(delivered).size).toBe(delivered.length);
    // A third run, nothing new: nothing looked at again, nothing sent.
    const third = await alertsRun(store, STEP + HOUR_MS + 20 * MIN, channel);
    expect(third.raised).toEqual([]);
  });
});
