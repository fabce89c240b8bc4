/**
 * A run bounded by `endMs` (the demo's report week, `alerts --until`): the hours from its hour on
 * are neither evaluated nor checkpointed, so a later run without it takes them up. Until
 * 2026-12-03 a run had no end: the demo evaluated up to the lake's end, not the week's.
 */
import { describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel, settings } from './support/alert-fixtures.ts';
import { writeLockoutLake } from './support/lockout-lake.ts';

const H0 = Date.parse('2026-11-02T00:00:00Z');
const at = (hours: number) => H0 + hours * HOUR_MS;

/** Lockouts at 00:05, 02:05 and 04:05, the lake complete up to 05:00. */
async function lake(): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  await writeLockoutLake(store, H0);
  return store;
}

const run = (store: MemoryObjectStore, endMs?: number) =>
  runAlerts(
    { store, clock: { now: () => at(6) }, log: silentLog, channels: [new RecordingChannel()] },
    {
      instance: 'acme',
      settings: settings(),
      runId: `run-${endMs}`,
      ...(endMs === undefined ? {} : { endMs }),
    },
  );

const hoursOf = (alerts: readonly { event_time_ms: number }[]) =>
  alerts.map((a) => (a.event_time_ms - H0) / HOUR_MS).map(Math.floor);

describe('runAlerts with an end', () => {
  it('evaluates and checkpoints only the hours before it; a later run without it takes up the rest', async () => {
    const store = await lake();
    const bounded = await run(store, at(2));
    expect(hoursOf(bounded.raised)).toEqual([0]);
    expect(bounded).toMatchObject({ hoursEvaluated: 2, nextHourMs: at(2), endMs: at(2), watermarkMs: at(5) });
    const checkpoint = (await readAlertCheckpoint(store, 'acme'))?.checkpoint;
    expect(checkpoint?.next_hour_ms).toBe(at(2));
    expect(Object.keys(checkpoint?.evaluated ?? {}).map(Number)).toEqual([at(0), at(1)]);

    const rest = await run(store);
    expect(hoursOf(rest.raised)).toEqual([2, 4]);
    expect(rest.nextHourMs).toBe(at(5));
    expect(rest.endMs).toBeUndefined();
  });

  it('stops before the hour an end within it falls in: hours are evaluated whole', async () => {
    const bounded = await run(await lake(), at(2) + 30 * 60_000);
    expect(hoursOf(bounded.raised)).toEqual([0]);
    expect(bounded.nextHourMs).toBe(at(2));
  });

  it('is the watermark when it is later: no end reported', async () => {
    const bounded = await run(await lake(), at(9));
    expect(hoursOf(bounded.raised)).toEqual([0, 2, 4]);
    expect(bounded.nextHourMs).toBe(at(5));
    expect(bounded.endMs).toBeUndefined();
  });
});
