/**
 * The expected-activity list through a whole alerts run over an in-memory lake: an alert a rule
 * matches is not sent but counted and archived, marked; one it does not match is sent; and an
 * expired rule is reported and quiets nothing. The lake's two events are raised as sign-in alerts
 * (`unusual_hour`) by a stand-in detector: the list quiets sign-in kinds only, and the run's
 * take-in is the same whatever raised them.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import { alertAddresses } from '../../../functions/core/alerts/alert-addresses.ts';
import { detectLockouts } from '../../../functions/core/alerts/detect-failed-logins.ts';
import type { DetectionInput } from '../../../functions/core/alerts/detection.ts';
import { parseExpectedActivity } from '../../../functions/core/alerts/expected-activity.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { writeCoverage } from '../../../functions/core/lake/coverage.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip, iterateNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { noMetrics } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { manifest } from '../../queries/support/lake-fixture.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { recordingLog } from '../../support/recording-log.ts';
import { ingestedHour, RecordingChannel, record, settings } from './support/alert-fixtures.ts';

const H0 = Date.parse('2026-11-18T10:00:00Z');
const NOW = H0 + 2 * HOUR_MS;
/** The lake's events as sign-in alerts of their users, at their addresses. */
const unusualHours = (input: DetectionInput): Alert[] =>
  detectLockouts(input).map((alert) => ({
    ...alert,
    kind: 'unusual_hour',
    ...alertAddresses(input.events.filter((e) => alert.event_ids.includes(e.event_id))),
  }));
const SVC = '1839254411';
const ANN = '42';
const RULES = parseExpectedActivity([
  { kind: 'new_country', ip: '203.0.113.0/24', reason: 'never matches here' },
  {
    name: 'backup job',
    user: SVC,
    ip: '52.95.0.0/16',
    reason: 'nightly backup from AWS',
    until: '2026-11-30',
  },
]);

/** A lake of instance `acme` with two lockouts in hour H0: the backup account's from AWS, Ann's from elsewhere. */
async function lake(): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  const events = [
    record({
      category: 'lockout',
      event_time_ms: H0 + 60_000,
      user_id: SVC,
      ip_address: '52.95.110.1',
      ip_country: 'US',
    }),
    record({
      category: 'lockout',
      event_time_ms: H0 + 120_000,
      user_id: ANN,
      ip_address: '8.8.4.4',
      ip_country: 'US',
    }),
  ];
  await ingestedHour(store, H0, events, NOW);
  return store;
}

/** The hour's coverage manifest as the ingest writes it: a new hash makes the recheck evaluate it again. */
const coverage = (hash: string) => manifest(lakeTimestamp(H0).slice(0, 16), { content_hash: hash });

/** The events of H0 as stored. */
async function lakeEvents(store: MemoryObjectStore): Promise<EventRecord[]> {
  const object = await store.get(activityKey('acme', H0));
  return object === undefined ? [] : ([...iterateNdjsonGzip(object.body)] as EventRecord[]);
}

const run = (
  store: MemoryObjectStore,
  channel: RecordingChannel,
  nowMs: number,
  log = recordingLog().log,
  rules = RULES,
) => {
  const counted = new Map<string, number>();
  const metrics = { ...noMetrics, count: (name: string, value: number) => counted.set(name, value) };
  const summary = runAlerts(
    { store, clock: { now: () => nowMs }, log, channels: [channel], metrics, detectors: [unusualHours] },
    { instance: 'acme', settings: settings(), runId: `run-${nowMs}`, expected: rules },
  );
  return { summary, counted };
};

