import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/config/config-error.ts';
import { parseActivityLakeConfig } from '../../infra/config.ts';
import { cronFiresFrom, cronLastYear } from '../../infra/schedule-gaps.ts';
import { DEPLOYABLE_CONFIG } from './synth-helpers.ts';

// A year field naming only past years is a schedule EventBridge Scheduler takes and never fires:
// the weekly reports, or the ingest, stop for good with no error and (for the report) no alarm.

const NOW = new Date('2026-12-02T12:00:00Z');

/** The problems synth reports for `overrides`, read on `now`; [] when the config is accepted. */
function problemsOf(overrides: Record<string, unknown>, now = NOW): string[] {
  try {
    parseActivityLakeConfig({ ...DEPLOYABLE_CONFIG, ...overrides }, now);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.problems];
  }
}

const report = (schedule: string) => ({
  report: { enabled: true, sender: 'r@acme-co.com', recipients: ['a@acme-co.com'], schedule },
});
const ingest = (schedule: string) => ({
  ingest: { ...(DEPLOYABLE_CONFIG.ingest as Record<string, unknown>), schedule },
});

describe('a schedule whose year field names no year from this one on', () => {
  it('is refused for the report, saying it never fires again and how to fix it', () => {
    expect(problemsOf(report('cron(0 7 ? * MON 2020-2025)'))).toEqual([
      'activityLake.report.schedule: never fires again (year field "2020-2025" names no year from 2026 on, the last is 2025): EventBridge Scheduler accepts it but runs it no more, so no weekly report is mailed again, and no alarm says so. Name this year or later in the year field, or "*" for every year, e.g. "cron(0 7 ? * MON *)" (got "cron(0 7 ? * MON 2020-2025)")',
    ]);
    expect(problemsOf(report('cron(0 7 ? * MON 2025)'))).toEqual([
      expect.stringMatching(/^activityLake\.report\.schedule: never fires again \(year field "2025"/),
    ]);
  });

  it('is refused for the ingest, alone (not as a schedule that skips days)', () => {
    expect(problemsOf(ingest('cron(0/15 * * * ? 2020-2025)'))).toEqual([
      expect.stringMatching(
        /^activityLake\.ingest\.schedule: never fires again \(year field "2020-2025" names no year from 2026 on, the last is 2025\): .*so no ingest run starts again and the lake stops filling\. .*e\.g\. "cron\(0\/15 \* \* \* \? \*\)"/,
      ),
    ]);
  });

  // The fields are the cron's as Scheduler reads them, whatever the spaces around and between them.
  it('names the year field and the fixed schedule from the fields, however spaced', () => {
    expect(problemsOf(report('cron( 0  7 ? *\tMON 2020-2025 )'))).toEqual([
      expect.stringMatching(
        /^activityLake\.report\.schedule: never fires again \(year field "2020-2025" names no year from 2026 on, the last is 2025\): .*e\.g\. "cron\(0 7 \? \* MON \*\)" \(got /,
      ),
    ]);
  });

  it('keeps a field naming this year or a later one, read from the config\'s "now"', () => {
    expect(problemsOf(report('cron(0 7 ? * MON 2020-2026)'))).toEqual([]);
    expect(problemsOf(report('cron(0 7 ? * MON 2020-2025)'), new Date('2025-06-02T12:00:00Z'))).toEqual([]);
    // A range written backwards wraps round, as in Quartz: 2040-2199, then 1970-2030.
    expect(cronLastYear('cron(0 7 ? * MON 2040-2030)')).toBe(2199);
    expect(cronLastYear('cron(0 7 ? * MON 2020/2)')).toBe(2198);
    expect(cronLastYear('rate(1 day)')).toBeUndefined();
  });
});

// A field naming this year as its last passed even after the year's last firing day (a re-review).
describe('a schedule whose last year is this one', () => {
  it('is refused once its last firing day is past, and kept while one is still to come', () => {
    expect(problemsOf(report('cron(0 7 ? * MON 2026)'), new Date('2026-12-30T12:00:00Z'))).toEqual([
      expect.stringMatching(
        /^activityLake\.report\.schedule: never fires again \(its last firing day of 2026, the last year its year field "2026" names, is past\): .*Name a later year in the year field/,
      ),
    ]);
    // Monday 28 December: it fires that very day. On the 29th the 28th still counts (a zone behind UTC).
    expect(problemsOf(report('cron(0 7 ? * MON 2026)'), new Date('2026-12-28T12:00:00Z'))).toEqual([]);
    expect(problemsOf(report('cron(0 7 ? * MON 2026)'))).toEqual([]);
  });

  it('is refused once for the ingest, not also as too seldom for the no-successful-run alarm', () => {
    expect(problemsOf(ingest('cron(0 7 1 1 ? 2026)'))).toEqual([
      expect.stringMatching(
        /^activityLake\.ingest\.schedule: never fires again \(its last firing day of 2026/,
      ),
    ]);
  });

  it('reads the rest of the year day by day, leniently for forms it cannot place', () => {
    const dec2 = new Date('2026-12-02T12:00:00Z');
    expect(cronFiresFrom('cron(0 7 1 JAN ? 2026)', dec2)).toBe(false);
    expect(cronFiresFrom('cron(0 7 L * ? 2026)', dec2)).toBe(true);
    expect(cronFiresFrom('cron(0 7 ? * 2#1 2026)', dec2)).toBe(true);
    expect(cronFiresFrom('cron(0 7 1 JAN ? 2027)', dec2)).toBe(true);
    expect(cronFiresFrom('cron(0 7 1 JAN ? 2025)', dec2)).toBe(false);
    // The day before `from` counts: in a zone behind UTC, 1 December may still be today.
    expect(cronFiresFrom('cron(0 7 1 DEC ? 2026)', dec2)).toBe(true);
    expect(cronFiresFrom('rate(1 day)', dec2)).toBeUndefined();
  });
});

// The ingest's gap reading took a year field short of 1970-2199 as skipping days: a range from this
// year on was refused as firing 1455 minutes apart, though the report's checks took it as every year.
describe('an ingest schedule whose year field covers the coming years', () => {
  it('is read as firing every day, from the year of the config\'s "now"', () => {
    expect(problemsOf(ingest('cron(0/15 * * * ? 2026-2199)'))).toEqual([]);
    expect(problemsOf(ingest('cron(0/15 * * * ? 2030-2199)'), new Date('2030-06-03T12:00:00Z'))).toEqual([]);
    expect(problemsOf(ingest('cron(0/15 * * * ? 2027-2199)'))).toEqual([
      expect.stringMatching(/^activityLake\.ingest\.schedule: fires only on some days \(year "2027-2199"\)/),
    ]);
  });
});
