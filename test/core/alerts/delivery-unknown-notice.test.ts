/**
 * A delivery whose outcome is unknown (a timeout, a server error) goes out again, marked, up to
 * MAX_UNCONFIRMED times over GIVE_UP_UNCONFIRMED_MS (delivery-unknown-outcome.test.ts); past that
 * it is not repeated, and the recipients were never told that it may not have arrived (review R-ALERTSTIME, item 3): the next
 * message that reached them said nothing of the lockout it carried. The next message delivered on
 * the channel now says so, with the archive query of those alerts by id, once. The alerts here
 * have gone out all the times they may ({@link spent}).
 */
import { describe, expect, it } from 'vitest';
import { DeliveryRefusedError } from '../../../functions/core/alerts/alert-channel.ts';
import {
  emptyChannel,
  GIVE_UP_UNCONFIRMED_MS,
  MAX_UNCONFIRMED,
  type OutboxAlert,
  readAlertCheckpoint,
} from '../../../functions/core/alerts/alert-checkpoint.ts';
import { deliverChannel } from '../../../functions/core/alerts/deliver-alerts.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel } from './support/alert-fixtures.ts';
import {
  addToOutbox,
  channelState,
  channelWithOutbox,
  deliveryContext,
  alertAt as freshAlertAt,
  INSTANCE,
  NOW,
  storeChannel,
} from './support/delivery-fixtures.ts';

const MIN = 60_000;

/** An alert that went out in deliveries of unknown outcome all but once of the times it may. */
const spent = (alert: OutboxAlert): OutboxAlert => ({
  ...alert,
  unconfirmed: MAX_UNCONFIRMED - 1,
  unconfirmed_since_ms: NOW - GIVE_UP_UNCONFIRMED_MS,
});
const alertAt = (tag: string, eventTimeMs: number): OutboxAlert => spent(freshAlertAt(tag, eventTimeMs));
const NOTE = 'An earlier alert message may not have arrived';

