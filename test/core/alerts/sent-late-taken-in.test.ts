/**
 * Whether a late message's oldest alert waited for a refusing channel or was found late is judged
 * from when it was taken in, which each outbox alert now carries (`detected_at_ms`). It was judged
 * when the first refused attempt that carried it was claimed (review R-ALFIX3 L1, L2): an alert
 * taken in on time whose first attempt came a run later (the take-in run out of time, another
 * run's claim) read as found late, and so did one waiting across a rollback that left the
 * channel's record stale. An alert taken in before the stamp keeps the claim's answer.
 */
import { describe, expect, it } from 'vitest';
import { DeliveryRefusedError } from '../../../functions/core/alerts/alert-channel.ts';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { deliverChannel } from '../../../functions/core/alerts/deliver-alerts.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { type PutOptions, silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { flatText, RecordingChannel, settings } from './support/alert-fixtures.ts';
import {
  alertAt,
  channelState,
  channelWithOutbox,
  deliveryContext,
  INSTANCE,
  NOW,
  storeChannel,
} from './support/delivery-fixtures.ts';
import { hourlyAlert, ingestedUpTo, START } from './support/synthetic-run.ts';

const MIN = 60_000;
const WAITED =
  "This channel's last delivery attempt failed (the last: Throttling), and the alerts waited for it.";

/** A lake whose Lambda is left under delivery's 30 s once the alerts are taken in, when `short`. */
class ShortAfterTakeIn extends MemoryObjectStore {
  short = false;
  leftMs = 300_000;
  override async put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }> {
    const written = await super.put(key, body, options);
    if (this.short && key === alertsStateKey(INSTANCE, 'checkpoint.json')) this.leftMs = 20_000;
    return written;
  }
}

const run = (store: ShortAfterTakeIn, nowMs: number, channel: RecordingChannel) => {
  store.leftMs = 300_000;
  return runAlerts(
    {
      store,
      clock: { now: () => nowMs },
      log: silentLog,
      channels: [channel],
      detectors: [hourlyAlert],
      remainingTimeMs: () => store.leftMs,
    },
    { instance: INSTANCE, settings: settings(), runId: `run-${nowMs}`, startMs: START },
  );
};