describe('an alerts run with an expected-activity list', () => {
  it('does not send the alert a rule matches, counts it under the rule, and archives it marked', async () => {
    const store = await lake();
    const channel = new RecordingChannel('sns');
    const { log, logged } = recordingLog();
    const { summary: pending, counted } = run(store, channel, NOW, log);
    const summary = await pending;

    expect(channel.delivered.map((a) => a.user_id)).toEqual([ANN]);
    expect(summary.raised.map((a) => a.user_id)).toEqual([ANN]);
    expect(summary.quieted).toEqual([
      {
        rule: 2,
        name: 'backup job',
        reason: 'nightly backup from AWS',
        alerts: 1,
        kinds: { unusual_hour: 1 },
      },
    ]);
    expect(summary.expiredRules).toBeUndefined();
    expect(counted.get('AlertsQuieted')).toBe(1);
    expect(logged).toContainEqual([
      'info',
      'alerts quieted by the expected-activity list: archived, not sent',
      {
        instance: 'acme',
        rule: 2,
        name: 'backup job',
        reason: 'nightly backup from AWS',
        alerts: 1,
        kinds: { unusual_hour: 1 },
      },
    ]);
    // The evidence stays: both alerts are archived, the quieted one saying by which rule.
    const archived = [...store.objects.entries()]
      .filter(([key]) => key.startsWith('alerts/'))
      .map(([, value]) => JSON.parse(new TextDecoder().decode(value.body)));
    expect(archived.map((a) => [a.user_id, a.quieted_by]).sort()).toEqual([
      [SVC, 'rule 2 ("backup job"): nightly backup from AWS'],
      [ANN, null],
    ]);
  });

  it('does not send a quieted alert later, once its rule has expired, when its hour is evaluated again', async () => {
    const store = await lake();
    const channel = new RecordingChannel('sns');
    // Expires ten minutes after the first run: the second, an hour later, still rechecks H0.
    const rules = parseExpectedActivity([
      {
        name: 'backup job',
        user: SVC,
        reason: 'nightly backup from AWS',
        until: new Date(NOW + 10 * 60_000).toISOString(),
      },
    ]);
    await writeCoverage(store, 'acme', coverage('first'));
    expect((await run(store, channel, NOW, undefined, rules).summary).quieted?.[0]?.alerts).toBe(1);
    // A late event lands in H0 and the ingest stores it under a new hash: the recheck evaluates
    // H0 again and finds the quieted alert again, under the same id, with its rule expired.
    const late = record({
      category: 'other',
      event_time_ms: H0 + 180_000,
      user_id: 'bob',
      ip_address: '8.8.4.4',
    });
    const events = [...(await lakeEvents(store)), late];
    await store.put(activityKey('acme', H0), encodeNdjsonGzip(events));
    await writeCoverage(store, 'acme', coverage('with-the-late-event'));
    const { log, logged } = recordingLog();
    const summary = await run(store, channel, NOW + HOUR_MS, log, rules).summary;
    expect(summary.hoursEvaluated).toBeGreaterThan(0);
    expect(channel.delivered.map((a) => a.user_id)).toEqual([ANN]);
    expect(summary.raised).toEqual([]);
    expect(summary.expiredRules?.map((r) => r.rule)).toEqual([1]);
    expect(logged).toContainEqual([
      'warn',
      'expected-activity rule expired: it quiets nothing now, its alerts are sent',
      expect.objectContaining({ rule: 1 }),
    ]);
  });

  it('judges the list when the alerts are taken in, at the instant they are stamped detected (review R-MUTE4 L)', async () => {
    const store = await lake();
    const channel = new RecordingChannel('sns');
    const rules = parseExpectedActivity([
      { user: SVC, reason: 'nightly backup', until: new Date(NOW + 60_000).toISOString() },
    ]);
    // The clock passes the rule's end while the detectors run: the take-in, later, sends it.
    let now = NOW;
    const slow = (input: DetectionInput) => {
      now = NOW + 2 * 60_000;
      return unusualHours(input);
    };
    const summary = await runAlerts(
      { store, clock: { now: () => now }, log: recordingLog().log, channels: [channel], detectors: [slow] },
      { instance: 'acme', settings: settings(), runId: 'slow', expected: rules },
    );
    expect(channel.delivered.map((a) => a.user_id).sort()).toEqual([SVC, ANN]);
    expect(summary.quieted).toBeUndefined();
    expect(summary.expiredRules?.map((r) => r.rule)).toEqual([1]);
    // Stamped at the take-in, not when the evaluation started.
    const archived = [...store.objects.entries()]
      .filter(([key]) => key.startsWith('alerts/'))
      .map(([, value]) => JSON.parse(new TextDecoder().decode(value.body)).detected_at);
    expect(archived).toEqual([1, 2].map(() => new Date(NOW + 2 * 60_000).toISOString()));
  });

  it('sends what an expired rule would have matched, and reports the rule', async () => {
    const store = await lake();
    const channel = new RecordingChannel('sns');
    const later = Date.parse('2026-12-01T00:00:00Z');
    // The ingest caught up to the later clock: 13 days behind it, the run would hold its message as
    // during a first backfill (backfill-hold.test.ts).
    await advanceCheckpoint(store, 'acme', {
      watermarkMs: later - HOUR_MS,
      runId: 'caught-up',
      codeVersion: 'test',
      now: later,
    });
    const summary = await run(store, channel, later).summary;
    expect(channel.delivered.map((a) => a.user_id).sort()).toEqual([SVC, ANN]);
    expect(summary.quieted).toBeUndefined();
    expect(summary.expiredRules?.map((r) => r.rule)).toEqual([2]);
  });
});
