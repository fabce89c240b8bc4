import { describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../functions/adapters/fs-store.ts';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { coveredHoursHeld } from '../../../functions/core/report/week-correction.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { useFixtureEngine } from '../../queries/support/fixture-engine.ts';
import { manifest } from '../../queries/support/lake-fixture.ts';

// Review STATUS4: a week mailed partial is due its correction when the coverage listing
// (coveredHoursHeld) holds more hours than the mail counted, and the correction is mailed only when
// the report's data_health counts more. Were the two to count different hours, a week would be
// found due on every run and its report made again, never mailed: a week of queries re-run daily.
// They must count the same hours, the hours cut by the week's ends in a zone of half hours and across
// a change of clocks too.

const WEEKS = [
  // Monday 00:00 in Kolkata is 18:30 UTC the day before: both ends cut a UTC hour.
  reportWeek('2026-W46', 'Asia/Kolkata'),
  // New York's clocks go back on Sunday 2026-11-01: a week of 169 hours, its ends on whole hours.
  reportWeek('2026-W44', 'America/New_York'),
];

/** Every UTC hour from two before each week to two after, but a few inside. */
function manifests() {
  const hours = new Set<number>();
  for (const week of WEEKS) {
    for (
      let ms = Math.floor(week.startMs / HOUR_MS) * HOUR_MS - 2 * HOUR_MS;
      ms < week.endMs + 2 * HOUR_MS;
      ms += HOUR_MS
    )
      hours.add(ms);
    for (const missing of [30, 31, 100])
      hours.delete(Math.floor(week.startMs / HOUR_MS) * HOUR_MS + missing * HOUR_MS);
  }
  return [...hours].map((ms) => manifest(lakeTimestamp(ms).slice(0, 16)));
}

const lake = useFixtureEngine('correction-hours-', { coverage: manifests() });

describe("the correction's coverage listing and the report's data health", () => {
  it.each(WEEKS)('count the same hours of $isoWeek ($timeZone)', async (week) => {
    const held = await coveredHoursHeld(new FsObjectStore(lake.dir), 'default', week);
    const model = await buildReportModel(lake.engine, {
      instance: 'default',
      run: { week, nowMs: week.endMs + 8 * HOUR_MS, preview: false },
    });
    expect(held).toBe(model.health.coveredHours);
    // Not every manifest listed: the hours before and after the week are no hour of it.
    expect(held).toBe(model.health.expectedHours - 3);
  });
});
