/**
 * What one UTC day archives of the alerts one rule quiets is bounded (review R-MUTE4 M1: a flapping
 * VPN user archived 1,728 quieted alerts, 918 KB, in 72 hours; R-MUTE5 M1: a bound a run still let
 * hourly runs archive 480 a day): the first {@link QUIETED_ARCHIVED_PER_RULE} whole, the rest taken
 * in and counted, not archived.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import { alertId } from '../../../functions/core/alerts/alert.ts';
import { alertAddresses } from '../../../functions/core/alerts/alert-addresses.ts';
import { knownAlertIds, readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import type { DetectionInput } from '../../../functions/core/alerts/detection.ts';
import { parseExpectedActivity } from '../../../functions/core/alerts/expected-activity.ts';
import { QUIETED_ARCHIVED_PER_RULE_DAY as QUIETED_ARCHIVED_PER_RULE } from '../../../functions/core/alerts/quieted-archive-bound.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { alertsStateKey, lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { noMetrics } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { recordingLog } from '../../support/recording-log.ts';
import { ingestedHour, RecordingChannel, record, settings } from './support/alert-fixtures.ts';

const H0 = Date.parse('2026-11-18T10:00:00Z');
const NOW = H0 + HOUR_MS + 600_000;
const FLOOD = QUIETED_ARCHIVED_PER_RULE + 13;

/** A journey from the VPN every two minutes: the flapping user's alerts, all the rule's. */
const journeys = (input: DetectionInput): Alert[] =>
  input.events
    .filter((e) => e.event_time_ms >= input.fromMs)
    .map((e) => ({
      id: alertId('acme', 'impossible_travel', [e.event_id]),
      instance: 'acme',
      kind: 'impossible_travel',
      user_id: '1839254411',
      user_name: 'Ann',
      event_time: lakeTimestamp(e.event_time_ms),
      event_time_ms: e.event_time_ms,
      evidence: 'DE to US',
      ip_address: e.ip_address,
      event_ids: [e.event_id],
      ...alertAddresses([e]),
    }));

/** Puts `n` sign-ins from the VPN in hour `hourMs`, and the ingest's checkpoint past it at `now`. */
async function putVpnHour(
  store: MemoryObjectStore,
  hourMs: number,
  n: number,
  now: number,
  ip = '52.95.0.9',
): Promise<void> {
  const events = Array.from({ length: n }, (_, i) =>
    record({
      category: 'login',
      event_time_ms: hourMs + i * 100_000,
      user_id: '1839254411',
      ip_address: ip,
    }),
  );
  await ingestedHour(store, hourMs, events, now);
}

describe('the quieted alerts of one rule in one run', () => {
  it('are archived up to the bound, the rest counted in the log and the metric, none raised again', async () => {
    const store = new MemoryObjectStore();
    await putVpnHour(store, H0, FLOOD, NOW);
    const rules = parseExpectedActivity([
      { name: 'vpn', user: '1839254411', ip: '52.95.0.0/16', reason: 'VPN' },
    ]);
    const counted = new Map<string, number>();
    const metrics = { ...noMetrics, count: (name: string, value: number) => counted.set(name, value) };
    const { log, logged } = recordingLog();
    const channel = new RecordingChannel('sns');
    const summary = await runAlerts(
      { store, clock: { now: () => NOW }, log, channels: [channel], metrics, detectors: [journeys] },
      { instance: 'acme', settings: settings(), runId: 'r1', expected: rules },
    );
    expect(channel.delivered).toEqual([]);
    expect(summary.quieted).toEqual([
      expect.objectContaining({ rule: 1, alerts: FLOOD, unarchived: FLOOD - QUIETED_ARCHIVED_PER_RULE }),
    ]);
    expect(counted.get('AlertsQuieted')).toBe(FLOOD);
    const archived = [...store.objects.keys()].filter((key) => key.startsWith('alerts/'));
    expect(archived).toHaveLength(QUIETED_ARCHIVED_PER_RULE);
    expect(logged).toContainEqual([
      'warn',
      'alerts quieted by the expected-activity list past the archive bound: counted, not archived',
      expect.objectContaining({
        rule: 1,
        archived: QUIETED_ARCHIVED_PER_RULE,
        unarchived: FLOOD - QUIETED_ARCHIVED_PER_RULE,
      }),
    ]);
    // Taken in all the same: a recheck of the hour does not raise those not archived.
    const checkpoint = (await readAlertCheckpoint(store, 'acme'))?.checkpoint;
    const known = checkpoint === undefined ? new Set<string>() : knownAlertIds(checkpoint);
    for (const alert of summary.quietedAlerts ?? []) expect(known.has(alert.id)).toBe(true);
  });
});

