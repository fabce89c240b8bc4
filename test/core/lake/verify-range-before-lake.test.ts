import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { at, dayLake, dayNow } from '../../support/verify-day-lake.ts';

// Review R-USER 2: a range before the lake's first hour (verify --from 2026-11-02 on a demo lake
// that begins on the 26th) told the user to run the demo again, which never reaches back to them.
// Review R-CLI F1: passing those hours instead let a real gap pass, as a range re-pulled before
// the genesis run and deleted since leaves no trace; they stay gaps, with advice that fits them.

const BEFORE =
  "  before the lake: 2026-09-29 00:00Z .. 2026-10-01 00:00Z, 48 hour(s) before the lake's first hour, 2026-10-01 00:00Z: gaps all the same, as verify cannot tell hours the lake never held from hours a re-pull stored and lost since; if the lake was not meant to hold them, start the range there (--from 2026-10-01T00:00:00Z); to hold them, ";

describe('verify of a range reaching before the lake begins', () => {
  it('fails for those hours, saying where the lake begins and what holds them', async () => {
    const store = await dayLake();
    const report = await verifyLake(store, 'acme', { fromMs: at(-48), toMs: at(12) }, { nowMs: dayNow });
    expect(report).toMatchObject({
      ok: false,
      gaps: [{ fromMs: at(-48), toMs: at(0) }],
      windowsCovered: 12,
      beforeLake: { fromMs: at(-48), toMs: at(0), lakeFromMs: at(0), hours: 48 },
    });
    const text = describeReport(report, 'memory');
    expect(text).toContain(
      "  hours covered: 12 of 60 (1 gap(s), 48 hour(s) of them before the lake's first hour)\n",
    );
    expect(text).toContain(
      `${BEFORE}ingest --from/--to pulls them while Domo still keeps them (about 365 days)\n`,
    );
    expect(text).not.toContain('below the watermark are not covered');
    expect(text).toMatch(/\n {2}PROBLEMS FOUND\n$/);
    const demo = describeReport(report, 'memory', true);
    expect(demo).toContain(
      `${BEFORE}the demo's lake holds only the days it simulated: a demo with a longer --days holds more\n`,
    );
    expect(demo).not.toContain('run the demo again');
  });

  it('fails a range wholly before the lake', async () => {
    const report = await verifyLake(
      await dayLake(),
      'acme',
      { fromMs: at(-48), toMs: at(-24) },
      { nowMs: dayNow },
    );
    expect(report).toMatchObject({
      ok: false,
      gaps: [{ fromMs: at(-48), toMs: at(-24) }],
      beforeLake: { hours: 24, toMs: at(-24) },
    });
  });

  it('fails the first days of a re-pull before the genesis run, deleted since', async () => {
    const store = await dayLake();
    const earlier = { range: { fromMs: at(-72), toMs: at(0) } };
    await runIngest(
      quietIngestDeps(new MemoryAuditSource([]), store, dayNow),
      defaultIngestConfig('acme'),
      earlier,
    );
    for (let h = -72; h < -24; h++) store.objects.delete(coverageKey('acme', at(h)));
    const report = await verifyLake(store, 'acme', { fromMs: at(-72), toMs: at(12) }, { nowMs: dayNow });
    expect(report).toMatchObject({
      ok: false,
      gaps: [{ fromMs: at(-72), toMs: at(-24) }],
      beforeLake: { lakeFromMs: at(-24), hours: 48 },
    });
  });

  it('keeps the gaps inside the lake, and those from a start its records give', async () => {
    const store = await dayLake();
    store.objects.delete(coverageKey('acme', at(5)));
    const inside = await verifyLake(store, 'acme', { fromMs: at(-4), toMs: at(12) }, { nowMs: dayNow });
    expect(inside).toMatchObject({
      ok: false,
      gaps: [
        { fromMs: at(-4), toMs: at(0) },
        { fromMs: at(5), toMs: at(6) },
      ],
      beforeLake: { hours: 4 },
    });
    expect(describeReport(inside, 'memory')).toContain('  1 hour(s) below the watermark are not covered: ');
    // The first hours deleted: the genesis digest says the lake began at hour 0.
    for (const h of [0, 1]) store.objects.delete(coverageKey('acme', at(h)));
    const deleted = await verifyLake(store, 'acme', { fromMs: at(-4), toMs: at(12) }, { nowMs: dayNow });
    expect(deleted.gaps[0]).toEqual({ fromMs: at(-4), toMs: at(2) });
    expect(deleted.beforeLake).toMatchObject({ toMs: at(0), hours: 4 });
  });
});
