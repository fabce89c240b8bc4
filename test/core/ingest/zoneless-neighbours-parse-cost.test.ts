import { describe, expect, it, vi } from 'vitest';
import type { ServedEntry } from '../../../functions/core/ingest/served-entry.ts';
import { checkZonelessNeighbours } from '../../../functions/core/ingest/zoneless-neighbours.ts';
import { formatDocString } from '../../../functions/simulator/time-format.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';

/*
 * Checking an hour's zone-less neighbours once parsed every entry's time a second time (4-7 us an
 * entry, on the CPU path of a busy zone-less instance). A reading within reach of the hour's edges
 * keeps its string's seconds when the zone's offset is whole minutes, so only strings whose seconds
 * are 58 (with a fraction of .999), 59, 00 or 01 are parsed.
 */
const hour = { startMs: Date.parse('2026-10-05T14:00:00Z'), endMs: Date.parse('2026-10-05T15:00:00Z') };
/** A second's request never splits: nothing reads an entry's time for it. */
const fetchOptions = { maxPagesPerRange: 10, timeOf: () => undefined };
/**
 * How many of the entries' time strings parseDomoTime read while `run` ran: it trims each string
 * first. (A module mock would not do: test files share their workers' module cache.)
 */
async function timesParsed(entries: readonly ServedEntry[], run: () => Promise<unknown>): Promise<number> {
  const times = new Set(entries.map((entry) => String((entry.value as { time: unknown }).time)));
  const trim = vi.spyOn(String.prototype, 'trim');
  try {
    await run();
    return trim.mock.contexts.filter((text) => times.has(String(text))).length;
  } finally {
    trim.mockRestore();
  }
}

const served = (time: unknown): ServedEntry => {
  const value = { actionType: 'VIEWED', time };
  return { value, text: JSON.stringify(value) };
};

describe('checking the zone-less neighbours of an hour read alone', () => {
  it.each(['America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu'])(
    '(%s) parses only the times whose seconds may read at an edge',
    async (zone) => {
      // One entry a second through the hour, its first and last minute included.
      const entries = Array.from({ length: 3_600 }, (_, s) =>
        served(formatDocString(hour.startMs + s * 1000, zone)),
      );
      entries.push(served(hour.startMs + 5), served('2026-10-05T14:20:30Z'));
      let unconfirmed = -1;
      const parsed = await timesParsed(entries, async () => {
        const checked = await checkZonelessNeighbours(
          new MemoryAuditSource([]),
          entries,
          hour,
          zone,
          fetchOptions,
        );
        unconfirmed = checked.unconfirmed.size;
      });
      expect(unconfirmed).toBe(0);
      // 58, 59, 00 and 01 of each of the 60 minutes.
      expect(parsed).toBe(4 * 60);
    },
  );

  it('parses every time in a zone whose offset is not whole minutes (Monrovia until 1972)', async () => {
    const before2000 = {
      startMs: Date.parse('1971-06-01T12:00:00Z'),
      endMs: Date.parse('1971-06-01T13:00:00Z'),
    };
    const entries = Array.from({ length: 10 }, (_, m) =>
      served(formatDocString(before2000.startMs + m * 60_000 + 20_000, 'Africa/Monrovia')),
    );
    const parsed = await timesParsed(entries, () =>
      checkZonelessNeighbours(
        new MemoryAuditSource([]),
        entries,
        before2000,
        'Africa/Monrovia',
        fetchOptions,
      ),
    );
    expect(parsed).toBe(entries.length);
  });

  it('still checks a string of 58.999 seconds, just before the hour', async () => {
    // Cape Verde's 14:59:58.999 UTC is 13:59:58.999 on its clocks; read as UTC, 1.001 s before the hour.
    const entries = [served('2026-10-05 01:59:58.999 PM')];
    const checked = await checkZonelessNeighbours(
      new MemoryAuditSource([]),
      entries,
      hour,
      'UTC',
      fetchOptions,
    );
    expect([...checked.unconfirmed]).toEqual(entries);
    expect(checked.requests).toBe(1);
  });
});
