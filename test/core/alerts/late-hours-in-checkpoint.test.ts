/**
 * The old hours an ingest rewrote that are still to be looked at for late lockouts live in the
 * alerts checkpoint, written with the run's progress (review R-ALERTS2, item 1). Kept in the
 * login profile (its place in the digest chain held back), a late lockout was never raised when a
 * run died between the profile's write and the checkpoint's, when the chain could not be read in
 * full while hours were carried over, when the profile was lost after the re-pull, or when a
 * release without the late pass ran during a carry-over.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { MAX_LATE_HOURS_PER_RUN } from '../../../functions/core/alerts/evaluate-hours.ts';
import { digestChainEnd } from '../../../functions/core/alerts/lake-hours.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { alertsStateKey, digestKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import {
  LATE_LAKE_STEP,
  lateEventsLake,
  type MemoryLake,
  type RecordingChannel,
} from './support/alert-fixtures.ts';
import { alertsUpToDate, rePullLockouts } from './support/late-repull.ts';

const MIN = 60_000;
const STEP = LATE_LAKE_STEP;
const PROFILE = alertsStateKey('default', 'login-profile.json.gz');
const CHECKPOINT = alertsStateKey('default', 'checkpoint.json');

let lake: MemoryLake;
let ingested: MemoryObjectStore;
beforeAll(async () => {
  ({ lake, ingested } = await lateEventsLake());
}, 120_000);

/** The alerts delivered of users named "<name> k". */
const named = (channel: RecordingChannel, name: string) =>
  channel.delivered.filter((a) => a.user_name?.startsWith(`${name} `));

/** Makes the next put of the alerts checkpoint throw: the run dies there. */
function dieAtCheckpointWrite(store: MemoryObjectStore): void {
  store.beforePut = (key) => {
    if (key !== CHECKPOINT) return;
    store.beforePut = undefined;
    throw new Error('the run died before its checkpoint write');
  };
}

/**
 * A store up to date whose re-pull of the lockouts of MAX_LATE_HOURS_PER_RUN + 2 old hours (users
 * named `who`) one run has looked at in part: the newest 48 sent, two carried over. With `before`,
 * the digest chain's end before the re-pull.
 */
async function carryingOver(who: { id: string; name: string }) {
  const up = await alertsUpToDate(ingested);
  const before = await digestChainEnd(up.store, 'default');
  await rePullLockouts(lake, up.store, { first: up.first, hours: MAX_LATE_HOURS_PER_RUN + 2 }, who);
  await lake.ingest(STEP + HOUR_MS, up.store);
  await up.alerts(STEP + HOUR_MS + 5 * MIN);
  expect(named(up.channel, who.name)).toHaveLength(MAX_LATE_HOURS_PER_RUN);
  return { ...up, before };
}

/** Sets the login profile's place in the digest chain, as another run or release may leave it. */
async function setProfilePlace(store: MemoryObjectStore, digestNext: number): Promise<void> {
  const stored = store.objects.get(PROFILE);
  const profile = stored && (await LoginProfile.decode(stored.body, 'default', 'UTC'));
  if (!profile) throw new Error('no login profile');
  profile.digestNext = digestNext;
  store.objects.set(PROFILE, { ...stored, body: profile.encode() });
}

