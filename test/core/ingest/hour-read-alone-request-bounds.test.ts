import { describe, expect, it } from 'vitest';
import { settleRepeatedHourEdges } from '../../../functions/core/ingest/repeated-hour-edge.ts';
import type { ServedEntry } from '../../../functions/core/ingest/served-entry.ts';
import { checkZonelessNeighbours } from '../../../functions/core/ingest/zoneless-neighbours.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry } from '../../support/memory-audit-source.ts';
import { loginAt } from '../../support/repeated-hour-lake.ts';

/*
 * The checks of an hour read alone judge what its request could have returned, as normalisation
 * does: by the bounds the request asked (ingest-window.ts gives normalisation those of
 * `HourEntries.requested`), not by bounds written in for a request of the hour itself. These
 * requests reach past the hour's own (as a span's does) to show which bounds each check goes by.
 */

/** A second's request never splits: nothing reads an entry's time for it. */
const fetchOptions = { maxPagesPerRange: 10, timeOf: () => undefined };

const served = (memory: MemoryEntry): ServedEntry => ({
  value: memory.entry,
  text: JSON.stringify(memory.entry),
});

/** A sign-in whose time is the zone-less string `time` (Domo holds it at `atIso`). */
const signIn = (atIso: string, time: string, user: string): MemoryEntry => ({
  timeMs: Date.parse(atIso),
  entry: { actionType: 'LOGIN', objectId: user, objectType: 'USER', time, userId: user, userName: user },
});

/** The seconds asked of Domo, in order (a request's `start` is one ms early; each page is a query). */
const secondsAsked = (source: MemoryAuditSource): string[] => [
  ...new Set(source.queries.map((query) => new Date(query.start + 1).toISOString())),
];

describe('the checks of an hour read alone, by the bounds its request asked', () => {
  const hour = { startMs: Date.parse('2026-10-05T14:00:00Z'), endMs: Date.parse('2026-10-05T15:00:00Z') };

  it('checks a zone-less reading within reach of a request that ends after the hour, or starts before it', async () => {
    // Asked from 3 s before the hour to 2 s after it: normalisation leaves readings up to a second
    // beyond those bounds (the slack) to the neighbouring hour, so each must be confirmed.
    const asked = { startMs: hour.startMs - 3_000, endMs: hour.endMs + 2_000 };
    const wrongAfter = signIn('2026-10-05T14:10:00Z', '2026-10-05 03:00:02 PM', 'a');
    const wrongBefore = signIn('2026-10-05T14:20:00Z', '2026-10-05 01:59:56.500 PM', 'b');
    const rightAfter = signIn('2026-10-05T15:00:02Z', '2026-10-05 03:00:02 PM', 'c');
    // Beyond the bounds and the slack: normalisation quarantines them as outside the request.
    const beyondAfter = signIn('2026-10-05T14:30:00Z', '2026-10-05 03:00:03.500 PM', 'd');
    const beyondBefore = signIn('2026-10-05T14:40:00Z', '2026-10-05 01:59:55.500 PM', 'e');
    const all = [wrongAfter, wrongBefore, rightAfter, beyondAfter, beyondBefore];
    const entries = all.map(served);
    const source = new MemoryAuditSource(all);

    const checked = await checkZonelessNeighbours(source, entries, { ...hour, asked }, 'UTC', fetchOptions);

    expect([...checked.unconfirmed]).toEqual([entries[0], entries[1]]);
    expect(secondsAsked(source)).toEqual(['2026-10-05T15:00:02.000Z', '2026-10-05T13:59:56.000Z']);
    expect(checked.requests).toBe(source.queries.length);
  });

  it('asks for the reading normalisation picks in the repeated hour by the request it was given', async () => {
    // Clocks go back in New York at 2026-11-01T06:00Z. "01:59:59 AM" reads 05:59:59Z (EDT) or
    // 06:59:59Z (EST). For the hour 07:00Z asked from an hour earlier (as a span's request is), the
    // earlier reading lies within the request and normalisation goes by it; so must the check.
    const zone = 'America/New_York';
    const late = { startMs: Date.parse('2026-11-01T07:00:00Z'), endMs: Date.parse('2026-11-01T08:00:00Z') };
    const asked = { startMs: late.startMs - HOUR_MS - 1, endMs: late.endMs };
    const entry = loginAt(zone, '2026-11-01T05:59:59.000Z', 'a');
    const source = new MemoryAuditSource([entry]);

    const checked = await checkZonelessNeighbours(
      source,
      [served(entry)],
      { ...late, asked },
      zone,
      fetchOptions,
    );

    expect(secondsAsked(source)).toEqual(['2026-11-01T05:59:59.000Z']);
    expect(checked.unconfirmed.size).toBe(0);
  });

  it('settles a repeated-hour string whose other reading a request ending after the hour reaches', async () => {
    // The first 01:00 AM (EDT) is 05:00Z-06:00Z. "01:00:01 AM" also reads 06:00:01Z, which a
    // request ending a second after the hour returns: its answer holds both copies, one the next
    // hour's. The second inside the hour, asked alone, holds one.
    const zone = 'America/New_York';
    const first = { startMs: Date.parse('2026-11-01T05:00:00Z'), endMs: Date.parse('2026-11-01T06:00:00Z') };
    const asked = { startMs: first.startMs - 1, endMs: first.endMs + 1_000 };
    const own = loginAt(zone, '2026-11-01T05:00:01.000Z', 'a');
    const next = loginAt(zone, '2026-11-01T06:00:01.000Z', 'a');
    expect(next.entry).toEqual(own.entry);
    const source = new MemoryAuditSource([own, next]);

    const settled = await settleRepeatedHourEdges(
      source,
      [served(next), served(own)],
      { ...first, asked },
      zone,
      fetchOptions,
    );

    expect(settled.entries).toHaveLength(1);
    expect(secondsAsked(source)).toEqual(['2026-11-01T05:00:01.000Z']);
    expect(settled.requests).toBe(source.queries.length);
  });
});