describe('a late message whose oldest alert was refused', () => {
  it('says it waited when it was taken in on time, though first attempted a run later', async () => {
    const store = new ShortAfterTakeIn();
    ingestedUpTo(store, START + HOUR_MS);
    const channel = new RecordingChannel('email');
    channel.fail = (attempt) => (attempt <= 1 ? new DeliveryRefusedError('Throttling') : undefined);
    // The alert's event is at START + 30 min: taken in 1 h 50 min later, with no time to deliver.
    const takenIn = START + 30 * MIN + 110 * MIN;
    store.short = true;
    const first = await run(store, takenIn, channel);
    store.short = false;
    expect([first.raised.length, channel.attempts]).toEqual([1, 0]);
    const outbox = (await readAlertCheckpoint(store, INSTANCE))?.checkpoint.channels.email?.outbox;
    expect(outbox?.map((alert) => alert.detected_at_ms)).toEqual([takenIn]);
    // Refused a run later (2 h 05 after the event), delivered the run after.
    await run(store, takenIn + 15 * MIN, channel);
    expect((await channelState(store, 'email'))?.refused).toMatchObject({ in_row: 1, oldest_on_time: true });
    await run(store, takenIn + 30 * MIN, channel);
    const text = flatText(channel.messages[0]?.text ?? '');
    expect(text).toContain('Sent late: the oldest alert here is about an event 2 hours 20 minutes');
    expect(text).toContain(WAITED);
    expect(text).not.toContain('found late');
  });

  // Review R-LAST3 M1: with no refusal at all, the take-in time was not looked at, and an alert
  // taken in on time whose run ran out of time read "found late … the log says which".
  it.each([
    [
      'taken in on time, it says a later run delivered it',
      110,
      'They were taken in on time and waited for a later run',
    ],
    ['taken in late, it says found late', 150, 'They were found late'],
  ])('with no refusal: %s', async (_, takenInAfter, expected) => {
    const store = new ShortAfterTakeIn();
    ingestedUpTo(store, START + HOUR_MS);
    const channel = new RecordingChannel('email');
    const takenIn = START + 30 * MIN + takenInAfter * MIN;
    store.short = true;
    await run(store, takenIn, channel);
    store.short = false;
    expect(channel.attempts).toBe(0);
    await run(store, takenIn + 15 * MIN, channel);
    const text = flatText(channel.messages[0]?.text ?? '');
    expect(text).toContain('Sent late:');
    expect(text).toContain(expected);
    expect(text).not.toContain('waited for it');
  });

  it('says it waited after a rollback left the refusals stale and a new row began', async () => {
    const store = new MemoryObjectStore();
    // Refused on time at NOW; then a release that keeps the record but never updates it refused
    // again (failures 2 beside the record's 1): the record is stale, the next refusal starts a row.
    storeChannel(store, 'email', {
      outbox: [{ ...alertAt('a', NOW - 10 * MIN), detected_at_ms: NOW - 5 * MIN }],
      refused: {
        in_row: 1,
        oldest_ms: NOW - 10 * MIN,
        since_ms: NOW,
        oldest_on_time: true,
        delivered: 0,
        failures: 1,
      },
      failures: 2,
      last_error: 'Throttling',
    });
    const channel = new RecordingChannel('email');
    channel.fail = (attempt) => (attempt <= 1 ? new DeliveryRefusedError('Throttling') : undefined);
    expect((await deliverChannel(deliveryContext(store, NOW + 3 * HOUR_MS), channel)).status).toBe('refused');
    expect((await channelState(store, 'email'))?.refused).toMatchObject({
      in_row: 1,
      since_ms: NOW + 3 * HOUR_MS,
      oldest_on_time: true,
    });
    await deliverChannel(deliveryContext(store, NOW + 3 * HOUR_MS + 15 * MIN), channel);
    expect(flatText(channel.messages[0]?.text ?? '')).toContain(WAITED);
  });

  it('says it was found late when it was taken in late, whenever refused', async () => {
    const { store, channel } = channelWithOutbox('email', [
      { ...alertAt('a', NOW - 3 * HOUR_MS), detected_at_ms: NOW },
    ]);
    channel.fail = (attempt) => (attempt <= 1 ? new DeliveryRefusedError('Throttling') : undefined);
    await deliverChannel(deliveryContext(store, NOW), channel);
    expect((await channelState(store, 'email'))?.refused?.oldest_on_time).toBe(false);
    await deliverChannel(deliveryContext(store, NOW + 15 * MIN), channel);
    const text = flatText(channel.messages[0]?.text ?? '');
    expect(text).toContain('They were found late');
    expect(text).toContain("This channel's last delivery attempt also failed (the last: Throttling)");
  });

  // Review R-LAST3 L1: the outbox folds its oldest events first, so in a backlog over its cap the
  // alert a late message is judged by was only counted, and lost its take-in time.
  it.each([
    ['taken in on time, it says the alerts waited', 100, WAITED],
    ['taken in late, it says found late', 130, 'They were found late'],
  ])('of an oldest alert only counted: %s', async (_, takenInAfter, expected) => {
    const oldest = NOW - 110 * MIN;
    const store = new MemoryObjectStore();
    storeChannel(store, 'email', {
      outbox: [{ ...alertAt('kept', NOW - 20 * MIN), detected_at_ms: NOW - 10 * MIN }],
      folded: {
        count: 1000,
        kinds: { lockout: 1000 },
        oldest_ms: oldest,
        newest_ms: NOW - 30 * MIN,
        oldest_detected_at_ms: oldest + takenInAfter * MIN,
      },
    });
    const channel = new RecordingChannel('email');
    channel.fail = (attempt) => (attempt <= 1 ? new DeliveryRefusedError('Throttling') : undefined);
    // Claimed 2 h 05 after the oldest event: judged at the claim, it read as found late.
    await deliverChannel(deliveryContext(store, oldest + 125 * MIN), channel);
    expect((await channelState(store, 'email'))?.refused?.oldest_on_time).toBe(takenInAfter <= 120);
    await deliverChannel(deliveryContext(store, oldest + 140 * MIN), channel);
    expect(flatText(channel.messages[0]?.text ?? '')).toContain(expected);
  });

  // An alert taken in by a release before the stamp (or during a rollback to one) has no take-in
  // time: the claim of its first refused attempt stands in for it, as before.
  it('judges an alert without a take-in time when its first refused attempt was claimed', async () => {
    const { store, channel } = channelWithOutbox('email', [alertAt('a', NOW - 110 * MIN)]);
    channel.fail = (attempt) => (attempt <= 1 ? new DeliveryRefusedError('Throttling') : undefined);
    await deliverChannel(deliveryContext(store, NOW + 15 * MIN), channel);
    expect((await channelState(store, 'email'))?.refused?.oldest_on_time).toBe(false);
    await deliverChannel(deliveryContext(store, NOW + 30 * MIN), channel);
    expect(flatText(channel.messages[0]?.text ?? '')).toContain('They were found late');
  });
});
