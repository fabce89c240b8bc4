import { describe, expect, it } from 'vitest';
import { reportSentKey } from '../../../functions/core/lake/layout.ts';
import { READS_IN_FLIGHT } from '../../../functions/core/lake/read-ahead.ts';
import type { StoredObject } from '../../../functions/core/ports.ts';
import { lastFullWeek, previousWeek, type ReportWeek } from '../../../functions/core/report/iso-week.ts';
import { encodeMarker, type SentMarker } from '../../../functions/core/report/sent-marker.ts';
import { readInstanceStatus } from '../../../functions/core/status/instance-status.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RefusedGetStore } from '../../support/refused-get-store.ts';
import { VirtualLatencyStore } from '../../support/virtual-latency-store.ts';

// Monday 2026-11-30 10:20 UTC: week 2026-W48 ended this midnight.
const NOW = Date.UTC(2026, 10, 30, 10, 20);
const options = { nowMs: NOW, lagHours: 3, reportTimeZone: 'UTC' };
const GET_MS = 30;

/** Counts the GETs of each key. */
class CountingStore extends MemoryObjectStore {
  readonly gets = new Map<string, number>();
  override async get(key: string): Promise<StoredObject | undefined> {
    this.gets.set(key, (this.gets.get(key) ?? 0) + 1);
    return super.get(key);
  }
}

/** 156 weeks of markers up to the last full week, oldest first; some failed, some stopped mid-send. */
function threeYears(): { isoWeek: string; state: SentMarker['state']; updatedAt: string }[] {
  const weeks: ReportWeek[] = [lastFullWeek(NOW, 'UTC')];
  while (weeks.length < 156) weeks.unshift(previousWeek(weeks[0] as ReportWeek));
  return weeks.map((week, index) => ({
    isoWeek: week.isoWeek,
    state: index % 40 === 7 ? 'failed' : index % 50 === 20 ? 'sending' : 'sent',
    updatedAt: new Date(week.endMs + 7 * 3_600_000).toISOString(),
  }));
}

/** A lake holding the markers of {@link threeYears}. */
async function markerLake<T extends MemoryObjectStore>(lake: T) {
  const markers = threeYears();
  for (const { isoWeek, state, updatedAt } of markers) {
    const marker = { state, instance: 'main', isoWeek, attemptId: 'a', claimedAt: updatedAt, subject: 's' };
    await lake.put(reportSentKey('main', isoWeek), encodeMarker({ ...marker, updatedAt, recipients: 3 }));
  }
  return { lake, unsent: markers.filter((m) => m.state !== 'sent') };
}

describe('status of an instance whose report ran for 3 years', () => {
  it('reads each week’s sent-marker once, many at a time, and says the same', async () => {
    const { lake, unsent } = await markerLake(new CountingStore());
    const store = new VirtualLatencyStore(lake, GET_MS);
    const status = await readInstanceStatus(store, 'main', options);

    expect(status.lastReport).toEqual({
      isoWeek: '2026-W48',
      state: 'sent',
      updatedAt: '2026-11-30T07:00:00.000Z',
      recipients: 3,
    });
    expect(unsent.map((m) => m.state).join(' ')).toBe('failed sending failed sending failed sending failed');
    expect(status.unsentReports).toEqual(unsent);
    expect(status.report).toBe('weekly');

    const markerGets = [...lake.gets].filter(([key]) => key.endsWith('.sent.json'));
    expect(markerGets).toHaveLength(156);
    expect(markerGets.every(([, gets]) => gets === 1)).toBe(true);
    // One after another they took 156 x 30 ms (4.7 s on S3's latency); now ten times less at most,
    // never more than READS_IN_FLIGHT in flight.
    expect(store.elapsedMs).toBeLessThanOrEqual((156 * GET_MS) / 10);
    expect(store.mostInFlight).toBe(READS_IN_FLIGHT);
  });

  it('says them in week order, whichever answer comes first', async () => {
    const { lake, unsent } = await markerLake(new MemoryObjectStore());
    let gets = 0;
    // Each GET answers after 0-4 ms: later weeks often before earlier ones.
    const store = Object.assign(Object.create(lake) as MemoryObjectStore, {
      get: async (key: string) => {
        await new Promise((resolve) => setTimeout(resolve, (gets++ * 7) % 5));
        return lake.get(key);
      },
    });
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.unsentReports).toEqual(unsent);
    expect(status.lastReport?.isoWeek).toBe('2026-W48');
  });

  it('fails as soon as one marker’s GET is refused, with that error, starting no GET after it', async () => {
    const { lake } = await markerLake(new MemoryObjectStore());
    const timed = new VirtualLatencyStore(lake, GET_MS);
    const refused = reportSentKey('main', threeYears()[20]?.isoWeek as string);
    const store = new RefusedGetStore(timed, refused);
    let failedAtMs: number | undefined;
    const failure = await readInstanceStatus(store, 'main', options).catch((error: unknown) => {
      failedAtMs = timed.elapsedMs;
      return error;
    });
    await timed.drained();

    expect(failure).toEqual(new Error(`GET ${refused}: Access Denied`));
    // In its turn, a round trip later, it had started 16 more markers' GETs (49 in all, not 21).
    expect(store.startedAfterRefusal()).toEqual([]);
    expect(failedAtMs).toBe(store.refusedAtMs);
    expect(store.starts.filter(({ key }) => key.endsWith('.sent.json')).length).toBeLessThanOrEqual(
      READS_IN_FLIGHT + 20,
    );
  });
});