describe('the quieted alerts of one rule over a day of runs', () => {
  const rules = parseExpectedActivity([
    { name: 'vpn', user: '1839254411', ip: '52.95.0.0/16', reason: 'VPN' },
  ]);
  /** Puts `n` sign-ins from the VPN in hour `hourMs` and runs the alerts at the end of it. */
  const runHour = async (store: MemoryObjectStore, hourMs: number, n: number) => {
    const now = hourMs + HOUR_MS + 600_000;
    await putVpnHour(store, hourMs, n, now);
    const { log } = recordingLog();
    return runAlerts(
      {
        store,
        clock: { now: () => now },
        log,
        channels: [new RecordingChannel('sns')],
        detectors: [journeys],
      },
      { instance: 'acme', settings: settings(), runId: `r${hourMs}`, expected: rules },
    );
  };
  const archivedCount = (store: MemoryObjectStore) =>
    [...store.objects.keys()].filter((key) => key.startsWith('alerts/')).length;

  it('archive at most the bound a UTC day, however many runs; the next day archives again', async () => {
    const store = new MemoryObjectStore();
    const first = await runHour(store, H0, 15);
    expect(first.quieted).toEqual([expect.objectContaining({ alerts: 15 })]);
    expect(first.quieted?.[0]?.unarchived).toBeUndefined();
    const second = await runHour(store, H0 + HOUR_MS, 15);
    expect(second.quieted).toEqual([
      expect.objectContaining({ alerts: 15, unarchived: 30 - QUIETED_ARCHIVED_PER_RULE }),
    ]);
    await runHour(store, H0 + 2 * HOUR_MS, 15);
    expect(archivedCount(store)).toBe(QUIETED_ARCHIVED_PER_RULE);
    const nextDay = Date.parse('2026-11-19T03:00:00Z');
    const later = await runHour(store, nextDay, 5);
    expect(later.quieted?.[0]?.unarchived).toBeUndefined();
    expect(archivedCount(store)).toBe(QUIETED_ARCHIVED_PER_RULE + 5);
    // The checkpoint keeps the day's counts only: one number per rule.
    const kept = (await readAlertCheckpoint(store, 'acme'))?.checkpoint.quieted_archived;
    expect(kept?.day).toBe('2026-11-19');
    expect(Object.values(kept?.rules ?? {})).toEqual([5]);
  });
});

describe('a rule inserted above another in the day', () => {
  const vpn = { name: 'vpn', user: '1839254411', ip: '52.95.0.0/16', reason: 'VPN' };
  const exit = { name: 'exit', user: '1839254411', ip: '52.95.0.9', reason: 'one exit' };
  /** Puts `n` sign-ins from `ip` in hour `hourMs` and runs the alerts with `rules` at its end. */
  const runHour = async (store: MemoryObjectStore, hourMs: number, n: number, ip: string, rules: unknown) => {
    const now = hourMs + HOUR_MS + 600_000;
    await putVpnHour(store, hourMs, n, now, ip);
    const { log } = recordingLog();
    const summary = await runAlerts(
      {
        store,
        clock: { now: () => now },
        log,
        channels: [new RecordingChannel('sns')],
        detectors: [journeys],
      },
      { instance: 'acme', settings: settings(), runId: `r${hourMs}`, expected: parseExpectedActivity(rules) },
    );
    return summary.quieted;
  };

  it('neither takes over the count of the rule it moved down nor leaves it behind (counted by what a rule says)', async () => {
    const store = new MemoryObjectStore();
    expect(await runHour(store, H0, 15, '52.95.0.9', [vpn])).toEqual([
      expect.objectContaining({ rule: 1, alerts: 15 }),
    ]);
    // The inserted rule is rule 1 now: it counts afresh, not from the 15 rule 1 archived.
    const inserted = await runHour(store, H0 + HOUR_MS, 15, '52.95.0.9', [exit, vpn]);
    expect(inserted).toEqual([expect.objectContaining({ rule: 1, name: 'exit', alerts: 15 })]);
    expect(inserted?.[0]?.unarchived).toBeUndefined();
    // The VPN's rule, rule 2 now, goes on from its 15 that day.
    expect(await runHour(store, H0 + 2 * HOUR_MS, 10, '52.95.0.10', [exit, vpn])).toEqual([
      expect.objectContaining({
        rule: 2,
        name: 'vpn',
        alerts: 10,
        unarchived: 25 - QUIETED_ARCHIVED_PER_RULE,
      }),
    ]);
  });
});

describe('the quieted alerts past the bound, the alerts checkpoint deleted', () => {
  it('come back: quieted and counted again, or sent once their rule is gone (as docs/alerts.md says)', async () => {
    const rules = parseExpectedActivity([{ user: '1839254411', ip: '52.95.0.0/16', reason: 'VPN' }]);
    const store = new MemoryObjectStore();
    await putVpnHour(store, H0, FLOOD, NOW);
    const run = async (runId: string, expected: typeof rules) => {
      const { log } = recordingLog();
      return runAlerts(
        {
          store,
          clock: { now: () => NOW },
          log,
          channels: [new RecordingChannel('sns')],
          detectors: [journeys],
        },
        { instance: 'acme', settings: settings(), runId, expected },
      );
    };
    await run('r1', rules);
    const unarchived = FLOOD - QUIETED_ARCHIVED_PER_RULE;
    store.objects.delete(alertsStateKey('acme', 'checkpoint.json'));
    const snapshot = new Map(store.objects);
    const again = await run('r2', rules);
    expect(again.quieted).toEqual([expect.objectContaining({ rule: 1, alerts: unarchived })]);
    // The same deleted checkpoint, the rule removed meanwhile.
    store.objects.clear();
    for (const [key, value] of snapshot) store.objects.set(key, value);
    const removed = await run('r3', []);
    expect(removed.raised).toHaveLength(unarchived);
  });
});
