import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UNKNOWN_SHAPE_REASON } from '../../../functions/core/domo/audit-entry.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { normaliseWindow } from '../../../functions/core/ingest/normalise-window.ts';
import type * as RunIngestModule from '../../../functions/core/ingest/run-ingest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, coverageKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import type { QuarantineRecord } from '../../../functions/core/lake/quarantine-record.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { normaliseContextFor } from '../../support/normalise-context.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const hour = Date.parse('2026-10-01T10:00:00Z');
const window = { startMs: hour, endMs: hour + HOUR_MS };
const ctx = normaliseContextFor(window);
const served = (value: unknown) => ({ value, text: JSON.stringify(value) });

/** The same login, as a renamed or nested shape of Domo's entries might serve it. */
const renamed = (timeMs: number, n: number) => ({
  action_type: 'LOGGED_IN',
  time: timeMs,
  user: { id: String(100 + n), name: `User ${n}`, type: 'USER' },
  ip_address: '50.207.241.61',
});

describe('an entry carrying none of the fields that say who did what', () => {
  it('is quarantined with a reason naming them and a possible change of shape, not stored empty', () => {
    const result = normaliseWindow(
      [served(renamed(hour + 60_000, 1)), served({ time: hour + 1 })],
      window,
      ctx,
    );
    expect(result.records).toEqual([]);
    expect(result.quarantined.map((q) => q.reason)).toEqual([UNKNOWN_SHAPE_REASON, UNKNOWN_SHAPE_REASON]);
    expect(UNKNOWN_SHAPE_REASON).toMatch(
      /^entry has no userId, userName, actionType, objectType or eventText .*Domo's entry shape may have changed/,
    );
    expect(result.quarantined[0]?.raw).toBe(JSON.stringify(renamed(hour + 60_000, 1)));
  });

  it('counts a field absent or null as missing; any one of them, or an empty string, is enough', () => {
    const time = hour + 60_000;
    const entries = [
      { time, userId: null, userName: null, actionType: null, objectType: null, eventText: null },
      { time, userId: '7' },
      { time, userName: 'Ada' },
      { time, actionType: 'LOGGED_IN' },
      { time, objectType: 'PAGE' },
      { time, eventText: 'Logged in' },
      { time, userId: 7 },
      { time, actionType: '' },
    ];
    const result = normaliseWindow(entries.map(served), window, ctx);
    expect(result.quarantined.map((q) => q.reason)).toEqual([UNKNOWN_SHAPE_REASON]);
    expect(result.records).toHaveLength(entries.length - 1);
  });

  it("is left to the neighbouring hour it belongs to, as that hour's to quarantine, never both", () => {
    const atEdge = served(renamed(window.startMs - 1, 1));
    const here = normaliseWindow([atEdge], window, ctx);
    expect(here).toMatchObject({ records: [], quarantined: [], neighbours: 1 });
    const before = { startMs: hour - HOUR_MS, endMs: hour };
    const there = normaliseWindow([atEdge], before, {
      ...ctx,
      requestedStartMs: before.startMs - 1,
      requestedEndMs: before.endMs,
    });
    expect(there.quarantined.map((q) => q.reason)).toEqual([UNKNOWN_SHAPE_REASON]);
  });

  it('keeps the reasons that come first: a nested object where a scalar belongs, an unreadable time', () => {
    const result = normaliseWindow(
      [served({ time: hour + 1, userId: { id: '7' } }), served({ time: 'soon', user: { id: '7' } })],
      window,
      ctx,
    );
    expect(result.quarantined.map((q) => q.reason)).toEqual([
      'field userId is an object, expected a scalar: Domo may have nested it; a release that reads the new shape stores these entries when their hours are re-pulled',
      expect.stringMatching(/^time "soon" matches no known format/),
    ]);
  });
});

describe('entries quarantined for their shape, then pulled by a version that reads it', () => {
  // A later version that reads the new shape stands in as a reader that sees the nested and
  // snake_case fields under Domo's documented names; the entry itself, so its id, is unchanged.
  // Test files share modules (isolate: false), so the ingest is imported fresh with the reader
  // mocked, and the modules are reset again after: no other file sees the mock.
  const AUDIT_ENTRY = '../../../functions/core/domo/audit-entry.ts';
  const version = { fixed: false };
  let runIngest: typeof RunIngestModule.runIngest;

  beforeAll(async () => {
    vi.resetModules();
    vi.doMock(AUDIT_ENTRY, async (importOriginal) => {
      const actual = await importOriginal<typeof import('../../../functions/core/domo/audit-entry.ts')>();
      const documentedNames = (value: unknown): unknown => {
        const { user, action_type, ...rest } = value as {
          user?: { id?: unknown; name?: unknown };
        } & Record<string, unknown>;
        return { ...rest, userId: user?.id, userName: user?.name, actionType: action_type };
      };
      return {
        ...actual,
        readAuditEntry: (value: unknown, text?: string) =>
          actual.readAuditEntry(version.fixed ? documentedNames(value) : value, text),
      };
    });
    ({ runIngest } = await import('../../../functions/core/ingest/run-ingest.ts'));
  });
  afterAll(() => {
    vi.doUnmock(AUDIT_ENTRY);
    vi.resetModules();
  });

  it('are stored as events under the id they were quarantined with, and leave quarantine', async () => {
    const store = new MemoryObjectStore();
    // Twins included: their ordinal ids must match across the two tables too.
    const entries = [1, 2, 2, 3].map((n) => ({
      timeMs: hour + n * 60_000,
      entry: renamed(hour + n * 60_000, n),
    }));
    const source = new MemoryAuditSource(entries);
    const pull = () =>
      runIngest(
        quietIngestDeps(source, store, hour + 2 * HOUR_MS),
        { ...defaultIngestConfig('acme'), concurrency: 1 },
        { range: { fromMs: hour, toMs: hour + HOUR_MS } },
      );
    const read = <T>(key: string) => decodeNdjsonGzip(store.objects.get(key)?.body as Uint8Array) as T[];

    const first = await pull();
    expect(first).toMatchObject({ eventsWritten: 0, quarantined: 4, failures: [] });
    const quarantined = read<QuarantineRecord>(quarantineKey('acme', hour));
    expect(quarantined.map((q) => q.reason)).toEqual(Array(4).fill(UNKNOWN_SHAPE_REASON));

    version.fixed = true;
    const fixed = await pull();
    expect(fixed).toMatchObject({ eventsWritten: 4, lateEvents: 0, quarantined: 0, failures: [] });
    const events = read<EventRecord>(activityKey('acme', hour));
    expect(events.map((e) => e.event_id).sort()).toEqual(quarantined.map((q) => q.quarantine_id).sort());
    expect(events.map((e) => [e.user_id, e.action_type, e.category])).toContainEqual([
      '102',
      'LOGGED_IN',
      'login',
    ]);
    expect(read(quarantineKey('acme', hour))).toEqual([]);
    const manifest = JSON.parse(new TextDecoder().decode(store.objects.get(coverageKey('acme', hour))?.body));
    expect(manifest).toMatchObject({ event_count: 4, quarantined_count: 0, late_events: 0 });
  });
});
