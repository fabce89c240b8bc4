import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type * as RunIngestModule from '../../../functions/core/ingest/run-ingest.ts';
import { EVENT_COLUMNS, type EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import type * as VerifyLakeModule from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/*
 * A column read from the entry added after a lake was written (review R-CONTRIB H1): the code that
 * verifies reads `authenticationMethod` into `authentication_method`, as a contributor adds it, while
 * the lake's events were stored without that key (the reader switched on only after the ingest, so
 * the lake is one an earlier version wrote). Test files share modules (isolate: false), so the ingest
 * and verify are imported fresh with the reader mocked, and the modules are reset again after.
 */
const AUDIT_ENTRY = '../../../functions/core/domo/audit-entry.ts';
const added = { column: false };
let runIngest: typeof RunIngestModule.runIngest;
let verifyLake: typeof VerifyLakeModule.verifyLake;

beforeAll(async () => {
  // The column this test adds must not be one already: once it is, pick another field of Domo's.
  expect(
    EVENT_COLUMNS.map((c) => c.name),
    'authentication_method is a column of the lake now: simulate adding another in this test',
  ).not.toContain('authentication_method');
  vi.resetModules();
  vi.doMock(AUDIT_ENTRY, async (importOriginal) => {
    const actual = await importOriginal<typeof import('../../../functions/core/domo/audit-entry.ts')>();
    return {
      ...actual,
      readAuditEntry: (value: unknown, text?: string) => {
        const read = actual.readAuditEntry(value, text);
        if (!added.column || !read.ok) return read;
        const method = (value as Record<string, unknown>).authenticationMethod;
        return {
          ...read,
          fields: { ...read.fields, authentication_method: typeof method === 'string' ? method : null },
        };
      },
    };
  });
  ({ runIngest } = await import('../../../functions/core/ingest/run-ingest.ts'));
  ({ verifyLake } = await import('../../../functions/core/lake/verify-lake.ts'));
});
afterAll(() => {
  vi.doUnmock(AUDIT_ENTRY);
  vi.resetModules();
});

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour3 = day0 + 3 * HOUR_MS;

/** A lake of 6 hours (18 events) written by the code before the column, the column then added. */
async function lakeBeforeTheColumn() {
  added.column = false;
  const store = new MemoryObjectStore();
  const source = new MemoryAuditSource(
    Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
  );
  await runIngest(quietIngestDeps(source, store, day0 + 6 * HOUR_MS + 30 * 60_000), {
    ...defaultIngestConfig('acme'),
    backfillDays: 1,
  });
  added.column = true;
  return store;
}

/** Rewrites hour 3's object in place (its manifest counts the same ids, so only the columns differ). */
function rewriteHour3(store: MemoryObjectStore, rewrite: (record: Record<string, unknown>) => void) {
  const key = activityKey('acme', hour3);
  const records = decodeNdjsonGzip(store.objects.get(key)?.body as Uint8Array) as Record<string, unknown>[];
  rewrite(records[0] as Record<string, unknown>);
  store.putNow(key, encodeNdjsonGzip(records as unknown as EventRecord[]));
}

describe('verify, after a column read from the entry was added', () => {
  it('passes the events stored before it, and says they were not compared on it', async () => {
    const store = await lakeBeforeTheColumn();
    const report = await verifyLake(store, 'acme');
    expect(report.rowsNotFromRaw).toBeUndefined();
    expect(report.eventsBeforeColumns).toEqual({ count: 18, columns: ['authentication_method'] });
    expect(report.ok).toBe(true);
    expect(describeReport(report, '/lake')).toContain(
      '18 event(s) stored before column(s) authentication_method existed: not compared with raw on them',
    );
  });

  it('fails on an event whose key for it is there with a value its raw entry does not hold', async () => {
    const store = await lakeBeforeTheColumn();
    rewriteHour3(store, (record) => {
      record.authentication_method = 'SSO';
    });
    const report = await verifyLake(store, 'acme');
    expect(report.rowsNotFromRaw?.listed.map((r) => r.what)).toEqual(['authentication_method']);
    expect(report.eventsBeforeColumns?.count).toBe(17);
    expect(report.ok).toBe(false);
  });

  it('fails on an event whose key for a column every lake has was removed', async () => {
    const store = await lakeBeforeTheColumn();
    rewriteHour3(store, (record) => {
      delete record.user_id;
    });
    const report = await verifyLake(store, 'acme');
    expect(report.rowsNotFromRaw?.listed.map((r) => r.what)).toEqual(['user_id']);
    expect(report.ok).toBe(false);
    expect(describeReport(report, '/lake')).toContain('(user_id not as in raw)');
  });
});
