/**
 * The late pass reads old rewritten hours newest first through the run's hour cache: evicting only
 * the hours before the one read kept all of them (40 re-pulled hours: 41 held at once), which a
 * busy instance cannot hold; a run that died so never shrank the checkpoint's `late_hours`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HourCache } from '../../../functions/core/alerts/lake-hours.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { LATE_LAKE_STEP, lateEventsLake, type MemoryLake } from './support/alert-fixtures.ts';
import { alertsUpToDate, rePullLockouts } from './support/late-repull.ts';

const MIN = 60_000;
const H = Date.parse('2026-11-01T10:00:00Z');

describe('HourCache', () => {
  it('holds at most 3 hours walking back, as walking forward', async () => {
    const cache = new HourCache(new MemoryObjectStore(), 'acme');
    let peak = 0;
    for (let k = 0; k < 40; k++) {
      await cache.read(H - k * HOUR_MS);
      await cache.get(H - (k + 1) * HOUR_MS);
      peak = Math.max(peak, cache.held);
    }
    expect(peak).toBe(3);
    for (let k = 0; k < 40; k++) {
      await cache.read(H + k * HOUR_MS);
      await cache.get(H + (k - 1) * HOUR_MS);
      peak = Math.max(peak, cache.held);
    }
    expect(peak).toBe(3);
  });

  it('holds at most 5 hours however they are read', async () => {
    const cache = new HourCache(new MemoryObjectStore(), 'acme');
    let peak = 0;
    for (const k of [0, 30, 1, 29, 2, 28, -2, -1, 1, 2, 10, 9, 11, 8, 12]) {
      await cache.read(H + k * HOUR_MS);
      peak = Math.max(peak, cache.held);
    }
    expect(peak).toBeLessThanOrEqual(5);
  });
});

describe('the late pass over 40 re-pulled old hours', () => {
  let lake: MemoryLake;
  let ingested: MemoryObjectStore;
  beforeAll(async () => {
    ({ lake, ingested } = await lateEventsLake());
  }, 120_000);

  it('holds at most 3 hours at once and still sends each late lockout', async () => {
    const { store, channel, alerts, first } = await alertsUpToDate(ingested);
    await rePullLockouts(lake, store, { first, hours: 40 }, { id: 'm', name: 'Mem' });
    await lake.ingest(LATE_LAKE_STEP + HOUR_MS, store);
    let peak = 0;
    const read = HourCache.prototype.read;
    HourCache.prototype.read = async function (this: HourCache, hourMs: number) {
      const hour = await read.call(this, hourMs);
      peak = Math.max(peak, this.held);
      return hour;
    };
    try {
      await alerts(LATE_LAKE_STEP + HOUR_MS + 5 * MIN);
    } finally {
      HourCache.prototype.read = read;
    }
    const sent = channel.delivered.filter((a) => a.user_name?.startsWith('Mem ')).length;
    expect(sent).toBe(40);
    expect(peak).toBeLessThanOrEqual(3);
  }, 120_000);
});
