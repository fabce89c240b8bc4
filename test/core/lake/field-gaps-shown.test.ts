import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { documentedSignIn, renamedSignIn } from '../../support/renamed-sign-ins.ts';
import { statusAt } from '../../support/status-at.ts';

const hour = Date.parse('2026-10-01T10:00:00Z');
const documented = (minute: number) => documentedSignIn(hour, minute);
const renamed = (minute: number) => renamedSignIn(hour, minute);

const minutes = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/** A lake of three hours: 10:00 renamed in its 12 entries, 11:00 in one of 12, 12:00 one clean. */
async function driftLake(
  served: { time: number }[] = [
    ...minutes(1, 12).map(renamed),
    renamed(61),
    ...minutes(62, 11).map(documented),
    documented(121),
  ],
): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  const summary = await runIngest(
    quietIngestDeps(
      new MemoryAuditSource(served.map((entry) => ({ timeMs: entry.time, entry }))),
      store,
      hour + 5 * HOUR_MS,
    ),
    { ...defaultIngestConfig('acme'), concurrency: 1 },
    { range: { fromMs: hour, toMs: hour + 3 * HOUR_MS } },
  );
  expect(summary.failures).toEqual([]);
  return store;
}

describe('what the manifests count of missing fields, where the operator looks (R-DRIFT M1)', () => {
  it('status sums the last 24 hours, and says which fields the hours judged changed lack', async () => {
    const store = await driftLake();
    const { status, table } = await statusAt(store, 'acme', hour + 5 * HOUR_MS);
    expect(status.fieldGaps).toEqual({
      hours: 3,
      entriesRead: 25,
      missing: { actionType: 13, eventText: 13 },
      unread: { action: 13, description: 13 },
    });
    // The note judges each hour as the ingest did (lake/hour-shape-judgement.ts): 10:00 alone.
    expect(status.shapeChanged).toMatchObject({ windowStartMs: hour, changedHours: 1 });
    expect(table).toContain(
      'acme: last 24 h: entries of 2026-10-01 10:00Z: actionType missing in 12 of 12 entries, eventText missing in 12 of 12 entries; unread fields: action, description: ',
    );
    // A day on, those hours are out of the 24: the line goes, the 7 days' counts stay.
    const later = await statusAt(store, 'acme', hour + 27 * HOUR_MS);
    expect(later.status.fieldGaps).toBeNull();
    expect(later.status.shapeChanged).toBeNull();
    expect(later.table).not.toContain('last 24 h');
  });

  it('status says nothing when few entries lack a field', async () => {
    const store = await driftLake();
    // From 11:00 on: 1 of 13 entries renamed.
    const { status, table } = await statusAt(store, 'acme', hour + 24 * HOUR_MS + HOUR_MS);
    expect(status.fieldGaps).toMatchObject({ hours: 2, entriesRead: 13, missing: { actionType: 1 } });
    expect(table).not.toContain('last 24 h');
  });

  it('status says nothing of a quiet day whose few entries lack a field', async () => {
    const store = await driftLake([renamed(1), renamed(61), renamed(121)]);
    const { status, table } = await statusAt(store, 'acme', hour + 5 * HOUR_MS);
    expect(status.fieldGaps).toMatchObject({ hours: 3, entriesRead: 3, missing: { actionType: 3 } });
    expect(table).not.toContain('last 24 h');
  });

  it('verify warns of the hours whose entries mostly lack a field, without failing', async () => {
    const store = await driftLake();
    const report = await verifyLake(
      store,
      'acme',
      { fromMs: hour, toMs: hour + 3 * HOUR_MS },
      { nowMs: hour + 5 * HOUR_MS },
    );
    expect(report.fieldGaps).toEqual({
      count: 1,
      listed: [
        {
          windowStartMs: hour,
          entriesRead: 12,
          missing: [
            { field: 'actionType', count: 12 },
            { field: 'eventText', count: 12 },
          ],
          unread: { action: 12, description: 12 },
        },
      ],
    });
    expect(report.ok).toBe(true);
    const text = describeReport(report, 'mem');
    expect(text).toContain(
      '  warning: entries of 2026-10-01 10:00Z: actionType missing in 12 of 12 entries, eventText missing in 12 of 12 entries; unread fields: action, description\n',
    );
    expect(text).toContain("1 hour(s) whose entries mostly lack a field the tables read: Domo's entry shape");
  });

  it('verify judges a quiet hour on its entries summed with the hours before it, as the ingest', async () => {
    const quietHours = (served: { time: number }[]) =>
      driftLake(served).then((store) =>
        verifyLake(store, 'acme', { fromMs: hour, toMs: hour + 3 * HOUR_MS }, { nowMs: hour + 5 * HOUR_MS }),
      );
    // One renamed entry an hour: 3 entries are no evidence.
    expect((await quietHours([renamed(1), renamed(61), renamed(121)])).fieldGaps).toBeUndefined();
    // Five an hour: 11:00 with 10:00 hold 10, every one renamed, and so do 12:00 with 11:00.
    const report = await quietHours([...minutes(1, 5), ...minutes(61, 5), ...minutes(121, 5)].map(renamed));
    const judged = (windowStartMs: number) => ({
      windowStartMs,
      entriesRead: 10,
      missing: [
        { field: 'actionType', count: 10 },
        { field: 'eventText', count: 10 },
      ],
      unread: { action: 10, description: 10 },
      hours: 2,
    });
    expect(report.fieldGaps).toEqual({
      count: 2,
      listed: [judged(hour + HOUR_MS), judged(hour + 2 * HOUR_MS)],
    });
    expect(describeReport(report, 'mem')).toContain(
      '  warning: entries of 2 quiet hours up to 2026-10-01 11:00Z: actionType missing in 10 of 10 entries',
    );
  });
});
