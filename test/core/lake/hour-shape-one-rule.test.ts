import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { INGEST_METRICS } from '../../../functions/core/ingest/ingest-metrics.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { CoverageManifest } from '../../../functions/core/lake/coverage-manifest.ts';
import { lookBack, UNREAD } from '../../../functions/core/lake/hour-shape-judgement.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { documentedSignIn, renamedSignIn } from '../../support/renamed-sign-ins.ts';
import { statusAt } from '../../support/status-at.ts';

// SHAPE2 (2026-12-07): the quiet hours' look back was written twice, in the ingest
// (quiet-hours-before.ts, reading manifests as it goes) and for status and verify
// (hour-shape-judgement.ts, over hours already read). Both now call one rule, lookBack: where a
// sum stops, how far back it goes, and what it is named.

type GapCounts = Pick<CoverageManifest, 'entries_read' | 'missing_fields' | 'unread_fields'>;

const hour = Date.parse('2026-10-01T10:00:00Z');
const at = (h: number) => hour + h * HOUR_MS;

describe("one rule for a quiet hour's look back", () => {
  it('the ingest, status and verify pass an unreadable hour and stop at one not stored, alike', async () => {
    // 10:00 renamed (5), 11:00 never pulled, 12:00 and 13:00 renamed (3 each), 13:00's manifest
    // then unreadable, 14:00 renamed (3), 15:00 renamed (4). 15:00 sums 4 + 3 + (13:00 passed) + 3:
    // 10 of 10 renamed. 14:00 sums 3 + 3 and stops at 11:00: had it gone on, 10:00 made it 11.
    const counts: Record<number, number> = { 0: 5, 2: 3, 3: 3, 4: 3, 5: 4 };
    const served = Object.entries(counts).flatMap(([h, count]) =>
      Array.from({ length: count }, (_, m) => renamedSignIn(at(Number(h)), m + 1)),
    );
    const source = new MemoryAuditSource(served.map((entry) => ({ timeMs: entry.time, entry })));
    const store = new MemoryObjectStore();
    const judged: number[] = [];
    for (const h of Object.keys(counts).map(Number)) {
      const summary = await runIngest(
        {
          ...quietIngestDeps(source, store, at(30)),
          metrics: {
            count: (name, value) => {
              if (name === INGEST_METRICS.shapeChangedHours && value > 0) judged.push(at(h));
            },
          },
        },
        { ...defaultIngestConfig('acme'), concurrency: 1 },
        { range: { fromMs: at(h), toMs: at(h + 1) } },
      );
      expect(summary.failures).toEqual([]);
      if (h === 3) store.putNow(coverageKey('acme', at(3)), new TextEncoder().encode('{"window_start_ms":'));
    }
    expect(await store.get(coverageKey('acme', at(1)))).toBeUndefined();
    const sums = { hours: 3, entriesRead: 10, missing: { actionType: 10, eventText: 10 } };

    expect(judged).toEqual([at(5)]);
    const { status, table } = await statusAt(store, 'acme', at(6));
    expect(status.shapeChanged).toMatchObject({ windowStartMs: at(5), changedHours: 1, sums });
    expect(table).toContain('acme: last 24 h: entries of 3 quiet hours up to 2026-10-01 15:00Z: ');
    const verified = await verifyLake(store, 'acme', { fromMs: at(0), toMs: at(6) }, { nowMs: at(6) });
    expect(verified.fieldGaps?.listed).toMatchObject([{ windowStartMs: at(5), hours: 3, entriesRead: 10 }]);
  });

  // SHAPE3 (2026-12-07): the ingest stopped the look back at an hour its own run stored and
  // judged the run's quiet hours in batches; status and verify looked back across. Two lakes,
  // each a single range run, where they disagreed. The ingest now sums its own hours by lookBack.
  it.each([
    {
      lake: 'quiet hours sound, renamed, renamed, sound: 12:00 sums 10 of 10 renamed with 11:00',
      hours: [
        [0, 5, documentedSignIn],
        [1, 5, renamedSignIn],
        [2, 5, renamedSignIn],
        [3, 5, documentedSignIn],
      ] as const,
      changed: [at(2)],
    },
    {
      lake: 'a quiet hour renamed, a busy sound hour, a quiet hour renamed: 12:00 sums 5 of 25',
      hours: [
        [0, 5, renamedSignIn],
        [1, 20, documentedSignIn],
        [2, 5, renamedSignIn],
      ] as const,
      changed: [],
    },
  ])('one run of $lake: the ingest, status and verify give one answer', async ({ hours, changed }) => {
    const served = hours.flatMap(([h, count, shape]) =>
      Array.from({ length: count }, (_, m) => shape(at(h), m + 1)),
    );
    const source = new MemoryAuditSource(served.map((entry) => ({ timeMs: entry.time, entry })));
    const store = new MemoryObjectStore();
    const judged: number[] = [];
    const notes: string[] = [];
    const summary = await runIngest(
      {
        ...quietIngestDeps(source, store, at(30)),
        onShapeChange: (note) => notes.push(note),
        metrics: {
          count: (name, value) => {
            if (name === INGEST_METRICS.shapeChangedHours) judged.push(value);
          },
        },
      },
      defaultIngestConfig('acme'),
      { range: { fromMs: at(0), toMs: at(hours.length) } },
    );
    expect(summary.failures).toEqual([]);
    // Every hour judged once, and the changed ones counted.
    expect(judged).toHaveLength(hours.length);
    expect(judged.filter((value) => value > 0)).toHaveLength(changed.length);
    expect(notes.length > 0).toBe(changed.length > 0);
    const { status } = await statusAt(store, 'acme', at(hours.length));
    expect(status.shapeChanged?.windowStartMs).toBe(changed.at(-1));
    expect(status.shapeChanged?.changedHours ?? 0).toBe(changed.length);
    const verified = await verifyLake(
      store,
      'acme',
      { fromMs: at(0), toMs: at(hours.length) },
      { nowMs: at(30) },
    );
    expect((verified.fieldGaps?.listed ?? []).map((listed) => listed.windowStartMs)).toEqual(changed);
    if (changed.length > 0)
      expect(notes[0]).toMatch(/^Domo's entries of 2 quiet hours up to 2026-10-01 12:00 UTC/);
  });

  it("verify sums a range's first quiet hour with the day before the range, as the ingest did", async () => {
    // Four quiet hours of three renamed sign-ins, one run: 13:00 sums 12 of 12 with 10:00 to 12:00.
    const served = [0, 1, 2, 3].flatMap((h) => [1, 2, 3].map((m) => renamedSignIn(at(h), m)));
    const source = new MemoryAuditSource(served.map((entry) => ({ timeMs: entry.time, entry })));
    const store = new MemoryObjectStore();
    const judged: number[] = [];
    const summary = await runIngest(
      {
        ...quietIngestDeps(source, store, at(30)),
        metrics: {
          count: (name, value) => {
            if (name === INGEST_METRICS.shapeChangedHours && value > 0) judged.push(value);
          },
        },
      },
      defaultIngestConfig('acme'),
      { range: { fromMs: at(0), toMs: at(4) } },
    );
    expect(summary.failures).toEqual([]);
    expect(judged).toHaveLength(1);
    // A range of 13:00 alone: 3 entries, judged on nothing before.
    const verified = await verifyLake(store, 'acme', { fromMs: at(3), toMs: at(4) }, { nowMs: at(30) });
    expect(verified.fieldGaps?.listed).toMatchObject([{ windowStartMs: at(3), hours: 4, entriesRead: 12 }]);
  });

  it('ends at an hour not read yet with the sums so far and the hours of the day left', () => {
    const quiet: GapCounts = { entries_read: 2, missing_fields: { userId: 2 } };
    const known = (upTo: number) => (back: number) => (back <= upTo ? quiet : UNREAD);
    expect(lookBack(quiet, known(0))).toEqual({
      sums: { hours: 1, entriesRead: 2, missing: { userId: 2 }, unread: {} },
      unread: { back: 1, hoursLeft: 23 },
    });
    expect(lookBack(quiet, known(2))).toMatchObject({
      sums: { hours: 3 },
      unread: { back: 3, hoursLeft: 21 },
    });
    // Read on to 10 entries: done, however much is still unread past them.
    expect(lookBack(quiet, known(4))).toEqual({
      sums: { hours: 5, entriesRead: 10, missing: { userId: 10 }, unread: {} },
    });
    // A busy hour, or one the sum stops before, needs nothing read.
    expect(lookBack({ entries_read: 12 }, known(0)).unread).toBeUndefined();
    expect(lookBack(quiet, () => undefined).unread).toBeUndefined();
  });
});
