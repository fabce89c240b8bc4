/**
 * The expected-activity list quiets sign-in alerts only: the failure detectors (lockouts, bursts,
 * sprays) do exactly what they do without a list (review R-MUTE4: a quieted burst or spray made
 * their cross-hour state depend on where a run's view started, and a forged attack fell between
 * two runs). The same failure-heavy lake, forged forwarded-for lists led by the expected address
 * among it, run hour by hour with and without rules that match everything a rule may: the same
 * failure alerts sent, the same checkpoint state of the failure detectors.
 */
import { describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { parseExpectedActivity } from '../../../functions/core/alerts/expected-activity.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { recordingLog } from '../../support/recording-log.ts';
import { RecordingChannel, record, settings } from './support/alert-fixtures.ts';

const H0 = Date.parse('2026-11-18T00:00:00Z');
const HOURS = 6;
const VPN = '52.95.0.9';
const FORGED = `${VPN}, 6.6.6.6`;
const USERS = Array.from({ length: 12 }, (_, i) => String(1000 + i));

/** Every kind of rule the list still takes, each matching the VPN's users and address. */
const EVERYTHING = parseExpectedActivity([
  { name: 'vpn', ip: ['52.95.0.0/24', '6.6.6.0/24'], reason: 'office VPN' },
  { name: 'staff', user: USERS, reason: 'the staff' },
  { name: 'home', user: USERS, country: ['US', 'DE'], reason: 'at home' },
  {
    name: 'sign-ins',
    user: USERS,
    kind: ['new_country', 'new_network', 'unusual_hour'],
    reason: 'all sign-ins',
  },
]);

const failure = (
  user: string,
  atMs: number,
  ip: string,
  category: EventRecord['category'] = 'login_failed',
): EventRecord =>
  record({
    category,
    event_time_ms: atMs,
    user_id: user,
    user_name: `user ${user}`,
    ip_address: ip,
    ip_country: 'US',
  });

/** Genuine VPN failures, forged lists led by the VPN, bursts mixing both, sprays and lockouts near the hours' edges. */
function failures(): EventRecord[] {
  const events: EventRecord[] = [];
  for (let t = H0 + 1000; t < H0 + HOURS * HOUR_MS; t += 110_000) events.push(failure('1000', t, VPN));
  for (let h = 1; h < HOURS; h++) {
    const edge = H0 + h * HOUR_MS;
    // A burst straddling the hour's edge, half genuine, half forged.
    for (let i = 0; i < 6; i++)
      events.push(failure('1001', edge - 150_000 + i * 50_000, i % 2 ? FORGED : VPN));
    // A spray from the forged list across the edge, and one from the VPN itself.
    for (const [i, user] of USERS.entries()) events.push(failure(user, edge - 200_000 + i * 30_000, FORGED));
    for (const [i, user] of USERS.entries()) events.push(failure(user, edge + 900_000 + i * 20_000, VPN));
    // A lockout after failures from the VPN and forged ones.
    events.push(failure('1002', edge + 1_200_000, VPN), failure('1002', edge + 1_210_000, FORGED));
    events.push(failure('1002', edge + 1_220_000, VPN, 'lockout'));
  }
  return events.sort((a, b) => a.event_time_ms - b.event_time_ms);
}

/** The lake run hour by hour, as the schedule does: what was sent and the failure detectors' state. */
async function runHourly(events: readonly EventRecord[], expected: typeof EVERYTHING) {
  const store = new MemoryObjectStore();
  for (let h = 0; h < HOURS; h++) {
    const hour = H0 + h * HOUR_MS;
    const inHour = events.filter((e) => e.event_time_ms >= hour && e.event_time_ms < hour + HOUR_MS);
    await store.put(activityKey('acme', hour), encodeNdjsonGzip(inHour));
  }
  const channel = new RecordingChannel('sns');
  const quieted: string[] = [];
  for (let h = 1; h <= HOURS; h++) {
    const now = H0 + h * HOUR_MS + 10 * 60_000;
    await advanceCheckpoint(store, 'acme', {
      watermarkMs: H0 + h * HOUR_MS,
      runId: `i${h}`,
      codeVersion: 't',
      now,
    });
    const summary = await runAlerts(
      { store, clock: { now: () => now }, log: recordingLog().log, channels: [channel] },
      { instance: 'acme', settings: settings(), runId: `r${h}`, expected },
    );
    quieted.push(...(summary.quietedAlerts ?? []).map((a) => a.kind));
  }
  const checkpoint = (await readAlertCheckpoint(store, 'acme'))?.checkpoint;
  const sent = channel.delivered.map((a) => `${a.kind} ${a.id} ${a.evidence}`);
  return { sent, quieted, bursts: checkpoint?.bursts, sprays: checkpoint?.sprays };
}

describe('the failure alerts with an expected-activity list (review R-MUTE4)', () => {
  it('are those sent without one, the detectors left in the same state', async () => {
    // Built once: the records' ids, and so the alerts', are the same for both runs.
    const events = failures();
    const without = await runHourly(events, []);
    const withList = await runHourly(events, EVERYTHING);
    const kinds = new Set(without.sent.map((line) => line.split(' ')[0]));
    expect([...kinds].sort()).toEqual(['failed_login_burst', 'lockout', 'password_spray']);
    expect(without.sent.length).toBeGreaterThan(10);
    expect(withList.quieted).toEqual([]);
    expect(withList.sent).toEqual(without.sent);
    expect(withList.bursts).toEqual(without.bursts);
    expect(withList.sprays).toEqual(without.sprays);
  });
});