describe('old rewritten hours kept in the alerts checkpoint', () => {
  it('a run that dies between the profile write and the checkpoint write: sent by the next, once', async () => {
    const { store, channel, alerts, first } = await alertsUpToDate(ingested);
    await rePullLockouts(lake, store, { first, hours: 1 }, { id: 'd', name: 'Died' });
    await lake.ingest(STEP + HOUR_MS, store);
    dieAtCheckpointWrite(store);
    await expect(alerts(STEP + HOUR_MS + 5 * MIN)).rejects.toThrow(/died/);
    expect(named(channel, 'Died')).toEqual([]);
    await alerts(STEP + HOUR_MS + 10 * MIN);
    await lake.ingest(STEP + 2 * HOUR_MS, store);
    await alerts(STEP + 2 * HOUR_MS + 5 * MIN);
    expect(named(channel, 'Died').map((a) => a.kind)).toEqual(['lockout']);
  }, 120_000);

  it('hours carried over survive a digest chain that cannot be read in full', async () => {
    const { store, channel, alerts } = await carryingOver({ id: 'c', name: 'Chain' });
    await lake.ingest(STEP + 2 * HOUR_MS, store);
    // The chain's head does not read: which hours were rewritten since is unknown to this run.
    const end = await digestChainEnd(store, 'default');
    const head = store.objects.get(digestKey('default', end - 1));
    if (!head) throw new Error('no digest at the head of the chain');
    store.objects.set(digestKey('default', end - 1), {
      ...head,
      body: new TextEncoder().encode('not a digest'),
    });
    await alerts(STEP + 2 * HOUR_MS + 5 * MIN);
    const got = named(channel, 'Chain');
    expect(got).toHaveLength(MAX_LATE_HOURS_PER_RUN + 2);
    expect(new Set(got.map((a) => a.id)).size).toBe(got.length);
  }, 120_000);

  it('a login profile lost after the re-pull: the late lockout is still sent', async () => {
    const { store, channel, alerts, first } = await alertsUpToDate(ingested);
    await rePullLockouts(lake, store, { first, hours: 1 }, { id: 'p', name: 'Profile' });
    await lake.ingest(STEP + HOUR_MS, store);
    store.objects.delete(PROFILE);
    await alerts(STEP + HOUR_MS + 5 * MIN);
    expect(named(channel, 'Profile').map((a) => a.kind)).toEqual(['lockout']);
  }, 120_000);

  for (const change of ['lost', 'moved on by a release without the late pass'] as const) {
    it(`a login profile ${change} during a carry-over: the rest is sent`, async () => {
      const { store, channel, alerts } = await carryingOver({ id: 'l', name: 'Lost' });
      await lake.ingest(STEP + 2 * HOUR_MS, store);
      if (change === 'lost') store.objects.delete(PROFILE);
      else {
        // What a release from before the late pass leaves: the profile read the chain to its end
        // (and folded the hours again); the checkpoint keeps the fields it does not know.
        await setProfilePlace(store, await digestChainEnd(store, 'default'));
      }
      await alerts(STEP + 2 * HOUR_MS + 5 * MIN);
      const got = named(channel, 'Lost');
      expect({ change, sent: got.length }).toEqual({ change, sent: MAX_LATE_HOURS_PER_RUN + 2 });
      expect(new Set(got.map((a) => a.id)).size).toBe(got.length);
      const checkpoint = (await readAlertCheckpoint(store, 'default'))?.checkpoint;
      expect(checkpoint?.late_hours).toBeUndefined();
    }, 120_000);
  }

  it('a checkpoint from before the field, its carry-over held in the profile: the rest is sent', async () => {
    const { store, channel, alerts, before } = await carryingOver({ id: 'u', name: 'Upgrade' });
    // As the release before left it: no late fields in the checkpoint, the profile's place in the
    // chain held before the re-pull's digests for the next run to read them again.
    const stored = await readAlertCheckpoint(store, 'default');
    if (!stored) throw new Error('no alerts checkpoint');
    const { late_hours: _hours, late_digest_next: _next, ...older } = stored.checkpoint;
    store.putNow(CHECKPOINT, new TextEncoder().encode(JSON.stringify(older)));
    await setProfilePlace(store, before);
    // The run reads the re-pull's digests again and looks at the newest 48 hours again (nothing
    // sent twice); the next one looks at the two left.
    for (let h = 2; h <= 3; h++) {
      await lake.ingest(STEP + h * HOUR_MS, store);
      await alerts(STEP + h * HOUR_MS + 5 * MIN);
    }
    const got = named(channel, 'Upgrade');
    expect(got).toHaveLength(MAX_LATE_HOURS_PER_RUN + 2);
    expect(new Set(got.map((a) => a.id)).size).toBe(got.length);
  }, 120_000);

  it('a login profile behind the checkpoint: the hours recorded are not found again', async () => {
    const { store, channel, alerts, before } = await carryingOver({ id: 'b', name: 'Behind' });
    // The profile's place before the re-pull, as a run that saved no profile leaves it (no hour
    // evaluated or folded again: the watermark held, the hours rewritten older than its history).
    await setProfilePlace(store, before);
    // No new hour: the two runs look at the two hours kept, not at the 48 newest again.
    await alerts(STEP + HOUR_MS + 10 * MIN);
    await alerts(STEP + HOUR_MS + 15 * MIN);
    const got = named(channel, 'Behind');
    expect(got).toHaveLength(MAX_LATE_HOURS_PER_RUN + 2);
    expect(new Set(got.map((a) => a.id)).size).toBe(got.length);
  }, 120_000);
});
