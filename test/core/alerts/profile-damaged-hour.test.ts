/**
 * An hour the login profile folds whose object does not read (cut short after a re-pull, before
 * the next alerts run): the late pass dropped it, but the profile's reads (folding a rewritten hour
 * again, a rebuild) threw, every run failed, and no alert went out, not even the on-time lockouts
 * of new hours, until the object was mended. It is now warned of once (naming the object and the
 * fix) and folded as without sign-ins; once deleted and pulled again, the hour is folded again. A
 * failure to fetch it (a 5xx of the store) still fails the run, which leaves the state as it was.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { signInsOf } from '../../../functions/core/alerts/evaluate-hours.ts';
import { DAMAGED_OBJECT, readHour } from '../../../functions/core/alerts/lake-hours.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { activityKey, alertsStateKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { type Log, silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import {
  LATE_LAKE_FROM,
  LATE_LAKE_STEP,
  lateEventsLake,
  type MemoryLake,
  settings,
} from './support/alert-fixtures.ts';
import { alertsUpToDate, onTimeLockoutRuns, rePullLockouts } from './support/late-repull.ts';

const MIN = 60_000;
const PROFILE_WARNING = 'an hour of the login history does not read';

interface Warning {
  message: string;
  fields: Record<string, unknown>;
}

/** A log keeping its warnings. */
function warningLog(): { log: Log; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const log: Log = {
    ...silentLog,
    warn: (message, fields) => warnings.push({ message, fields: { ...fields } }),
  };
  return { log, warnings };
}

/** Cuts the hour's events object to 40 bytes: not gzip any more. */
function damage(store: MemoryObjectStore, hourMs: number): string {
  const key = activityKey('default', hourMs);
  const object = store.objects.get(key);
  if (!object) throw new Error(`no object ${key}`);
  store.objects.set(key, { ...object, body: object.body.slice(0, 40) });
  return key;
}

async function storedProfile(store: MemoryObjectStore): Promise<LoginProfile> {
  const stored = await store.get(alertsStateKey('default', 'login-profile.json.gz'));
  const profile = stored && (await LoginProfile.decode(stored.body, 'default', settings().timeZone));
  if (!profile) throw new Error('no login profile');
  return profile;
}

