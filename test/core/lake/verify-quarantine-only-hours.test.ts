import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { activityKey, coverageKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { lakeBesideRun, secondRunAt } from '../../support/lake-beside-run.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import { at, bodyOf, countedCalls, dayLake, dayNow } from '../../support/verify-day-lake.ts';

// Reviews of stop 61 (R-AHEAD2 L6): an hour inside the span verify checks whose quarantine object
// was there but neither its events nor its manifest was a gap like any other, and the report never
// said what it held, while queries of the quarantine table read its rows. No honest run leaves one
// but a pull interrupted between its quarantine object and its manifest (an hour whose every entry
// was set aside writes no events object); anything else was planted. Such hours are now named with
// the range to re-pull, from the listing verify makes anyway, as hours holding events but no
// manifest are; the gap is what fails, as before.

const now = dayNow;

/** Deletes an hour's manifest and events object: a gap. */
function unpull(store: MemoryObjectStore, hour: number): void {
  store.objects.delete(coverageKey('acme', at(hour)));
  store.objects.delete(activityKey('acme', at(hour)));
}

describe('verify: hours in the span holding a quarantine object but neither events nor a manifest', () => {
  it('names them with the range to re-pull, reads nothing more for them, and fails only on the gap', async () => {
    const store = await dayLake();
    const body = bodyOf(store, activityKey('acme', at(4)));
    unpull(store, 5);
    unpull(store, 6);
    unpull(store, 9);
    const plain = countedCalls(store);
    const withoutQuarantine = await verifyLake(plain.store, 'acme', undefined, { nowMs: now });
    expect(withoutQuarantine.quarantineOnly).toBeUndefined();
    store.putNow(quarantineKey('acme', at(5)), body);
    store.putNow(quarantineKey('acme', at(9)), body);
    // Quarantine beside events (an interrupted pull, counted as such) or beside a manifest is not
    // counted; beside one counting no quarantined entry it is a mismatch (review verify5 #3).
    store.putNow(activityKey('acme', at(6)), body);
    store.putNow(quarantineKey('acme', at(6)), body);
    store.putNow(quarantineKey('acme', at(12)), body);
    const after = countedCalls(store);
    const report = await verifyLake(after.store, 'acme', undefined, { nowMs: now });
    expect(report).toMatchObject({
      ok: false,
      gaps: [
        { fromMs: at(5), toMs: at(7) },
        { fromMs: at(9), toMs: at(10) },
      ],
      interruptedWindows: 1,
      foreignKeyCount: 0,
      // One re-pull per gap: hours 7 and 8 between them are covered.
      quarantineOnly: {
        hourCount: 2,
        fromMs: at(5),
        toMs: at(10),
        ranges: [
          { fromMs: at(5), toMs: at(6) },
          { fromMs: at(9), toMs: at(10) },
        ],
      },
      manifestMismatches: [
        { windowStartMs: at(12), detail: 'manifest counts 0 quarantined, the quarantine object holds 1' },
      ],
    });
    expect(report.heldBeforeLake).toBeUndefined();
    // The events object added at hour 6 costs the GET of its manifest key it always did, and the
    // quarantine object beside hour 12's manifest its own: nothing for the quarantine-only hours.
    const [gets, lists] = [plain.gets(), plain.lists()];
    expect([after.gets(), after.lists()]).toEqual([gets + 2, lists]);
    expect(describeReport(report, 'memory')).toContain(
      '  2 hour(s) between 2026-10-01 05:00Z and 2026-10-01 10:00Z hold quarantined entries but neither events nor a manifest: an ingest of those hours was interrupted between its quarantine objects and their manifests (an hour whose every entry was set aside has no events object), or the objects were planted; queries of the quarantine table read them all the same, so look at them first (verify --integrity says whether a digest records them), then, once no ingest runs, re-pull them, one range for each gap that holds them (the span above holds hours that need none: covered, or pulled by a run in progress):\n    ingest --from 2026-10-01T05:00:00Z --to 2026-10-01T06:00:00Z\n    ingest --from 2026-10-01T09:00:00Z --to 2026-10-01T10:00:00Z\n',
    );
  });

  it("says to run the demo again on the demo's lake, which ingest refuses", async () => {
    const store = await dayLake();
    unpull(store, 5);
    store.putNow(quarantineKey('acme', at(5)), bodyOf(store, activityKey('acme', at(4))));
    const report = await verifyLake(store, 'acme', undefined, { nowMs: now });
    const text = describeReport(report, 'memory', true);
    expect(text).toContain(
      "hold quarantined entries but neither events nor a manifest: an ingest of those hours was interrupted between its quarantine objects and their manifests (an hour whose every entry was set aside has no events object), or the objects were planted; queries of the quarantine table read them all the same, so this is the demo's lake, which ingest refuses: run the demo again to build it whole\n",
    );
    expect(text).not.toContain('ingest --from');
  });

  it('counts those of a range asked for, not those outside it', async () => {
    const store = await dayLake();
    const body = bodyOf(store, activityKey('acme', at(4)));
    unpull(store, 5);
    unpull(store, 15);
    store.putNow(quarantineKey('acme', at(5)), body);
    store.putNow(quarantineKey('acme', at(15)), body);
    const report = await verifyLake(store, 'acme', { fromMs: at(10), toMs: at(20) }, { nowMs: now });
    expect(report.quarantineOnly).toEqual({
      hourCount: 1,
      fromMs: at(15),
      toMs: at(16),
      ranges: [{ fromMs: at(15), toMs: at(16) }],
    });
    // One range: the line names its re-pull as before.
    expect(describeReport(report, 'memory')).toContain(
      're-pull them with:\n    ingest --from 2026-10-01T15:00:00Z --to 2026-10-01T16:00:00Z\n',
    );
  });

  it('leaves out an hour a run in progress pulls, and passes', async () => {
    const { store, watermarkMs, finish } = await lakeBesideRun();
    store.putNow(
      quarantineKey('acme', watermarkMs),
      bodyOf(store, activityKey('acme', watermarkMs - HOUR_MS)),
    );
    const report = await verifyLake(store, 'acme', undefined, { nowMs: secondRunAt + 5 * 60_000 });
    expect(report).toMatchObject({ ok: true, gaps: [], beingWritten: { hourCount: 1 } });
    expect(report.quarantineOnly).toBeUndefined();
    await finish();
  });
});
