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

/** A lake of three hours: 10:00 renamed in every entry, 11:00 in one of three, 12:00 clean. */
async function driftLake(): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  const served = [...[1, 2, 3, 4].map(renamed), renamed(61), documented(62), documented(63), documented(121)];
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
  it('status sums the last 24 hours and says which fields most entries lack', async () => {
    const store = await driftLake();
    const { status, table } = await statusAt(store, 'acme', hour + 5 * HOUR_MS);
    expect(status.fieldGaps).toEqual({
      hours: 3,
      entriesRead: 8,
      missing: { actionType: 5, eventText: 5 },
      unread: { action: 5, description: 5 },
    });
    expect(table).toContain(
      'acme: last 24 h: actionType missing in 5 of 8 entries, eventText missing in 5 of 8 entries; unread fields: action, description: ',
    );
    // A day on, those hours are out of the 24: the line goes, the 7 days' counts stay.
    const later = await statusAt(store, 'acme', hour + 27 * HOUR_MS);
    expect(later.status.fieldGaps).toBeNull();
    expect(later.table).not.toContain('last 24 h');
  });

  it('status says nothing when few entries lack a field', async () => {
    const store = await driftLake();
    // From 11:00 on: 1 of 4 entries renamed.
    const { status, table } = await statusAt(store, 'acme', hour + 24 * HOUR_MS + HOUR_MS);
    expect(status.fieldGaps).toMatchObject({ hours: 2, entriesRead: 4, missing: { actionType: 1 } });
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
          entriesRead: 4,
          missing: [
            { field: 'actionType', count: 4 },
            { field: 'eventText', count: 4 },
          ],
          unread: { action: 4, description: 4 },
        },
      ],
    });
    expect(report.ok).toBe(true);
    const text = describeReport(report, 'mem');
    expect(text).toContain(
      '  warning: entries of 2026-10-01 10:00Z: actionType missing in 4 of 4 entries, eventText missing in 4 of 4 entries; unread fields: action, description\n',
    );
    expect(text).toContain("1 hour(s) whose entries mostly lack a field the tables read: Domo's entry shape");
  });
});
