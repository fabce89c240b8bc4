import { describe, expect, it } from 'vitest';
import { eventsStoredElsewhere } from '../../../functions/core/ingest/events-stored-elsewhere.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { formatDocString } from '../../../functions/simulator/time-format.ts';
import { eventRecordsOf } from '../../support/event-records-of.ts';
import { seeded } from '../../support/seeded-random.ts';

/*
 * The match of events served in another shape is the largest there is among events that say the
 * same: what time order alone left (two time formats in one hour) is matched, and never more
 * events than a brute-force count of the largest match.
 */

const hour = Date.parse('2026-10-01T10:00:00Z');
const window = { startMs: hour, endMs: hour + HOUR_MS };
const at = (minute: number, ms = 0) => hour + minute * 60_000 + ms;
const recordsOf = (...entries: object[]): EventRecord[] => eventRecordsOf(window, entries);

const view = (ms: number, extra: Record<string, unknown> = {}) => ({
  actionType: 'VIEWED',
  userId: '11',
  userName: 'Ada',
  objectType: 'CARD',
  objectId: '7',
  time: ms,
  ...extra,
});
/** Domo's documented time string: whole seconds, so a second either way. */
const inSeconds = (ms: number, extra: Record<string, unknown> = {}) =>
  view(ms, { time: formatDocString(ms, 'UTC'), ...extra });

describe('events served in another shape, matched as widely as they can be', () => {
  it('shifts an earlier match when an exact time leaves a later event no other stored record', () => {
    // Stored in epoch ms at 10:10:00.000 and 10:10:01.000. Served again: a string of whole seconds
    // (10:10:00, a second either way) and epoch ms 10:10:00.000, which only the first fits. Taken in
    // time order, the string took the first record and the exact time was stored again.
    const stored = recordsOf(view(at(10)), view(at(10, 1000)));
    const served = recordsOf(inSeconds(at(10)), view(at(10), { sessionId: 'abc' }));
    expect(eventsStoredElsewhere(stored, served)).toEqual(new Set(served));
  });

  it('leaves a renamed or nested field unmatched, so a late event beside it is never taken', () => {
    // Stored while Domo nested `user`: the record's user columns are empty. Served flat again, the
    // same event (user 11) and a late one (user 13) both say what the stored record says and more.
    const nestedUser = { userId: undefined, userName: undefined };
    const stored = recordsOf(view(at(5), { ...nestedUser, user: { id: '11', name: 'Ada' } }));
    expect(stored[0]?.user_id).toBeNull();
    const served = recordsOf(view(at(5)), view(at(5), { userId: '13', userName: 'Bo' }));
    expect(eventsStoredElsewhere(stored, served).size).toBe(0);
    // Nor the other way: a field renamed in the new shape reads as left out.
    const renamed = recordsOf(view(at(5), { userName: undefined, user_name: 'Ada' }));
    expect(eventsStoredElsewhere(recordsOf(view(at(5))), renamed).size).toBe(0);
  });

  it('matches no event that says nothing: only its id tells it apart', () => {
    const empty = (ms: number, extra: Record<string, unknown> = {}) => ({
      actionType: '',
      userId: '',
      time: ms,
      ...extra,
    });
    const stored = recordsOf(empty(at(5)));
    const served = recordsOf(empty(at(5), { sessionId: 'abc' }));
    expect(eventsStoredElsewhere(stored, served).size).toBe(0);
  });

  it('spends no search on events that say something else, however many share the second', () => {
    // The first test's shift, for 2,000 objects in the same two seconds: each search looks only at
    // its own object's records, where one budget over every record in reach ran out before.
    const objects = Array.from({ length: 2000 }, (_, i) => ({ objectId: String(i) }));
    const stored = recordsOf(...objects.flatMap((o) => [view(at(30), o), view(at(30, 1000), o)]));
    const served = recordsOf(
      ...objects.flatMap((o) => [inSeconds(at(30), o), view(at(30), { ...o, sessionId: 'abc' })]),
    );
    expect(eventsStoredElsewhere(stored, served).size).toBe(4000);
  });

  it('never matches more than the largest match a brute force finds, and finds as many', () => {
    const random = seeded(54);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const times = [at(20), at(20, 400), at(20, 1000), at(20, 1500), at(20, 2000)];
    const shapes = [
      (ms: number) => view(ms),
      (ms: number) => inSeconds(ms),
      (ms: number) => view(ms, { userName: undefined }),
      (ms: number) => view(ms, { userId: 12 }),
    ];
    const side = () =>
      recordsOf(...Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(shapes)(pick(times))));
    let widened = 0;
    for (let trial = 0; trial < 600; trial++) {
      const stored = side();
      const served = side();
      const found = eventsStoredElsewhere(stored, served);
      const largest = largestMatch(stored, served);
      expect(found.size, `trial ${trial}`).toBe(largest);
      for (const record of found) expect(served).toContain(record);
      if (largest > 0) widened++;
    }
    // The workloads are not all trivially empty.
    expect(widened).toBeGreaterThan(300);
  });
});

/** How precise a time reads: epoch ms exact, this test's only string (whole seconds) a second either way. */
const slackOf = (record: EventRecord) => (/^\d+$/.test(String(record.time_raw)) ? 0 : 1000);
const COLUMNS = ['action_type', 'user_id', 'user_name', 'object_type', 'object_id'] as const;

/** Whether a stored and a served record may be one event, written out for this test's shapes. */
function pairs(a: EventRecord, b: EventRecord): boolean {
  if (Math.abs(a.event_time_ms - b.event_time_ms) > Math.max(slackOf(a), slackOf(b))) return false;
  return COLUMNS.every((column) => a[column] === b[column]);
}

/** The size of the largest match, by trying every assignment (both sides have at most 5 events). */
function largestMatch(stored: readonly EventRecord[], served: readonly EventRecord[]): number {
  const best = (i: number, used: number): number => {
    if (i === served.length) return 0;
    let most = best(i + 1, used);
    stored.forEach((record, s) => {
      if (!(used & (1 << s)) && pairs(record, served[i] as EventRecord))
        most = Math.max(most, 1 + best(i + 1, used | (1 << s)));
    });
    return most;
  };
  return best(0, 0);
}
