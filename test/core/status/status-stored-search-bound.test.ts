import { beforeAll, describe, expect, it } from 'vitest';
import { digestKey } from '../../../functions/core/lake/layout.ts';
import { hoursStoredOnce } from '../../../functions/core/lake/skipped-hours-stored.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { backfillThenSkipLake, SKIPPED_HOURS } from '../../support/backfill-then-skip-lake.ts';
import { countedGets } from '../../support/counting-store.ts';
import { statusAt } from '../../support/status-at.ts';

// Review CHAIN2: status looks for the hours a skip note excuses in the digest chain, from its head
// back to the first digest written before they began. A first backfill (or a range re-pulled
// since) writes a digest an hour, all after them: for 6 hours skipped on a lake of a year the
// search read the backfill's whole chain, 6,622 GETs (bench/status-long-lake.ts).

const counted = countedGets;

let built: Awaited<ReturnType<typeof backfillThenSkipLake>>;
/** The hours skipped that no run goes back for (the lookback's last two are pulled again). */
const skipped = () => Array.from({ length: SKIPPED_HOURS - 2 }, (_, h) => built.skipFromMs + h * HOUR_MS);
let head: number;

beforeAll(async () => {
  // 130 days: more digests of the backfill than status reads.
  built = await backfillThenSkipLake(130, 1);
  head = Math.max(
    ...[...built.lake.objects.keys()].flatMap((key) => {
      const n = /^digest\/instance=acme\/(\d{10})\.json$/.exec(key)?.[1];
      return n === undefined ? [] : [Number(n)];
    }),
  );
  expect(head).toBeGreaterThan(2048);
}, 60_000);

describe('the search for hours a skip note excuses, stored once', () => {
  it('reads at most the digests it is given, and says where it stopped', async () => {
    const store = counted(built.lake);
    const { stored, cut } = await hoursStoredOnce(store, 'acme', skipped(), 40);
    expect(stored.size).toBe(0);
    expect(cut).toMatchObject({ digestsRead: 40, oldestSequence: head - 39 });
    expect(Date.parse(cut?.oldestWrittenAt ?? '')).toBeGreaterThan(built.skipFromMs);
    expect(store.gets).toBeLessThan(40 + 30);
  });

  it('says nothing of a bound it did not reach', async () => {
    // The skip's last hour, in the lookback of the run after it, which stored it.
    const last = built.skipFromMs + (SKIPPED_HOURS - 1) * HOUR_MS;
    const { stored, cut } = await hoursStoredOnce(built.lake, 'acme', [last], 40);
    expect(stored).toEqual(new Set([last]));
    expect(cut).toBeUndefined();
  });

  it('status reads the last 2,048 digests, and names the hours it excused without reading on', async () => {
    const store = counted(built.lake);
    const { status, table } = await statusAt(store, 'acme', built.nowMs);
    expect(status.hours?.skipped?.hours).toEqual(skipped());
    expect(status.hours?.skippedUnsearched).toEqual({
      hours: skipped(),
      digestsRead: 2048,
      oldestKey: digestKey('acme', head - 2047),
      oldestWrittenAt: expect.any(String),
    });
    expect(store.gets).toBeLessThan(2048 + 400);
    expect(table).not.toContain('DAMAGED');
    expect(table.replace(/\s+/g, ' ')).toContain(
      `acme: 4 hour(s) skipped on purpose (2026-10-01 00:00Z, 2026-10-01 01:00Z, 2026-10-01 02:00Z and 1 more) were looked for among the hours stored once in the digest chain's last 2048 digests only, back to ${digestKey('acme', head - 2047)}, written 2026-10-01 00:20 UTC; the digests before it`,
    );
  });
});
