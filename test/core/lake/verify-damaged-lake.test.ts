import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, coverageKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { verifyWithIntegrity } from '../../../functions/core/lake/verify-with-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Review 45 (R-V): a lake damaged by hand, each way, and what plain verify says of it.
const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 24 * HOUR_MS + 1_800_000;
const at = (hour: number) => day0 + hour * HOUR_MS;

/** An entry the ingest quarantines (its time is no time), in hour `hour`. */
const badEntry = (hour: number, n: number) => {
  const good = viewEntry(at(hour) + 60_000 * (n + 1), n);
  return { timeMs: good.timeMs, entry: { ...(good.entry as object), time: true } };
};

/** A day of one event an hour, with two entries quarantined in hour 3 and one in hour 5. */
async function dayLake(): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  const source = new MemoryAuditSource([
    ...Array.from({ length: 24 }, (_, h) => viewEntry(at(h) + 600_000, h)),
    badEntry(3, 1),
    badEntry(3, 2),
    badEntry(5, 3),
  ]);
  const deps = quietIngestDeps(source, store, now);
  const summary = await runIngest(deps, { ...defaultIngestConfig('acme'), backfillDays: 1 });
  expect(summary.failures).toEqual([]);
  expect(await verifyLake(store, 'acme')).toMatchObject({ ok: true, events: 24, quarantined: 3 });
  return store;
}

describe('verifyLake: quarantine objects against their manifests', () => {
  it('a quarantined entry removed, or a whole quarantine object deleted, is a mismatch', async () => {
    const store = await dayLake();
    const key = quarantineKey('acme', at(3));
    const held = decodeNdjsonGzip(store.objects.get(key)?.body as Uint8Array) as object[];
    store.putNow(key, encodeNdjsonGzip(held.slice(1)));
    store.objects.delete(quarantineKey('acme', at(5)));
    const report = await verifyLake(store, 'acme');
    expect(report).toMatchObject({ ok: false, quarantined: 1 });
    expect(report.manifestMismatches).toEqual([
      { windowStartMs: at(3), detail: 'manifest counts 2 quarantined, the quarantine object holds 1' },
      { windowStartMs: at(5), detail: 'manifest counts 1 quarantined, there is no quarantine object' },
    ]);
  });

  it('a re-pull interrupted before its manifest, having stored quarantined entries as events, passes', async () => {
    // Review 45 (R-S): a re-pull with the right time zone takes entries out of quarantine and stores
    // them as events; it writes both objects before the manifest, so a run stopped between leaves
    // the old manifest counting them quarantined, beside an object grown by as many events.
    const store = await dayLake();
    const [record] = recordsOf(store, 3) as [EventRecord];
    const later = { ...record, run_id: 'later-run', ingested_at: '2026-10-02T01:00:00.000Z' };
    // Twins of the hour's event (its id, `-n`): ids made up would not be their raw's hash.
    const stored = [1, 2].map((n) => ({ ...later, event_id: `${record.event_id}-${n}` }));
    store.putNow(activityKey('acme', at(3)), encodeNdjsonGzip([record, ...stored]));
    store.putNow(quarantineKey('acme', at(3)), encodeNdjsonGzip([]));
    const report = await verifyLake(store, 'acme');
    expect(report).toMatchObject({ ok: true, quarantined: 1, manifestMismatches: [] });
    expect(report.grownPastManifest).toEqual([
      { windowStartMs: at(3), detail: 'manifest says 1 events, object holds 3' },
    ]);

    // Grown by fewer events than the quarantine lost: entries were removed.
    store.putNow(activityKey('acme', at(3)), encodeNdjsonGzip([record, ...stored.slice(0, 1)]));
    expect((await verifyLake(store, 'acme')).manifestMismatches).toEqual([
      { windowStartMs: at(3), detail: 'manifest counts 2 quarantined, the quarantine object holds 0' },
    ]);
  });

  it('a quarantine object holding more than its manifest counts (a later pull added some) passes', async () => {
    const store = await dayLake();
    const key = quarantineKey('acme', at(5));
    const held = decodeNdjsonGzip(store.objects.get(key)?.body as Uint8Array) as object[];
    store.putNow(key, encodeNdjsonGzip([...held, { ...held[0], raw: '{"other":1}' }]));
    expect(await verifyLake(store, 'acme')).toMatchObject({
      ok: true,
      quarantined: 4,
      manifestMismatches: [],
    });
  });
});

const recordsOf = (store: MemoryObjectStore, hour: number) =>
  decodeNdjsonGzip(store.objects.get(activityKey('acme', at(hour)))?.body as Uint8Array) as EventRecord[];

describe('verifyLake: where the duplicates are', () => {
  it('lists each duplicate id with its hour, and the other hour holding it', async () => {
    const store = await dayLake();
    const [first] = recordsOf(store, 9) as [EventRecord];
    store.putNow(activityKey('acme', at(9)), encodeNdjsonGzip([first, first]));
    const [moved] = recordsOf(store, 2) as [EventRecord];
    const timeMs = at(4) + 60_000;
    const copy = { ...moved, event_time_ms: timeMs, window_start_ms: at(4), window_end_ms: at(5) };
    store.putNow(activityKey('acme', at(4)), encodeNdjsonGzip([...recordsOf(store, 4), copy]));
    const report = await verifyLake(store, 'acme');
    expect(report).toMatchObject({ ok: false, duplicateIds: 2, duplicateIdsAcrossHours: 1 });
    expect(report.duplicates).toEqual([
      { windowStartMs: at(4), eventId: moved.event_id, alsoAtMs: at(2) },
      { windowStartMs: at(9), eventId: first.event_id },
    ]);
    const text = describeReport(report, 'memory');
    expect(text).toContain(
      `  duplicate id ${moved.event_id} at 2026-10-01 04:00Z, also at 2026-10-01 02:00Z\n`,
    );
    expect(text).toContain(`  duplicate id ${first.event_id} at 2026-10-01 09:00Z (twice in that hour)\n`);
  });
});