describe('an hour the login profile folds whose object does not read', () => {
  // A lake of its own for each test: the memory source sorts its entries again only when their
  // count changes, so entries one test added and took back could be served to the next.
  let lake: MemoryLake;
  let ingested: MemoryObjectStore;
  /** The first hour of the lake with a sign-in: its sign-ins show whether it was folded. */
  let signedIn: number;
  beforeEach(async () => {
    ({ lake, ingested } = await lateEventsLake());
    signedIn = LATE_LAKE_FROM;
    while (signInsOf((await readHour(ingested, 'default', signedIn)).events).length === 0)
      signedIn += HOUR_MS;
  }, 120_000);

  /** A first alerts run, then 3 old hours from `signedIn` re-pulled (late lockouts): stale in the profile. */
  async function rePulled(log: Log = silentLog) {
    const { store, channel, alerts } = await alertsUpToDate(ingested, log);
    await rePullLockouts(lake, store, { first: signedIn, hours: 3 }, { id: 'd', name: 'Dmg' });
    return { store, channel, alerts };
  }

  it('damaged before it is folded again: warned of once, folded empty; the on-time lockouts go out; mended, folded again', async () => {
    const { log, warnings } = warningLog();
    const { store, channel, alerts } = await rePulled(log);
    const key = damage(store, signedIn);
    expect(await onTimeLockoutRuns(lake, store, alerts, 1)).toEqual([]);
    expect(channel.delivered.filter((a) => a.user_name?.startsWith('Normal'))).toHaveLength(3);
    // Folded once, under a version no object has: not read again in the next two runs.
    const said = warnings.filter((w) => w.message.includes(PROFILE_WARNING));
    expect(said).toHaveLength(1);
    expect(said[0]?.fields.object).toBe(key);
    expect(said[0]?.fields.hour).toBe(new Date(signedIn).toISOString());
    expect(String(said[0]?.fields.fix)).toContain('pull that hour again from Domo');
    expect(String(said[0]?.fields.reason)).toContain('not valid gzip');
    // The late pass's warning is the same function's: the same fix.
    const late = warnings.find((w) => w.message.includes('not looked at for late lockouts'));
    expect(late?.fields.fix).toBe(said[0]?.fields.fix);
    let profile = await storedProfile(store);
    expect(profile.versionOf(signedIn)).toBe(DAMAGED_OBJECT);
    const users = signInsOf((await readHour(ingested, 'default', signedIn)).events).map((s) => s.user_id);
    const loginsThen = () =>
      users.reduce((n, user) => n + profile.history(user, signedIn, signedIn + HOUR_MS).logins, 0);
    expect(loginsThen()).toBe(0);

    // Mended as the warning says: deleted with its manifest, pulled again (a new digest names it).
    store.objects.delete(key);
    store.objects.delete(coverageKey('default', signedIn));
    await rePullLockouts(lake, store, { first: signedIn, hours: 1 }, { id: 'd', name: 'Dmg' });
    const mended = (await readHour(store, 'default', signedIn)).version;
    await lake.ingest(LATE_LAKE_STEP + 4 * HOUR_MS, store);
    await alerts(LATE_LAKE_STEP + 4 * HOUR_MS + 5 * MIN);
    profile = await storedProfile(store);
    expect(profile.versionOf(signedIn)).toBe(mended);
    expect(loginsThen()).toBe(users.length);
  }, 300_000);

  it('damaged while the profile is rebuilt: warned of once, folded empty, the runs go on', async () => {
    const { log, warnings } = warningLog();
    const { store, channel, alerts } = await alertsUpToDate(ingested, log);
    store.objects.delete(alertsStateKey('default', 'login-profile.json.gz'));
    const key = damage(store, signedIn);
    expect(await onTimeLockoutRuns(lake, store, alerts, 1)).toEqual([]);
    expect(channel.delivered.filter((a) => a.user_name?.startsWith('Normal'))).toHaveLength(3);
    const said = warnings.filter((w) => w.message.includes(PROFILE_WARNING));
    expect(said.map((w) => w.fields.object)).toEqual([key]);
    expect((await storedProfile(store)).versionOf(signedIn)).toBe(DAMAGED_OBJECT);
  }, 300_000);

  it('a failure to fetch the hour (a 5xx) is not damage: the run fails, the next one folds it', async () => {
    const { store, channel, alerts } = await rePulled();
    // The next scheduled ingest gives the alerts run new hours (with none, it reads no digest).
    await lake.ingest(LATE_LAKE_STEP + HOUR_MS, store);
    const profileKey = alertsStateKey('default', 'login-profile.json.gz');
    const profileBefore = store.objects.get(profileKey);
    const checkpointBefore = (await readAlertCheckpoint(store, 'default'))?.checkpoint;
    // The newest of the 3: the late pass reads it first, the profile's fold again last (fetched
    // anew, out of the cache's reach by then); only that second fetch fails.
    const key = activityKey('default', signedIn + 2 * HOUR_MS);
    const get = store.get.bind(store);
    let fetches = 0;
    let failing = true;
    store.get = async (k: string) => {
      if (k === key && failing && ++fetches >= 2) throw new Error('503 Slow Down');
      return get(k);
    };
    await expect(alerts(LATE_LAKE_STEP + HOUR_MS + 5 * MIN)).rejects.toThrow('503');
    expect(fetches).toBe(2);
    expect(store.objects.get(profileKey)).toBe(profileBefore);
    expect((await readAlertCheckpoint(store, 'default'))?.checkpoint).toEqual(checkpointBefore);
    failing = false;
    await alerts(LATE_LAKE_STEP + HOUR_MS + 10 * MIN);
    expect(channel.delivered.filter((a) => a.user_name?.startsWith('Dmg '))).toHaveLength(3);
    const object = store.objects.get(key);
    if (!object) throw new Error('no object');
    expect((await storedProfile(store)).versionOf(signedIn + 2 * HOUR_MS)).toBe(
      (await readHour(store, 'default', signedIn + 2 * HOUR_MS)).version,
    );
  }, 300_000);
});
