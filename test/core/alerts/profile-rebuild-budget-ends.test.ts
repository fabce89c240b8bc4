/**
 * A login profile rebuilt (deleted, unreadable, another time zone) at a time budget no larger than
 * the early pass's reads (the recheck window and the new hours, read again every run): the early
 * pass took the whole budget, the rebuild never went on, and the profile's detectors never ran
 * (review R-ALFIX2 L6, as for a profile folded again). It now goes on an hour a run at least.
 */
import { describe, expect, it } from 'vitest';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MIN, STEP, staleProfileLake } from './support/stale-profile-lake.ts';

describe('a login profile rebuilt when the early pass takes the whole budget', () => {
  it('is brought an hour further each run, and the hours are then evaluated in full', async () => {
    const { run, lake, lockouts } = await staleProfileLake({
      before: async (at) => {
        at.store.objects.delete(alertsStateKey('default', 'login-profile.json.gz'));
      },
    });
    let runs = 0;
    let evaluated = 0;
    const early: (number | undefined)[] = [];
    for (let now = STEP + HOUR_MS + 2 * MIN; evaluated === 0 && runs < 100; now += 15 * MIN) {
      await lake.ingest(now - 2 * MIN);
      const summary = await run(now, 4);
      evaluated = summary.hoursEvaluated;
      early.push(summary.earlyNextHourMs);
      runs++;
    }
    expect(evaluated).toBeGreaterThan(0);
    // The lockout went ahead in the first run, with the early pass, and only once.
    expect(early[0]).toBeDefined();
    expect(lockouts().map((a) => a.kind)).toEqual(['lockout']);
    // The history window's 37 hours up to 10:00 on the 3rd, two a run while the early pass leaves
    // a read, then one: 34 runs (before, the early pass took every read from the 9th on, for good).
    expect(runs).toBeLessThanOrEqual(40);
  }, 240_000);
});
