import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { activityKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { at, bodyOf, countedCalls, dayLake, dayNow } from '../../support/verify-day-lake.ts';

// Reviews of stop 61: plain verify named the hours holding events but no manifest inside the span
// it checks, never those outside it, though queries read them: an events or quarantine object of an
// hour before the lake began (planted history, or an interrupted ingest of older hours) went
// unmentioned, and a lake holding events but no manifest at all passed with "the lake holds no
// covered hour yet". Both are now counted from the listing verify makes anyway, with the range to
// re-pull; not a failure, as an interrupted hour inside the lake is none.

const now = dayNow;

describe('verify without a range: hours before the lake began holding objects but no manifest', () => {
  it('counts them with the range to re-pull, reads nothing more for them, and passes', async () => {
    const store = await dayLake();
    const before = countedCalls(store);
    await verifyLake(before.store, 'acme', undefined, { nowMs: now });
    const body = bodyOf(store, activityKey('acme', at(4)));
    // Events of two hours, and a quarantine object of one of them and of a third hour (counted once each).
    store.putNow(activityKey('acme', at(-30)), body);
    store.putNow(activityKey('acme', at(-5)), body);
    store.putNow(quarantineKey('acme', at(-5)), body);
    store.putNow(quarantineKey('acme', at(-7)), body);
    const after = countedCalls(store);
    const report = await verifyLake(after.store, 'acme', undefined, { nowMs: now });
    expect(report).toMatchObject({
      ok: true,
      fromMs: at(0),
      interruptedWindows: 0,
      foreignKeyCount: 0,
      // --json's repull: on to the lake's first hour, so that the re-pull leaves no gap before it.
      heldBeforeLake: {
        hourCount: 3,
        fromMs: at(-30),
        toMs: at(-4),
        repull: { fromMs: at(-30), toMs: at(0) },
      },
    });
    expect([after.gets(), after.lists()]).toEqual([before.gets(), before.lists()]);
    expect(describeReport(report, 'memory')).toContain(
      '  3 hour(s) between 2026-09-29 18:00Z and 2026-09-30 20:00Z hold events or quarantined entries but no manifest, before the lake began (its first hour checked is 2026-10-01 00:00Z): an ingest of those hours was interrupted between its objects and their manifests (an ingest --from/--to of older history, or a first run), or still runs; queries read them all the same, so once no ingest runs, re-pull them and the hours up to the lake with:\n    ingest --from 2026-09-29T18:00:00Z --to 2026-10-01T00:00:00Z\n',
    );
    // A range asked for leaves the hours before it out, as before.
    const ranged = await verifyLake(store, 'acme', { fromMs: at(0), toMs: at(24) }, { nowMs: now });
    expect(ranged.heldBeforeLake).toBeUndefined();
  });

  it('counts an hour once: inside the span from a recorded start as interrupted, before it as before the lake', async () => {
    const store = await dayLake();
    const body = bodyOf(store, activityKey('acme', at(4)));
    store.putNow(activityKey('acme', at(-5)), body);
    store.putNow(activityKey('acme', at(-12)), body);
    // The checkpoint's plan start, 10 hours before the first covered hour: the span starts there.
    const marks = { watermarkMs: at(24), heldFromMs: null, planFromMs: at(-10) };
    const report = await verifyLake(store, 'acme', undefined, { ...marks, nowMs: now });
    expect(report).toMatchObject({
      fromMs: at(-10),
      interruptedWindows: 1,
      heldBeforeLake: { hourCount: 1, fromMs: at(-12), toMs: at(-11) },
    });
  });
});

describe('verify of a lake with no covered hour: objects of hours begun', () => {
  it('counts and names them, leaving an hour not begun to its own finding', async () => {
    const store = new MemoryObjectStore();
    const body = bodyOf(await dayLake(), activityKey('acme', at(4)));
    store.putNow(activityKey('acme', at(5)), body);
    store.putNow(activityKey('acme', at(30)), body);
    const withFuture = await verifyLake(store, 'acme', undefined, { nowMs: at(20) });
    expect(withFuture).toMatchObject({
      ok: false,
      fromMs: null,
      futureObjectCount: 1,
      heldBeforeLake: { hourCount: 1, fromMs: at(5), toMs: at(6) },
    });
    store.objects.delete(activityKey('acme', at(30)));
    const report = await verifyLake(store, 'acme', undefined, { nowMs: at(20) });
    expect(report).toMatchObject({
      ok: true,
      heldBeforeLake: { hourCount: 1, repull: { fromMs: at(5), toMs: at(6) } },
    });
    expect(describeReport(report, 'memory')).toBe(
      'verify acme at memory: the lake holds no covered hour yet\n' +
        '  1 hour(s) between 2026-10-01 05:00Z and 2026-10-01 06:00Z hold events or quarantined entries but no manifest, in a lake that covers no hour yet: an ingest of those hours was interrupted between its objects and their manifests (an ingest --from/--to of older history, or a first run), or still runs; queries read them all the same, so once no ingest runs, re-pull them with:\n    ingest --from 2026-10-01T05:00:00Z --to 2026-10-01T06:00:00Z\n',
    );
  });
});
