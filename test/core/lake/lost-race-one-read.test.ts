import { describe, expect, it } from 'vitest';
import {
  newAlertCheckpoint,
  readAlertCheckpoint,
  updateAlertCheckpoint,
} from '../../../functions/core/alerts/alert-checkpoint.ts';
import { advanceStoredCheckpoint, readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import {
  type ConditionalUpdate,
  updateConditionally,
} from '../../../functions/core/lake/conditional-update.ts';
import { lastRunKey, readLastRun, recordRunFailedToStart } from '../../../functions/core/lake/last-run.ts';
import { alertsStateKey, checkpointKey, reportSentKey } from '../../../functions/core/lake/layout.ts';
import { mergeIntoObject } from '../../../functions/core/lake/merge-write.ts';
import { encodeMarker } from '../../../functions/core/report/sent-marker.ts';
import { claimWeek, readWeekMarker } from '../../../functions/core/report/week-claim.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { LostRaceStore } from '../../support/lost-race-store.ts';
import { sentMarker as marker, settleDeps as settle } from '../../support/sent-marker-fixture.ts';

/**
 * A conditional update that loses a race reads the object once: that read tells whether its put
 * landed all the same (its bytes there) and is what it decides again on. Reading it again for the
 * decision doubled the cost of every lost race, megabytes of gzip for a busy hour.
 */
const key = 'state/instance=acme/counter.json';
const text = (body: Uint8Array) => new TextDecoder().decode(body);
const bytes = (s: string) => new TextEncoder().encode(s);

const increment = (maxAttempts: number): ConditionalUpdate<number, string> => ({
  maxAttempts,
  stateOf: (stored) => (stored ? Number(text(stored.body)) : 0),
  decide: ({ state }) => ({
    write: true,
    body: bytes(String(state + 1)),
    contentType: 'text/plain',
    result: () => `wrote ${state + 1}`,
  }),
  giveUp: (attempts) => `gave up after ${attempts}`,
});

describe('a conditional update that loses a race', () => {
  it('reads the object once per lost race, and decides again on that read', async () => {
    const store = new LostRaceStore().arm(key);
    store.putNow(key, bytes('1'));
    expect(await updateConditionally(store, key, increment(3))).toBe('wrote 2');
    expect(store.getsSinceLost(key)).toBe(1);
    expect(text((await store.get(key))?.body ?? bytes(''))).toBe('2');
  });

  it('reads it once per lost race up to maxAttempts: a first read and one after each put', async () => {
    const store = new LostRaceStore();
    store.putNow(key, bytes('1'));
    store.beforePut = () => {
      store.putNow(key, bytes(String(Math.random())));
    };
    await expect(updateConditionally(store, key, increment(3))).rejects.toThrow('gave up after 3');
    expect(store.puts).toHaveLength(3);
    expect(store.gets).toEqual([key, key, key, key]);
  });
});

const h = (hour: number) => Date.parse('2026-10-01T00:00:00Z') + hour * HOUR_MS;
const NOW = Date.parse('2026-10-02T12:00:00Z');

describe('each caller of the conditional update reads the object once after a lost race', () => {
  it('the checkpoint advance', async () => {
    const store = new LostRaceStore();
    const advance = { watermarkMs: h(2), runId: 'run-0', codeVersion: '1', now: NOW };
    const read = await advanceStoredCheckpoint(store, 'acme', advance);
    store.arm(checkpointKey('acme'));
    const stored = await advanceStoredCheckpoint(store, 'acme', { ...advance, watermarkMs: h(5) }, read);
    expect(store.getsSinceLost(checkpointKey('acme'))).toBe(1);
    expect(stored).toEqual(await readCheckpoint(store, 'acme'));
    expect(stored.checkpoint.watermark_ms).toBe(h(5));
  });

  it('the last-run record', async () => {
    const store = new LostRaceStore();
    await recordRunFailedToStart(store, 'acme', 'first', NOW, 15);
    store.arm(lastRunKey('acme'));
    await recordRunFailedToStart(store, 'acme', 'second', NOW + 1, 15);
    expect(store.getsSinceLost(lastRunKey('acme'))).toBe(1);
    expect(await readLastRun(store, 'acme')).toMatchObject({ first_failure: 'second' });
  });

  it('the merge into an hour', async () => {
    const merge = 'activity_log/instance=acme/dt=2026-10-01/2026-10-01T10.ndjson.gz';
    const options = { idOf: (r: { id: string }) => r.id, compare: () => 0 };
    const store = new LostRaceStore();
    await mergeIntoObject(store, merge, [{ id: 'a' }], options);
    store.arm(merge);
    const result = await mergeIntoObject(store, merge, [{ id: 'b' }], options);
    expect(store.getsSinceLost(merge)).toBe(1);
    expect(result).toMatchObject({ before: 1, after: 2, added: [{ id: 'b' }], written: true });
  });

  it('the alerts checkpoint', async () => {
    const store = new LostRaceStore();
    const checkpoint = alertsStateKey('acme', 'checkpoint.json');
    const initial = () => newAlertCheckpoint('acme', h(0));
    await updateAlertCheckpoint(store, 'acme', initial, (current) => current);
    store.arm(checkpoint);
    await updateAlertCheckpoint(store, 'acme', initial, (current) => ({ ...current, next_hour_ms: h(1) }));
    expect(store.getsSinceLost(checkpoint)).toBe(1);
    expect((await readAlertCheckpoint(store, 'acme'))?.checkpoint.next_hour_ms).toBe(h(1));
  });

  const marked = reportSentKey('acme', '2026-W47');

  it("the week claim, lost to another run's marker", async () => {
    const store = new LostRaceStore();
    const week = { store, instance: 'acme', isoWeek: '2026-W47' };
    store.putNow(marked, encodeMarker(marker('failed', 'last-run')));
    store.arm(marked);
    const result = await claimWeek(week, await readWeekMarker(week), marker('sending', 'mine'), settle);
    expect(store.getsSinceLost(marked)).toBe(1);
    expect(result).toMatchObject({ claimed: false, reason: 'claimed' });
  });

  it('the settle of a claimed week, taken over meanwhile', async () => {
    const store = new LostRaceStore();
    const week = { store, instance: 'acme', isoWeek: '2026-W47' };
    const result = await claimWeek(week, await readWeekMarker(week), marker('sending', 'mine'), settle);
    if (!result.claimed) throw new Error(`expected the claim, got ${JSON.stringify(result)}`);
    store.arm(marked);
    await expect(result.claim.settle({ state: 'sent', messageId: 'm-1' })).resolves.toMatchObject({
      recorded: false,
    });
    expect(store.getsSinceLost(marked)).toBe(1);
  });
});
