/**
 * A credential-stuffing week's subject named its lockout and not its 1,000,009 failed logins, and
 * a large change read `+15000350%` beside counts with grouping (review R-REPORT H1, notes).
 */
import { describe, expect, it } from 'vitest';
import { formatPct } from '../../../functions/core/report/number-format.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import {
  reportSubject,
  SUBJECT_FAILED_LOGINS,
  SUBJECT_FAILED_LOGINS_ALWAYS,
} from '../../../functions/core/report/report-subject.ts';
import { sampleModel } from './model-fixture.ts';

const change = (current: number, previous: number) => ({
  current,
  previous,
  delta: current - previous,
  pct: previous === 0 ? null : Math.round((1000 * (current - previous)) / previous) / 10,
});

const withFailures = (failed: number, logins: number, failedBefore = 2): WeeklyReportModel => {
  const model = sampleModel();
  return {
    ...model,
    totals: {
      ...model.totals,
      events: change(1_000_393, 383),
      logins: change(logins, 300),
      failedLogins: change(failed, failedBefore),
    },
  };
};

describe('the subject of a week whose failed logins are its story', () => {
  it('names them after the lockouts when they outnumber the logins', () => {
    expect(reportSubject(withFailures(1_000_009, 304))).toBe(
      'Domo activity 2026-W47 (acme): 1 suspicious login, 1 lockout, 1,000,009 failed logins, 1,000,393 events (+261,099%)',
    );
  });

  it('leaves them out when fewer than the logins and as many as the week before, or a handful', () => {
    expect(reportSubject(withFailures(300, 304, 250))).not.toContain('failed login');
    expect(reportSubject(withFailures(SUBJECT_FAILED_LOGINS - 1, 3))).not.toContain('failed login');
    expect(reportSubject(withFailures(SUBJECT_FAILED_LOGINS, 3))).toContain(', 50 failed logins, ');
    // A large company's typos: many, fewer than the logins, no rise.
    expect(reportSubject(withFailures(SUBJECT_FAILED_LOGINS_ALWAYS - 1, 100_000, 900))).not.toContain(
      'failed login',
    );
  });

  // Review R-REPORT2 L3: only failures outnumbering the logins counted, so a large company's
  // stuffing week (20,000 failures beside 25,000 logins) named only the lockouts it caused.
  it('names a large company stuffing week, and its second week, though fewer than the logins', () => {
    expect(reportSubject(withFailures(20_000, 25_000, 500))).toContain(', 20,000 failed logins, ');
    expect(reportSubject(withFailures(20_000, 25_000, 20_000))).toContain(', 20,000 failed logins, ');
    expect(reportSubject(withFailures(SUBJECT_FAILED_LOGINS_ALWAYS, 100_000, 1_000))).toContain(
      ', 1,000 failed logins, ',
    );
  });

  it('names a rise to five times the week before, though fewer than the logins', () => {
    expect(reportSubject(withFailures(300, 4_000, 60))).toContain(', 300 failed logins, ');
    expect(reportSubject(withFailures(299, 4_000, 60))).not.toContain('failed login');
  });

  // Review R-SUSP2 L1: in a lake's first week, or after a gap, the week before held nothing or a
  // day of it, so any 50 typos were "5 times" it, while the same subject left the change out.
  it('names no rise on a week before the lake does not hold whole', () => {
    const weekBefore = (coveredHours: number, events: number) => (model: WeeklyReportModel) => ({
      ...model,
      previousHealth: { ...model.previousHealth, coveredHours, events },
    });
    const first = weekBefore(0, 0)(withFailures(60, 3_000, 0));
    expect(reportSubject(first)).not.toContain('failed login');
    const afterGap = weekBefore(24, 900)(withFailures(120, 6_000, 20));
    expect(reportSubject(afterGap)).not.toContain('failed login');
    // The fixed bar and failures outnumbering the logins need no week before.
    expect(reportSubject(weekBefore(0, 0)(withFailures(1_000, 50_000, 0)))).toContain(
      ', 1,000 failed logins, ',
    );
    expect(reportSubject(weekBefore(0, 0)(withFailures(60, 59, 0)))).toContain(', 60 failed logins, ');
    // The same figures against a whole week before: a rise.
    expect(reportSubject(withFailures(120, 6_000, 20))).toContain(', 120 failed logins, ');
  });
});

describe('a large change', () => {
  it('has digit grouping like the counts, in the mail too', () => {
    expect(formatPct(15_000_350)).toBe('+15,000,350%');
    expect(formatPct(-99.96)).toBe('-99.9%');
    expect(formatPct(1234.4)).toBe('+1,234%');
    // Against the week before's 2, a difference (review R-PHONE L3), grouped as the counts are.
    expect(renderText(withFailures(300_009, 304))).toContain('+300,007');
  });
});
