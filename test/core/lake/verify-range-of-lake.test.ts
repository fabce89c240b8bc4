import { describe, expect, it } from 'vitest';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { type LastRun, recordRunFailedToStart } from '../../../functions/core/lake/last-run.ts';
import { recordedSettle, verifyRangeOfLake } from '../../../functions/core/lake/verify-range.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const day0 = Date.parse('2026-12-02T00:00:00Z');
const MINUTE = 60_000;
/** The ingest's limits of the settle time, as the command passes them. */
const accepts = (minutes: number) => Number.isInteger(minutes) && minutes >= 0 && minutes <= 240;

describe("the settle time a verify trusts from the lake's last run", () => {
  const run = { instance: 'acme', mode: 'checkpoint', settle_minutes: 90 } as LastRun;

  it("takes the instance's own scheduled run's, when the ingest would take it", () => {
    expect(recordedSettle(run, 'acme', accepts)).toBe(90);
  });

  it("takes, of a range run's record, the scheduled run's it carries, not the range's own", () => {
    const range = { ...run, mode: 'range', settle_minutes: 5 } as LastRun;
    expect(
      recordedSettle({ ...range, checkpoint_run_settings: { settle_minutes: 120 } }, 'acme', accepts),
    ).toBe(120);
    expect(
      recordedSettle({ ...range, checkpoint_run_settings: { settle_minutes: 1e9 } }, 'acme', accepts),
    ).toBe(undefined);
    expect(
      recordedSettle({ ...range, checkpoint_run_settings: { lookback_hours: 3 } }, 'acme', accepts),
    ).toBe(undefined);
  });

  it("counts another instance's, a range run's, an absurd or an absent one as none", () => {
    expect(recordedSettle(run, 'other', accepts)).toBeUndefined();
    expect(recordedSettle({ ...run, mode: 'range' }, 'acme', accepts)).toBeUndefined();
    expect(recordedSettle({ ...run, settle_minutes: 1e9 }, 'acme', accepts)).toBeUndefined();
    expect(recordedSettle({ ...run, settle_minutes: undefined }, 'acme', accepts)).toBeUndefined();
    expect(recordedSettle(undefined, 'acme', accepts)).toBeUndefined();
  });
});

describe('verifyRangeOfLake', () => {
  const range = { fromMs: day0, toMs: day0 + 24 * HOUR_MS };
  // 10:25: a settle of 15 min closes the hours up to 10:00, one of 90 up to 08:00.
  const nowMs = day0 + 10 * HOUR_MS + 25 * MINUTE;

  it("judges the range by the settle time the lake's last run recorded, and says so", async () => {
    const store = new MemoryObjectStore();
    await recordRunFailedToStart(store, 'acme', 'test', nowMs - HOUR_MS, 90);
    const asked = { range, settleMinutes: 15, settleGiven: false };
    expect(await verifyRangeOfLake(store, 'acme', asked, nowMs, accepts)).toEqual({
      at: {
        kind: 'closed',
        range: { fromMs: day0, toMs: day0 + 8 * HOUR_MS },
        clipped: { requestedToMs: range.toMs, settleMinutes: 90, settleFromLastRun: true },
      },
      watermarkMs: null,
      heldFromMs: null,
    });
  });

  it('keeps the settle time given, and reads no last run for it', async () => {
    const store = new MemoryObjectStore();
    await recordRunFailedToStart(store, 'acme', 'test', nowMs - HOUR_MS, 90);
    const asked = { range, settleMinutes: 15, settleGiven: true };
    const { at } = await verifyRangeOfLake(store, 'acme', asked, nowMs, accepts);
    expect(at).toEqual({
      kind: 'closed',
      range: { fromMs: day0, toMs: day0 + 10 * HOUR_MS },
      clipped: { requestedToMs: range.toMs, settleMinutes: 15 },
    });
  });
});

describe("verifyRangeOfLake: the checkpoint's later-pull fields", () => {
  it('passes them on with the watermark, so verify judges which hours are final by one read', async () => {
    const store = new MemoryObjectStore();
    await advanceCheckpoint(store, 'acme', {
      watermarkMs: day0 + 8 * HOUR_MS,
      runId: 'run-a',
      codeVersion: 'x',
      now: day0 + 9 * HOUR_MS,
      repull: { repull_from_ms: day0 },
    });
    const asked = { range: { fromMs: day0, toMs: day0 + 4 * HOUR_MS }, settleMinutes: 15, settleGiven: true };
    const read = await verifyRangeOfLake(store, 'acme', asked, day0 + 10 * HOUR_MS, accepts);
    expect(read.repull).toEqual({ repull_from_ms: day0 });
  });
});