describe('a delivery of unknown outcome', () => {
  it('is told of by the next message delivered on the channel, with its query by id, once', async () => {
    const lost = alertAt('lost', NOW - 10 * MIN);
    const { store, channel } = channelWithOutbox('sns', [lost]);
    // A timeout, then a refusal (nothing delivered), then deliveries that work.
    channel.fail = (attempt) =>
      attempt === 1
        ? new Error('socket hang up')
        : attempt === 2
          ? new DeliveryRefusedError('throttled')
          : undefined;
    expect((await deliverChannel(deliveryContext(store, NOW), channel)).status).toBe('unknown');

    const next = alertAt('next', NOW + 5 * MIN);
    await addToOutbox(store, 'sns', [next]);
    expect((await deliverChannel(deliveryContext(store, NOW + 15 * MIN), channel)).status).toBe('refused');
    // Refused: nothing arrived, so the notice waits with the alerts.
    expect((await channelState(store, 'sns'))?.unknown_notices).toHaveLength(1);

    expect((await deliverChannel(deliveryContext(store, NOW + 30 * MIN), channel)).status).toBe('delivered');
    const [told] = channel.messages;
    expect(told?.alerts.map((a) => a.id)).toEqual([next.id]);
    for (const part of [told?.text ?? '', told?.html ?? '']) {
      const flat = part.replace(/\s+/g, ' ');
      expect(flat).toContain(`${NOTE}: 1 alert (1 lockout) at 2026-11-18 15:00`);
      expect(flat).toContain('so they are not sent again');
    }
    expect(told?.text).toContain(
      `SELECT * FROM alerts WHERE instance = '${INSTANCE}' AND dt BETWEEN '2026-11-18' AND '2026-11-18' AND id IN ('${lost.id}') ORDER BY event_time DESC, id`,
    );
    expect((await channelState(store, 'sns'))?.unknown_notices).toBeUndefined();

    // Told once: the message after it says nothing of it, and the lost alert is never sent.
    await addToOutbox(store, 'sns', [alertAt('later', NOW + 35 * MIN)]);
    expect((await deliverChannel(deliveryContext(store, NOW + 45 * MIN), channel)).status).toBe('delivered');
    expect(channel.messages[1]?.text).not.toContain(NOTE);
    expect(channel.delivered.map((a) => a.id)).not.toContain(lost.id);
  });

  it('names several by their span, and a checkpoint from before notices tells of none', async () => {
    const store = new MemoryObjectStore();
    // An older release's checkpoint: an unknown outcome recorded, no notices.
    const old = alertAt('old', NOW - 60 * MIN);
    storeChannel(store, 'sns', {
      outbox: [alertAt('new', NOW - 10 * MIN)],
      unknown: [{ at: new Date(NOW - 45 * MIN).toISOString(), error: 'timeout', alert_ids: [old.id] }],
      failures: 1,
    });
    const stored = (await readAlertCheckpoint(store, INSTANCE))?.checkpoint;
    expect(stored?.channels.sns).toEqual({
      ...emptyChannel(),
      outbox: [alertAt('new', NOW - 10 * MIN)],
      unknown: [{ at: new Date(NOW - 45 * MIN).toISOString(), error: 'timeout', alert_ids: [old.id] }],
      failures: 1,
    });
    const channel = new RecordingChannel('sns');
    // Four timeouts in a row, each of the alerts taken in since, then one that works.
    channel.fail = (attempt) => (attempt <= 4 ? new Error('timeout') : undefined);
    for (let k = 0; k < 5; k++) {
      if (k > 0) await addToOutbox(store, 'sns', [alertAt(`a${k}`, NOW + k * 15 * MIN - 10 * MIN)]);
      await deliverChannel(deliveryContext(store, NOW + k * 15 * MIN), channel);
    }
    const [message] = channel.messages;
    const text = message?.text.replace(/\s+/g, ' ') ?? '';
    expect(text).toContain(
      '4 earlier alert messages may not have arrived: 4 alerts (4 lockouts) from 2026-11-18 15:00 to 2026-11-18 15:45',
    );
    expect(text).not.toContain(old.id);
    expect(message?.alerts).toHaveLength(1);
  });

  // Review R-ALFIX L2: the docs said three such messages or more were told of as one; the message
  // names up to three one by one and groups from four, as docs/alerts.md now says.
  it('names up to three earlier messages one by one, and tells of four or more as one', () => {
    const notice = (k: number) => ({
      at: new Date(NOW + k * 15 * MIN).toISOString(),
      alert_ids: [alertAt(`n${k}`, NOW).id],
      kinds: { lockout: 1 },
      oldest_ms: NOW - 10 * MIN,
      newest_ms: NOW - 10 * MIN,
    });
    const render = (n: number) =>
      renderAlertMessage([alertAt('x', NOW + 2 * 60 * MIN)], {
        instance: INSTANCE,
        timeZone: 'UTC',
        nowMs: NOW + 2 * 60 * MIN + 10 * MIN,
        mailOlderThanHours: 24,
        unknownNotices: Array.from({ length: n }, (_, k) => notice(k)),
      }).text.replace(/\s+/g, ' ');
    expect(render(3)).toContain(
      '3 earlier alert messages may not have arrived: 1 alert (1 lockout) at 2026-11-18 15:00; 1 alert (1 lockout) at 2026-11-18 15:15; 1 alert (1 lockout) at 2026-11-18 15:30 (',
    );
    expect(render(4)).toContain(
      '4 earlier alert messages may not have arrived: 4 alerts (4 lockouts) from 2026-11-18 15:00 to 2026-11-18 15:45 (',
    );
  });

  // Review R-ALFIX L4: each notice kept every id of its delivery, which `unknown` holds already:
  // 20 unknown deliveries of 1,000 alerts made 702,501 bytes of notices in a 1.4 MB checkpoint,
  // though a message names 10 ids at most.
  it('keeps at most 11 ids of a delivery and how many it carried', async () => {
    const store = new MemoryObjectStore();
    storeChannel(store, 'sns', {});
    const channel = new RecordingChannel('sns');
    channel.fail = () => new Error('socket hang up');
    for (let k = 0; k < 20; k++) {
      const alerts = Array.from({ length: 1000 }, (_, i) => alertAt(`k${k}-${i}`, NOW - 60 * MIN + i));
      await addToOutbox(store, 'sns', alerts);
      await deliverChannel(deliveryContext(store, NOW + k * 15 * MIN), channel);
    }
    const notices = (await channelState(store, 'sns'))?.unknown_notices ?? [];
    expect(notices).toHaveLength(20);
    expect(notices.every((n) => n.alert_ids.length === 11 && n.ids_count === 1000)).toBe(true);
    expect(JSON.stringify(notices).length).toBeLessThan(20_000);
    channel.fail = undefined;
    await addToOutbox(store, 'sns', [alertAt('ok', NOW + 300 * MIN)]);
    await deliverChannel(deliveryContext(store, NOW + 310 * MIN), channel);
    const text = channel.messages[0]?.text.replace(/\s+/g, ' ') ?? '';
    expect(text).toContain(
      '20 earlier alert messages may not have arrived: 20000 alerts (20000 lockouts) from 2026-11-18 15:00 to 2026-11-18 19:45',
    );
    // Too many to name: the archive query of their span, no id in it.
    expect(text).toContain("dt BETWEEN '2026-11-18' AND '2026-11-18' ORDER BY");
    expect(text).not.toContain(' id IN (');
    expect((await channelState(store, 'sns'))?.unknown_notices).toBeUndefined();
  });

  it('names the ids of a delivery of at most 10 alerts, and counts one of 11 by its span', async () => {
    for (const [n, byId] of [
      [10, true],
      [11, false],
      [12, false],
    ] as const) {
      const store = new MemoryObjectStore();
      const lost = Array.from({ length: n }, (_, i) => alertAt(`l${i}`, NOW - 10 * MIN + i));
      storeChannel(store, 'sns', { outbox: lost });
      const channel = new RecordingChannel('sns');
      channel.fail = (attempt) => (attempt === 1 ? new Error('socket hang up') : undefined);
      await deliverChannel(deliveryContext(store, NOW), channel);
      await addToOutbox(store, 'sns', [alertAt('next', NOW + 5 * MIN)]);
      await deliverChannel(deliveryContext(store, NOW + 15 * MIN), channel);
      const text = channel.messages[0]?.text.replace(/\s+/g, ' ') ?? '';
      expect(text).toContain(`${n} alerts (${n} lockouts) at 2026-11-18 15:00`);
      expect(text.includes(' id IN (')).toBe(byId);
    }
  });
});
