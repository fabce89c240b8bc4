import { describe, expect, it } from 'vitest';
import { athenaTimeZone } from '../../functions/core/athena-zone-names.ts';
import { canonicalTimeZone, wallTimeOf } from '../../functions/core/zoned-time.ts';

const HOUR_MS = 3_600_000;

describe('athenaTimeZone', () => {
  it.each([
    ['Europe/Kyiv', 'Europe/Kiev', '2022-01-01'],
    ['Pacific/Kanton', 'Pacific/Enderbury', '2022-01-01'],
    ['America/Nuuk', 'America/Godthab', '2022-01-01'],
    ['America/Ciudad_Juarez', 'America/Denver', '2022-11-30T07:00:00Z'],
    ['America/Coyhaique', 'America/Punta_Arenas', '2025-03-20T03:00:00Z'],
  ])('writes %s as %s, whose wall time is the same every hour since %s', (zone, spelled, since) => {
    expect(athenaTimeZone(zone)).toBe(spelled);
    // What the config and the command line give: the query never sees the old spelling otherwise.
    expect(canonicalTimeZone(zone)).toBe(zone);
    const until = Date.parse('2027-12-31T00:00:00Z');
    // Every hour compared, the ones that differ listed: one assertion, not one per hour (~7,000
    // per zone, whose bookkeeping cost as much as the comparisons).
    const differ: string[] = [];
    for (let t = Date.parse(since); t < until; t += 7 * HOUR_MS) {
      if (wallTimeOf(t, spelled) !== wallTimeOf(t, zone)) differ.push(new Date(t).toISOString());
    }
    expect(differ).toEqual([]);
  });

  it('leaves every other zone as it is', () => {
    for (const zone of ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata']) {
      expect(athenaTimeZone(zone)).toBe(zone);
    }
  });
});
