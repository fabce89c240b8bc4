import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { INGEST_METRICS } from '../../../functions/core/ingest/ingest-metrics.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { CoverageManifest } from '../../../functions/core/lake/coverage-manifest.ts';
import { lookBack } from '../../../functions/core/lake/hour-shape-judgement.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { documentedSignIn, renamedSignIn } from '../../support/renamed-sign-ins.ts';
import { statusAt } from '../../support/status-at.ts';

// CFGSTATUS (2026-12-07): the ingest judged an hour's shape on its own entries, or a quiet hour's
// summed with the hours before it; verify summed quiet hours in batches of its own, and status
// summed the whole last 24 hours. On one lake they disagreed: a busy hour renamed among sound
// ones was told by the ingest and verify and not by status, and quiet hours whose batch split
// the change were told by the ingest alone. Status and verify now judge each hour as the ingest.

type GapCounts = Pick<CoverageManifest, 'entries_read' | 'missing_fields' | 'unread_fields'>;

const hour = Date.parse('2026-10-01T10:00:00Z');
const at = (h: number) => hour + h * HOUR_MS;

/** `count` sign-ins of hour `h`, documented or renamed. */
const signIns = (h: number, count: number, shape: (hourMs: number, minute: number) => { time: number }) =>
  Array.from({ length: count }, (_, m) => shape(at(h), m + 1));

/**
 * A lake of these hours, each pulled by a run of its own as the schedule does, and the
 * ShapeChangedHours each run counted: the ingest's judgement of each hour.
 */
async function hourByHour(hours: { time: number }[][]) {
  const store = new MemoryObjectStore();
  const source = new MemoryAuditSource(hours.flat().map((entry) => ({ timeMs: entry.time, entry })));
  const judged: number[] = [];
  for (let h = 0; h < hours.length; h++) {
    const summary = await runIngest(
      {
        ...quietIngestDeps(source, store, at(30)),
        metrics: {
          count: (name, value) => {
            if (name === INGEST_METRICS.shapeChangedHours) judged.push(value);
          },
        },
      },
      { ...defaultIngestConfig('acme'), concurrency: 1 },
      { range: { fromMs: at(h), toMs: at(h + 1) } },
    );
    expect(summary.failures).toEqual([]);
  }
  const verified = await verifyLake(
    store,
    'acme',
    { fromMs: at(0), toMs: at(hours.length) },
    { nowMs: at(5) },
  );
  const { status, table } = await statusAt(store, 'acme', at(5));
  return {
    ingest: judged.flatMap((value, h) => (value ? [at(h)] : [])),
    verify: (verified.fieldGaps?.listed ?? []).map((listed) => listed.windowStartMs),
    status: status.shapeChanged,
    table,
  };
}

describe("status and verify judge an hour's shape as the ingest did when it stored it", () => {
  it('a busy hour renamed among sound busy hours: all three tell it', async () => {
    const judged = await hourByHour([
      signIns(0, 12, renamedSignIn),
      signIns(1, 30, documentedSignIn),
      signIns(2, 30, documentedSignIn),
    ]);
    expect(judged.ingest).toEqual([at(0)]);
    expect(judged.verify).toEqual([at(0)]);
    // Summed over the 24 hours it was 12 of 72: status said nothing.
    expect(judged.status).toEqual({
      windowStartMs: at(0),
      changedHours: 1,
      sums: {
        hours: 1,
        entriesRead: 12,
        missing: { actionType: 12, eventText: 12 },
        unread: { action: 12, description: 12 },
      },
    });
    expect(judged.table).toContain(
      'acme: last 24 h: entries of 2026-10-01 10:00Z: actionType missing in 12 of 12 entries, eventText missing in 12 of 12 entries; unread fields: action, description: ',
    );
  });

  it('quiet hours: the hour whose look back holds only renamed entries, whatever batches verify made', async () => {
    const judged = await hourByHour([
      signIns(0, 5, documentedSignIn),
      signIns(1, 5, renamedSignIn),
      signIns(2, 5, renamedSignIn),
      signIns(3, 5, documentedSignIn),
    ]);
    // 12:00 with 11:00: 10 of 10 renamed. Verify's batches (10:00 with 11:00, 12:00 with 13:00)
    // each held 5 of 10, and it said nothing.
    expect(judged.ingest).toEqual([at(2)]);
    expect(judged.verify).toEqual([at(2)]);
    expect(judged.status).toMatchObject({
      windowStartMs: at(2),
      changedHours: 1,
      sums: { hours: 2, entriesRead: 10 },
    });
    expect(judged.table).toContain(
      'acme: last 24 h: entries of 2 quiet hours up to 2026-10-01 12:00Z: actionType missing in 10 of 10 entries',
    );
  });

  it('sums a quiet hour with those before it until 10 entries, a day back at most, to an hour not stored', () => {
    const quiet: GapCounts = { entries_read: 2, missing_fields: { userId: 2 } };
    const sums = (before: (back: number) => GapCounts | null | undefined) =>
      lookBack(quiet, before).sums?.entriesRead;
    expect(sums(() => quiet)).toBe(10);
    // An unreadable manifest is passed, an hour not stored ends the sum.
    expect(sums((back) => (back === 1 ? null : back < 4 ? quiet : undefined))).toBe(6);
    expect(sums(() => ({ entries_read: 0 }))).toBe(2);
    expect(lookBack({ entries_read: 40 }, () => quiet).sums).toMatchObject({ hours: 1, entriesRead: 40 });
  });
});
