import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import type { VerifyReport } from '../../../functions/core/lake/verify-report.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';
import {
  BOUNDS,
  loginAt,
  storedAs,
  storedEvents,
  truthOf,
  withBounds,
} from '../../support/repeated-hour-lake.ts';

// More than one second of an hour may be in doubt (its time string has two readings that both fit
// the hour's request): each second's request must settle only the entries that name that second.

async function ingest(
  zone: string,
  entries: MemoryEntry[],
  range: { fromMs: number; toMs: number },
  bounds: readonly [boolean, boolean],
): Promise<{ events: EventRecord[]; report: VerifyReport }> {
  const store = new MemoryObjectStore();
  const deps: IngestDeps = {
    ...noWaits,
    source: withBounds(new MemoryAuditSource(entries), bounds[0], bounds[1]),
    store,
    clock: { now: () => range.toMs + 3 * 24 * HOUR_MS },
    log: silentLog,
    metrics: { count: () => {} },
  };
  await runIngest(deps, { ...defaultIngestConfig('acme'), docTimeZone: zone }, { range });
  return { events: await storedEvents(store), report: await verifyLake(store, 'acme', range) };
}

const CASES: { zone: string; why: string; times: string[]; from: string; to: string }[] = [
  {
    // "01:00:00 AM" and "01:00:01 AM" of the first 01:00: only the first may be the next hour's
    // first ms; the request of its second reaches the first ms of the next second.
    zone: 'America/New_York',
    why: 'two adjacent seconds at the start of the repeated hour',
    times: ['2026-11-01T05:00:00.500Z', '2026-11-01T05:00:01.000Z'],
    from: '2026-11-01T04:00:00Z',
    to: '2026-11-01T08:00:00Z',
  },
  {
    // Clocks go back 30 minutes at 15:00Z: 01:30-01:59 local is 14:30Z-14:59Z, then 15:00Z-15:29Z.
    zone: 'Australia/Lord_Howe',
    why: 'a half-hour shift, two adjacent seconds mid-hour',
    times: ['2026-04-04T14:30:00.500Z', '2026-04-04T14:30:01.000Z'],
    from: '2026-04-04T13:00:00Z',
    to: '2026-04-04T17:00:00Z',
  },
  {
    // Clocks go back at 04:30Z: the UTC hour 04:00Z holds 01:30-01:59 local of the first occurrence
    // and 01:00-01:29 of the second, so its first and last seconds are both in doubt, and the
    // request of its last second reaches 05:00:00.000Z, the other reading of its first second.
    zone: 'America/St_Johns',
    why: 'both edges of one hour, an hour apart',
    times: [
      '2026-11-01T04:00:00.000Z',
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T04:59:59.500Z',
      '2026-11-01T03:59:59.999Z',
    ],
    from: '2026-11-01T03:00:00Z',
    to: '2026-11-01T07:00:00Z',
  },
];

describe('an hour with more than one second in doubt (clocks going back)', () => {
  for (const { zone, why, times, from, to } of CASES) {
    for (const bounds of BOUNDS) {
      const name = `start ${bounds[0] ? 'inclusive' : 'exclusive'}, end ${bounds[1] ? 'inclusive' : 'exclusive'}`;
      it(`stores each entry once, in its own hour: ${zone}, ${why} (${name})`, async () => {
        const entries = times.map((t, i) => loginAt(zone, t, `u${i}`));
        const range = { fromMs: Date.parse(from), toMs: Date.parse(to) };
        const { events, report } = await ingest(zone, entries, range, bounds);
        expect(storedAs(events)).toEqual(truthOf(entries));
        expect(report).toMatchObject({ duplicateIds: 0, duplicateIdsAcrossHours: 0 });
      });
    }
  }
});

// The last ms of the second occurrence of the repeated hour names its last second (`01:59:59 AM`,
// or `01:29:59 AM` in St John's, where the UTC hour starts mid-occurrence). With Domo's `start`
// inclusive, the next hour's request returns it: its later reading is that neighbour's, its earlier
// one an hour outside the request, which must not quarantine it as a wrong `docTimeZone`.
const AFTER_HOUR: { zone: string; time: string; from: string; to: string }[] = [
  {
    zone: 'America/New_York',
    time: '2026-11-01T06:59:59.999Z',
    from: '2026-11-01T04:00:00Z',
    to: '2026-11-01T09:00:00Z',
  },
  {
    zone: 'Europe/Dublin',
    time: '2026-10-25T01:59:59.999Z',
    from: '2026-10-24T23:00:00Z',
    to: '2026-10-25T04:00:00Z',
  },
  {
    zone: 'Africa/Casablanca',
    time: '2026-02-15T02:59:59.999Z',
    from: '2026-02-15T00:00:00Z',
    to: '2026-02-15T05:00:00Z',
  },
  {
    zone: 'America/St_Johns',
    time: '2026-11-01T04:59:59.999Z',
    from: '2026-11-01T03:00:00Z',
    to: '2026-11-01T07:00:00Z',
  },
];

describe("the last ms of the repeated hour's second occurrence, reached by the next hour's request", () => {
  for (const { zone, time, from, to } of AFTER_HOUR) {
    for (const bounds of BOUNDS) {
      const name = `start ${bounds[0] ? 'inclusive' : 'exclusive'}, end ${bounds[1] ? 'inclusive' : 'exclusive'}`;
      it(`is stored in its own hour and not quarantined: ${zone} (${name})`, async () => {
        const entries = [loginAt(zone, time, 'z')];
        const range = { fromMs: Date.parse(from), toMs: Date.parse(to) };
        const { events, report } = await ingest(zone, entries, range, bounds);
        expect(storedAs(events)).toEqual(truthOf(entries));
        expect(report).toMatchObject({ ok: true, quarantined: 0, outOfWindow: 0 });
      });
    }
  }
});
