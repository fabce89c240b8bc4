/**
 * An old rewritten hour the checkpoint keeps for the late pass whose object no longer reads (bit
 * rot, a bad manual copy): it threw inside the late pass, every run failed, and no alert went out
 * again. It is now warned of (naming the object and the fix, a re-pull), dropped, and the runs go
 * on; a failure to fetch the object (a 5xx of the store) stops the run as before, and the hour is
 * kept for the next one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { type Log, silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import { LATE_LAKE_STEP, lateEventsLake, type MemoryLake } from './support/alert-fixtures.ts';
import { alertsUpToDate, onTimeLockoutRuns, rePullLockouts } from './support/late-repull.ts';

const MIN = 60_000;

describe('an old hour kept for the late pass whose object does not read', () => {
  let lake: MemoryLake;
  let ingested: MemoryObjectStore;
  beforeAll(async () => {
    ({ lake, ingested } = await lateEventsLake());
  }, 120_000);

  /** A lake whose alerts checkpoint keeps 2 old re-pulled hours after a run looked at 48. */
  async function keptLateHours(log: Log = silentLog) {
    const { store, channel, alerts, first } = await alertsUpToDate(ingested, log);
    await rePullLockouts(lake, store, { first, hours: 50 }, { id: 'd', name: 'Dmg' });
    await lake.ingest(LATE_LAKE_STEP + HOUR_MS, store);
    await alerts(LATE_LAKE_STEP + HOUR_MS + 5 * MIN);
    const kept = Object.keys((await readAlertCheckpoint(store, 'default'))?.checkpoint.late_hours ?? {});
    expect(kept).toHaveLength(2);
    return { store, channel, alerts, first, damaged: Number(kept[0]), newest: Number(kept[1]) };
  }

  it('damaged: warned of with its key and the fix, dropped; the on-time lockouts are sent', async () => {
    const warnings: { message: string; fields: Record<string, unknown> }[] = [];
    const log: Log = {
      ...silentLog,
      warn: (message, fields) => warnings.push({ message, fields: { ...fields } }),
    };
    const { store, channel, alerts, damaged } = await keptLateHours(log);
    const key = activityKey('default', damaged);
    const object = store.objects.get(key);
    if (!object) throw new Error('no object');
    store.objects.set(key, { ...object, body: object.body.slice(0, 40) });
    const start = lake.source.entries.length;
    try {
      expect(await onTimeLockoutRuns(lake, store, alerts, 2)).toEqual([]);
    } finally {
      lake.source.entries.splice(start);
    }
    expect(channel.delivered.filter((a) => a.user_name?.startsWith('Normal'))).toHaveLength(3);
    // Once as the late hour (not looked at), once as the hour before the next kept one (empty).
    const said = warnings.filter((w) => w.message.includes('does not read'));
    expect(said.map((w) => w.message)).toEqual([
      expect.stringContaining('taken as empty'),
      expect.stringContaining('not looked at for late lockouts'),
    ]);
    for (const warning of said) {
      expect(warning.fields.object).toBe(key);
      expect(String(warning.fields.fix)).toContain('pull that hour again from Domo');
      expect(String(warning.fields.reason)).toContain('not valid gzip');
    }
    const after = (await readAlertCheckpoint(store, 'default'))?.checkpoint;
    expect(Object.keys(after?.late_hours ?? {})).not.toContain(String(damaged));
  }, 300_000);

  it('damaged, deleted and pulled again: the hour is looked at again, its late lockout sent', async () => {
    const { store, channel, alerts, damaged } = await keptLateHours();
    const key = activityKey('default', damaged);
    const object = store.objects.get(key);
    if (!object) throw new Error('no object');
    store.objects.set(key, { ...object, body: object.body.slice(0, 40) });
    await alerts(LATE_LAKE_STEP + HOUR_MS + 10 * MIN);
    store.objects.delete(key);
    store.objects.delete(coverageKey('default', damaged));
    const range = { first: damaged, hours: 1, nowMs: LATE_LAKE_STEP + HOUR_MS + 12 * MIN };
    await rePullLockouts(lake, store, range, { id: 'mended', name: 'Mended' });
    // The next scheduled ingest gives the alerts run new hours (with none, it reads no digest).
    await lake.ingest(LATE_LAKE_STEP + 2 * HOUR_MS, store);
    await alerts(LATE_LAKE_STEP + 2 * HOUR_MS + 5 * MIN);
    expect(channel.delivered.filter((a) => a.user_name?.startsWith('Mended '))).toHaveLength(1);
  }, 300_000);

  for (const which of ['the late hour', 'the hour before it'] as const) {
    it(`a failure to fetch ${which} (a 5xx): the run fails, the hour is kept, the next looks at it`, async () => {
      const { store, channel, alerts, damaged, newest } = await keptLateHours();
      const key = activityKey('default', which === 'the late hour' ? newest : damaged - HOUR_MS);
      const get = store.get.bind(store);
      let failing = true;
      store.get = async (k: string) => {
        if (failing && k === key) throw new Error('503 Slow Down');
        return get(k);
      };
      const sentBefore = channel.delivered.filter((a) => a.user_name?.startsWith('Dmg ')).length;
      await expect(alerts(LATE_LAKE_STEP + HOUR_MS + 10 * MIN)).rejects.toThrow('503');
      const kept = (await readAlertCheckpoint(store, 'default'))?.checkpoint.late_hours ?? {};
      expect(Object.keys(kept)).toEqual([String(damaged), String(newest)]);
      failing = false;
      await alerts(LATE_LAKE_STEP + HOUR_MS + 20 * MIN);
      const sent = channel.delivered.filter((a) => a.user_name?.startsWith('Dmg ')).length;
      expect(sent).toBe(sentBefore + 2);
      expect((await readAlertCheckpoint(store, 'default'))?.checkpoint.late_hours).toBeUndefined();
    }, 300_000);
  }
});