/** The object at `key` cut short, as a copy interrupted or a disk full leaves it. */
const truncate = (store: MemoryObjectStore, key: string) => {
  const body = store.objects.get(key)?.body as Uint8Array;
  store.putNow(key, body.subarray(0, Math.floor(body.length / 2)));
};

describe('verifyLake: an object it cannot decode', () => {
  it('reports each one (events, quarantine, manifest) and goes on checking the rest', async () => {
    const store = await dayLake();
    truncate(store, activityKey('acme', at(2)));
    truncate(store, quarantineKey('acme', at(3)));
    truncate(store, coverageKey('acme', at(6)));
    store.putNow(activityKey('acme', at(7)), new Uint8Array(gzipSync('{"event_id":"x"}\nnot json\n')));
    // A problem after the damaged hours is still found.
    const [first] = recordsOf(store, 20) as [EventRecord];
    store.putNow(activityKey('acme', at(20)), encodeNdjsonGzip([first, first]));
    const report = await verifyLake(store, 'acme');
    expect(report).toMatchObject({
      ok: false,
      unreadableCount: 4,
      duplicateIds: 1,
      windowsCovered: 23,
      gaps: [],
    });
    expect(report.unreadable).toEqual([
      {
        key: activityKey('acme', at(2)),
        detail: expect.stringMatching(/^not valid gzip-compressed UTF-8 \(.*\): the object is damaged/),
      },
      {
        key: quarantineKey('acme', at(3)),
        detail: expect.stringContaining('not valid gzip-compressed UTF-8'),
      },
      {
        key: coverageKey('acme', at(6)),
        detail: expect.stringMatching(/^not a valid coverage manifest \(not valid JSON/),
      },
      { key: activityKey('acme', at(7)), detail: expect.stringMatching(/^line 2 is not valid JSON/) },
    ]);
    // The hours read only in part are not also called mismatches; the one whose manifest is
    // unreadable is neither a gap nor an interrupted pull, and its events still count.
    expect(report.manifestMismatches).toEqual([]);
    expect(report.interruptedWindows).toBe(0);
    // Hour 2's event lost, hour 7's first line read, hour 20's copy.
    expect(report.events).toBe(24 - 1 + 1);
    const text = describeReport(report, 'memory');
    expect(text).toContain(`  unreadable ${coverageKey('acme', at(6))}: not a valid coverage manifest (`);
    expect(text).toContain('  4 object(s) could not be read as the lake writes them');
    expect(text.endsWith('  PROBLEMS FOUND\n')).toBe(true);
  });

  it('with --integrity, the chain still judges every object, the damaged one too', async () => {
    const store = await dayLake();
    truncate(store, activityKey('acme', at(2)));
    const report = await verifyWithIntegrity(store, 'acme', undefined);
    expect(report).toMatchObject({ ok: false, unreadableCount: 1 });
    expect(report.integrity?.problems).toEqual([
      expect.objectContaining({ kind: 'changed', key: activityKey('acme', at(2)) }),
    ]);
  });
});

describe('verifyLake: files in the tables that are none of the lake', () => {
  it('reports every key that is not an hour object of its table, in the range days', async () => {
    const store = await dayLake();
    const body = store.objects.get(activityKey('acme', at(4)))?.body as Uint8Array;
    const stray = [
      'activity_log/instance=acme/dt=2026-10-01/extra.ndjson.gz',
      // The date of another day's folder: a query of 2026-10-01 reads it.
      'activity_log/instance=acme/dt=2026-10-01/2026-09-28T10.ndjson.gz',
      'coverage/instance=acme/dt=2026-10-01/2026-10-01T04.ndjson.gz',
      'quarantine/instance=acme/notes.txt',
    ];
    for (const key of stray) store.putNow(key, body);
    // An hour's object with no manifest is an interrupted pull, not a stray.
    store.objects.delete(coverageKey('acme', at(23)));
    // Past the lake's last day: the whole lake's to name all the same (a query reads it).
    const pastEnd = 'activity_log/instance=acme/dt=2026-10-03/x.ndjson.gz';
    store.putNow(pastEnd, body);
    const report = await verifyLake(store, 'acme');
    expect(report).toMatchObject({ ok: false, foreignKeyCount: 5, interruptedWindows: 1 });
    expect([...report.foreignKeys].sort()).toEqual([...stray, pastEnd].sort());
    const text = describeReport(report, 'memory');
    expect(text).toContain(`  not an object of this lake: ${stray[0]}\n`);
    expect(text).toContain(
      'while queries may read them (Athena every file there whose name starts with neither "_" nor ".", DuckDB those ending .ndjson.gz or .json): move them out of the lake',
    );
    // A range of another day leaves the strays of 2026-10-01 out, not those with no day folder.
    const later = await verifyLake(store, 'acme', { fromMs: at(48), toMs: at(72) });
    expect(later.foreignKeys.sort()).toEqual([
      'activity_log/instance=acme/dt=2026-10-03/x.ndjson.gz',
      'quarantine/instance=acme/notes.txt',
    ]);
  });
});
