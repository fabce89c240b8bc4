/**
 * A quieted burst or spray does not use up its episode (review R-MUTE2 A): an attacker who forges
 * the quieted address as the first forwarded-for entry (`52.95.0.9, 6.6.6.6`) is grouped with it,
 * and its failures after the quieted alert are raised afresh and judged against the list again.
 */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectFailedLoginBursts } from '../../../functions/core/alerts/detect-failed-logins.ts';
import { detectPasswordSprays } from '../../../functions/core/alerts/detect-password-spray.ts';
import { parseExpectedActivity } from '../../../functions/core/alerts/expected-activity.ts';
import { quietAlerts, quietsBy } from '../../../functions/core/alerts/quiet-alerts.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { recordingLog } from '../../support/recording-log.ts';
import { failedLogin, hourInput, RecordingChannel, record, settings } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-18T10:00:00Z');
const VPN = parseExpectedActivity([
  {
    name: 'office VPN',
    ip: '52.95.0.0/16',
    kind: 'failed_login_burst',
    reason: 'stale passwords behind the VPN',
  },
]);
const OFFICE = parseExpectedActivity([
  {
    name: 'office NAT',
    ip: '52.95.0.0/16',
    kind: 'password_spray',
    reason: 'morning mistypes behind the NAT',
  },
]);
const FORGED = '52.95.0.9, 6.6.6.6';

describe('failed_login_burst after a quieted one', () => {
  const own = [1, 2, 3, 4, 5].map((i) => failedLogin(1, H + i * 1000, '52.95.0.9'));
  const forged: AlertEvent[] = [];
  for (let i = 0; i < 500; i++) forged.push(failedLogin(1, H + 60_000 + i * 6_000, FORGED));

  it('raises the forged failures that continue its episode, and sends them', () => {
    const input = { ...hourInput(H, [...own, ...forged]), quiets: quietsBy(VPN, H) };
    const outcome = quietAlerts(detectFailedLoginBursts(input), VPN, H);
    expect(outcome.quieted.length).toBe(1);
    expect(outcome.send.length).toBeGreaterThan(0);
    expect(outcome.send[0]?.addresses?.some(({ ip }) => ip === FORGED)).toBe(true);
  });

  it('keeps quieting the genuine failures of the episode, each new window counted', () => {
    const genuine = forged.map((e) => ({ ...e, ip_address: '52.95.0.9' }));
    const input = { ...hourInput(H, [...own, ...genuine]), quiets: quietsBy(VPN, H) };
    const outcome = quietAlerts(detectFailedLoginBursts(input), VPN, H);
    expect(outcome.send).toEqual([]);
    expect(outcome.quieted.length).toBeGreaterThan(1);
  });

  it('raises once per episode without a list, as before', () => {
    expect(detectFailedLoginBursts(hourInput(H, [...own, ...forged])).length).toBe(1);
  });
});

describe('password_spray after a quieted one', () => {
  const office = Array.from({ length: 10 }, (_, u) => ({
    ...failedLogin(1001 + u, H + (u + 1) * 20_000, '52.95.0.9'),
  }));
  const forged = Array.from({ length: 150 }, (_, u) =>
    failedLogin(5000 + u, H + 300_000 + u * 22_000, FORGED),
  );

  it('raises the forged failures that continue its episode, and sends them', () => {
    const input = { ...hourInput(H, [...office, ...forged]), quiets: quietsBy(OFFICE, H) };
    const outcome = quietAlerts(detectPasswordSprays(input), OFFICE, H);
    expect(outcome.quieted.length).toBe(1);
    expect(outcome.send.map((a) => a.kind)).toEqual(['password_spray']);
  });

  it('is sent across hours by a run: 10 office users, then 400 forged over 2.5 hours', async () => {
    const store = new MemoryObjectStore();
    const byHour = new Map<number, EventRecord[]>();
    const add = (r: EventRecord) => {
      const h = Math.floor(r.event_time_ms / HOUR_MS) * HOUR_MS;
      byHour.set(h, [...(byHour.get(h) ?? []), r]);
    };
    const at = (ms: number, user: number, ip: string) =>
      add(
        record({
          category: 'login_failed',
          event_time_ms: ms,
          user_id: `${user}`,
          ip_address: ip,
          ip_country: 'US',
        }),
      );
    for (let u = 1; u <= 10; u++) at(H + u * 20_000, 1000 + u, '52.95.0.9');
    for (let u = 0; u < 400; u++) at(H + 300_000 + u * 22_000, 5000 + u, FORGED);
    for (const [h, events] of byHour) await store.put(activityKey('acme', h), encodeNdjsonGzip(events));
    const channel = new RecordingChannel('sns');
    let quieted = 0;
    for (let k = 1; k <= 4; k++) {
      const now = H + k * HOUR_MS + 600_000;
      const watermark = { watermarkMs: H + k * HOUR_MS, runId: `i${k}`, codeVersion: 'test', now };
      await advanceCheckpoint(store, 'acme', watermark);
      const deps = { store, clock: { now: () => now }, log: recordingLog().log, channels: [channel] };
      const run = await runAlerts(deps, {
        instance: 'acme',
        settings: settings(),
        runId: `r${k}`,
        expected: OFFICE,
      });
      quieted += run.quietedAlerts?.length ?? 0;
    }
    expect(quieted).toBe(1);
    expect(channel.delivered.map((a) => a.kind)).toEqual(['password_spray']);
  });
});
