import { describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { InFlight409Store } from '../../support/in-flight-409-store.ts';
import { Landed412Store } from '../../support/landed-412-store.ts';
import { RecordingChannel } from './support/alert-fixtures.ts';
import { INSTANCE } from './support/delivery-fixtures.ts';
import { alertsRun, ingestedUpTo, START } from './support/synthetic-run.ts';

const CHECKPOINT = alertsStateKey(INSTANCE, 'checkpoint.json');

/**
 * The checkpoint write that takes a run's alerts in lands, but S3 lost the answer: the SDK's retry
 * met the object it had just written and was answered 412.
 */
describe('a take-in that landed, answered 412', () => {
  it('reports the alerts it took in as raised by this run, and delivers them once', async () => {
    const store = new Landed412Store().arm(CHECKPOINT);
    ingestedUpTo(store, START + 2 * HOUR_MS);
    const channel = new RecordingChannel('sns');

    const run = await alertsRun(store, START + 2 * HOUR_MS + 1_000, [channel]);

    expect(store.landed412).toEqual([CHECKPOINT]);
    expect(run.raised).toHaveLength(2);
    expect(channel.delivered.map((a) => a.id)).toEqual(run.raised.map((a) => a.id));
    const checkpoint = (await readAlertCheckpoint(store, INSTANCE))?.checkpoint;
    expect(checkpoint?.channels.sns).toMatchObject({ outbox: [], sending: null, delivered: 2 });
  });

  it('reports them as raised by this run when answered 409 while its first attempt was in flight', async () => {
    // That attempt lands right after the re-read that finds the checkpoint as it was read.
    const store = new InFlight409Store().arm(CHECKPOINT, 1);
    ingestedUpTo(store, START + 2 * HOUR_MS);
    const channel = new RecordingChannel('sns');

    const run = await alertsRun(store, START + 2 * HOUR_MS + 1_000, [channel]);

    expect(store.conflicted).toEqual([CHECKPOINT]);
    expect(run.raised).toHaveLength(2);
    expect(channel.delivered.map((a) => a.id)).toEqual(run.raised.map((a) => a.id));
  });
});
