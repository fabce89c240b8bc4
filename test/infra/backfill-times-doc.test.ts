/**
 * Helper BACKFILL (2026-12-08): the first backfill's runs and hours at a million events a day, as
 * docs/operations.md quotes them, follow from the ingest's defaults. They counted each run's whole
 * timeout as reading, where a run stops starting reads `budgetMarginSeconds` before it ends: 12-40
 * runs and 3-10 hours for 90 days, where the code's limits give 14-45 and 3½-11.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../../functions/core/time-units.ts';
import { ingestFields } from '../../infra/config/ingest-section.ts';

const flat = (text: string) => text.replace(/\s+/g, ' ');
/** The runbook's bullet on the first backfill, under the Lag alarm. */
const BACKFILL = flat(
  readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8')
    .split('- **During the first backfill**')[1]
    ?.split('\n- **')[0] ?? '',
);
const README_STEP = flat(
  readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    .split('### 5. First backfill')[1]
    ?.split('```')[0] ?? '',
);

const defaults = ingestFields.parse({});
const SCHEDULE_MS = 15 * MINUTE_MS;
/** The two paces "Cost notes" assumes: the CPU path on 1,024 MB, and Domo's paging. */
const CPU_BOUND_PER_S = 12_500;
const PAGING_BOUND_PER_S = 3_750;
const PER_DAY = 1_000_000;

const readingSeconds = defaults.timeoutMinutes * 60 - defaults.budgetMarginSeconds;
const runsFor = (days: number, perSecond: number) =>
  Math.ceil((days * PER_DAY) / (perSecond * readingSeconds));
/** Hours from the first run's start to the last run's end, runs starting every 15 minutes. */
const hoursFor = (runs: number) => ((runs - 1) * SCHEDULE_MS + defaults.timeoutMinutes * MINUTE_MS) / HOUR_MS;

describe('the first backfill at a million events a day', () => {
  it('reads 540 s a run: the timeout less the budget margin', () => {
    expect(readingSeconds).toBe(540);
    expect(BACKFILL).toContain(
      'A run reads for its 10-minute timeout less `ingest.budgetMarginSeconds` (60), 540 s',
    );
  });

  it('quotes the runs and hours of 90 days and of a year that the defaults give', () => {
    const quarter = [runsFor(90, CPU_BOUND_PER_S), runsFor(90, PAGING_BOUND_PER_S)];
    const year = [runsFor(365, CPU_BOUND_PER_S), runsFor(365, PAGING_BOUND_PER_S)];
    expect(quarter).toEqual([14, 45]);
    expect(year).toEqual([55, 181]);
    expect(quarter.map((runs) => Math.round(hoursFor(runs) * 2) / 2)).toEqual([3.5, 11]);
    expect(year.map((runs) => Math.round(hoursFor(runs)))).toEqual([14, 45]);
    expect(BACKFILL).toContain('So 14-45 runs (90 / 6.75 = 13.3, 90 / 2.03 = 44.4), 3½-11 hours');
    expect(BACKFILL).toContain('55-181 runs (365 / 6.75 = 54.1, 365 / 2.03 = 180.2), 14-45 hours');
    expect(README_STEP).toContain(
      '90 days take 14-45 runs (3½-11 hours) and a year (`backfillDays` 365) 55-181 runs',
    );
  });

  it('lets the first run reach a year back', () => {
    expect(ingestFields.parse({ backfillDays: 365 }).backfillDays).toBe(365);
  });
});
