import { describe, expect, it } from 'vitest';
import { SnsAlertChannel } from '../../functions/adapters/sns-alert-channel.ts';
import { newAlertCheckpoint } from '../../functions/core/alerts/alert-checkpoint.ts';
import { deliverChannel } from '../../functions/core/alerts/deliver-alerts.ts';
import { runAlerts } from '../../functions/core/alerts/run-alerts.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { noMetrics, silentLog } from '../../functions/core/ports.ts';
import { settings } from '../core/alerts/support/alert-fixtures.ts';
import {
  alertAt,
  channelState,
  deliveryContext,
  INSTANCE,
  NOW,
  storeChannel,
} from '../core/alerts/support/delivery-fixtures.ts';
import { MemoryAuditSource } from '../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { noWaits } from '../support/no-waits.ts';
import { oneAlertMessage } from './support/alert-message.ts';
import { recordingSnsClient } from './support/recording-sns-client.ts';

// A lone UTF-16 surrogate has no UTF-8 form: the SDK's form encoding throws "URI malformed" before
// anything is sent, and the delivery (a real lockout batched with it) ends unknown, never sent.
const TOPIC = 'arn:aws:sns:eu-west-1:1:alerts';
const MINUTE = 60_000;
const HOUR = 3_600_000;
const LONE = /[\ud800-\udfff]/u;

describe('SNS alerts with a lone surrogate', () => {
  it('publishes a text holding a lone surrogate, with U+FFFD in its place', async () => {
    const bodies: URLSearchParams[] = [];
    const channel = new SnsAlertChannel(recordingSnsClient(bodies), TOPIC);
    await expect(
      channel.deliver({ ...oneAlertMessage, text: 'failed logins of adm\ud83din' }),
    ).resolves.toEqual({
      messageId: 'm-1',
    });
    expect(bodies.map((b) => b.get('Message'))).toEqual(['failed logins of adm\ufffdin']);
  });

  it('cuts a text over 250 kB between characters, never inside an emoji', async () => {
    const bodies: URLSearchParams[] = [];
    const channel = new SnsAlertChannel(recordingSnsClient(bodies), TOPIC);
    // Odd lead so that a cut at an even UTF-16 offset falls inside an emoji.
    await channel.deliver({ ...oneAlertMessage, text: `x${'😀'.repeat(70_000)}` });
    const message = bodies[0]?.get('Message') ?? '';
    expect(LONE.test(message)).toBe(false);
    expect(message.endsWith('😀\n[shortened]')).toBe(true);
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(125_000 + '\n[shortened]'.length);
    expect(Buffer.byteLength(message)).toBeGreaterThan(125_000 - 4);
  });

  it('delivers a real lockout batched with a burst of a crafted user name', async () => {
    const store = new MemoryObjectStore();
    const real = alertAt('real-lockout', NOW - 30 * MINUTE);
    const burst = {
      ...alertAt('crafted', NOW - 20 * MINUTE),
      kind: 'failed_login_burst' as const,
      user_id: null,
      user_name: 'adm\ud83din',
    };
    storeChannel(store, 'sns', { outbox: [real, burst] });
    const bodies: URLSearchParams[] = [];
    const outcome = await deliverChannel(
      deliveryContext(store, NOW, { initial: () => newAlertCheckpoint(INSTANCE, NOW) }),
      new SnsAlertChannel(recordingSnsClient(bodies), TOPIC),
    );
    expect(outcome).toMatchObject({ status: 'delivered', alerts: 2 });
    expect(bodies).toHaveLength(1);
    const text = bodies[0]?.get('Message') ?? '';
    expect(text).toContain('Ann (42)');
    expect(text).toContain('adm\ufffdin');
    expect((await channelState(store, 'sns'))?.unknown).toEqual([]);
  });

  it('from the Domo JSON escape through ingest and evaluation to one publish', async () => {
    const hour = Date.parse('2026-11-18T14:00:00Z');
    const lockout = {
      actionType: 'LOCKED_OUT',
      eventText: 'User locked out',
      userId: '1',
      userName: 'Real Admin',
      time: hour + 5 * MINUTE,
      ipAddress: '203.0.113.5',
    };
    const entries: ConstructorParameters<typeof MemoryAuditSource>[0] = [
      { timeMs: lockout.time, entry: lockout },
    ];
    for (let i = 0; i < 5; i++) {
      const t = hour + (10 + i) * MINUTE;
      // As Domo's JSON carries it: an escaped lone surrogate, which JSON.parse keeps.
      const text = `{"actionType":"LOGIN_FAILED","eventText":"Failed login","userName":"adm\\ud83din","time":${t},"ipAddress":"198.51.100.9"}`;
      entries.push({ timeMs: t, entry: JSON.parse(text), text });
    }
    const store = new MemoryObjectStore();
    const ingestedAt = hour + HOUR + 16 * MINUTE;
    await runIngest(
      {
        ...noWaits,
        source: new MemoryAuditSource(entries),
        store,
        clock: { now: () => ingestedAt },
        log: silentLog,
        metrics: noMetrics,
      },
      { ...defaultIngestConfig('default'), backfillDays: 1 },
    );
    const bodies: URLSearchParams[] = [];
    const channels = [new SnsAlertChannel(recordingSnsClient(bodies), TOPIC)];
    const run = (ms: number) =>
      runAlerts(
        { store, clock: { now: () => ms }, log: silentLog, channels },
        { instance: 'default', settings: settings(), runId: `r${ms}` },
      );
    const first = await run(ingestedAt + MINUTE);
    expect(first.raised.map((a) => [a.kind, a.user_name])).toEqual(
      expect.arrayContaining([
        ['lockout', 'Real Admin'],
        // The lake stores U+FFFD for it (DuckDB refuses a file holding a lone surrogate).
        ['failed_login_burst', 'adm\ufffdin'],
      ]),
    );
    expect(first.deliveries).toMatchObject([{ channel: 'sns', status: 'delivered', alerts: 2 }]);
    await run(ingestedAt + 16 * MINUTE);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.get('Message')).toContain('Real Admin');
  });
});
