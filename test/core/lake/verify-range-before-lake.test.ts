import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { at, dayLake, dayNow } from '../../support/verify-day-lake.ts';

// Review R-USER 2: a range before the lake's first hour (verify --from 2026-11-02 on a demo lake
// that begins on the 26th) called its hours gaps "below the watermark", failed, and told the user
// to run the demo again, which never reaches back to them.

describe('verify of a range reaching before the lake begins', () => {
  it('sets those hours apart as before the lake, not gaps, and passes', async () => {
    const store = await dayLake();
    const report = await verifyLake(store, 'acme', { fromMs: at(-48), toMs: at(12) }, { nowMs: dayNow });
    expect(report).toMatchObject({
      ok: true,
      gaps: [],
      uncoveredBelowWatermark: 0,
      windowsCovered: 12,
      beforeLake: { fromMs: at(-48), toMs: at(0), lakeFromMs: at(0), hours: 48 },
    });
    const text = describeReport(report, 'memory');
    expect(text).toContain('  hours covered: 12 of 60 (48 hour(s) before the lake begins)\n');
    expect(text).toContain(
      '  before the lake: 2026-09-29 00:00Z .. 2026-10-01 00:00Z, 48 hour(s) before it begins at 2026-10-01 00:00Z: not gaps, as no ingest was asked for them, so the check does not fail for them; ingest --from/--to pulls them, if you want them, while Domo still keeps them (about 365 days)\n',
    );
    expect(describeReport(report, 'memory', true)).toContain(
      "so the check does not fail for them; the demo's lake holds the days it simulated only (a demo with a larger --days holds more)\n",
    );
    expect(text).toMatch(/\n {2}OK\n$/);
  });

  it('passes a range wholly before the lake', async () => {
    const report = await verifyLake(
      await dayLake(),
      'acme',
      { fromMs: at(-48), toMs: at(-24) },
      { nowMs: dayNow },
    );
    expect(report).toMatchObject({ ok: true, gaps: [], beforeLake: { hours: 24, toMs: at(-24) } });
  });

  it('keeps the gaps inside the lake, and those from a start its records give', async () => {
    const store = await dayLake();
    store.objects.delete(coverageKey('acme', at(5)));
    const inside = await verifyLake(store, 'acme', { fromMs: at(-4), toMs: at(12) }, { nowMs: dayNow });
    expect(inside).toMatchObject({
      ok: false,
      gaps: [{ fromMs: at(5), toMs: at(6) }],
      beforeLake: { hours: 4 },
    });
    // The first hours deleted: the genesis digest says the lake began at hour 0, so they are gaps.
    for (const h of [0, 1]) store.objects.delete(coverageKey('acme', at(h)));
    const deleted = await verifyLake(store, 'acme', { fromMs: at(-4), toMs: at(12) }, { nowMs: dayNow });
    expect(deleted.gaps[0]).toEqual({ fromMs: at(0), toMs: at(2) });
    expect(deleted.beforeLake).toMatchObject({ toMs: at(0), hours: 4 });
  });
});
