import { describe, expect, it } from 'vitest';
import { updateAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { alertKey, alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel } from './support/alert-fixtures.ts';
import { alertAt, INSTANCE } from './support/delivery-fixtures.ts';
import { alertsRun, ingestedUpTo, START } from './support/synthetic-run.ts';

const CHECKPOINT = alertsStateKey(INSTANCE, 'checkpoint.json');

describe('the archive list of the alerts checkpoint', () => {
  it('keeps an alert another run added while this one archived its own, and a later run archives it', async () => {
    const store = new MemoryObjectStore();
    ingestedUpTo(store, START + 2 * HOUR_MS);
    const late = alertAt('taken in by another run', START + HOUR_MS + 60_000);
    let archived = false;
    let added = false;
    // Once this run has written its archive objects, another run takes `late` in (and stops before
    // archiving it): this run's next checkpoint write loses the race and is applied again.
    store.beforePut = async (key) => {
      if (key.startsWith('alerts/')) archived = true;
      if (key !== CHECKPOINT || !archived || added) return;
      added = true;
      await updateAlertCheckpoint(
        store,
        INSTANCE,
        () => {
          throw new Error('the checkpoint exists by now');
        },
        (checkpoint) => {
          checkpoint.archive.push(late);
          return checkpoint;
        },
      );
    };
    await alertsRun(store, START + 2 * HOUR_MS + 1_000, [new RecordingChannel('sns')]);
    expect(added).toBe(true);
    store.beforePut = undefined;
    const lateKey = alertKey(INSTANCE, late.event_time_ms, late.id);
    expect(store.objects.has(lateKey)).toBe(false);

    await alertsRun(store, START + 2 * HOUR_MS + 60_000, [new RecordingChannel('sns')]);
    expect(store.objects.has(lateKey)).toBe(true);
  });
});
