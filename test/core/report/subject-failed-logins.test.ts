/**
 * A credential-stuffing week's subject named its lockout and not its 1,000,009 failed logins, and
 * a large change read `+15000350%` beside counts with grouping (review R-REPORT H1, notes).
 */
import { describe, expect, it } from 'vitest';
import { renderText } from '../../../functions/core/report/render-text.ts';
import { formatPct } from '../../../functions/core/report/report-format.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { reportSubject, SUBJECT_FAILED_LOGINS } from '../../../functions/core/report/report-subject.ts';
import { sampleModel } from './model-fixture.ts';

const change = (current: number, previous: number) => ({
  current,
  previous,
  delta: current - previous,
  pct: previous === 0 ? null : Math.round((1000 * (current - previous)) / previous) / 10,
});

const withFailures = (failed: number, logins: number): WeeklyReportModel => {
  const model = sampleModel();
  return {
    ...model,
    totals: {
      ...model.totals,
      events: change(1_000_393, 383),
      logins: change(logins, 300),
      failedLogins: change(failed, 2),
    },
  };
};

describe('the subject of a week whose failed logins are its story', () => {
  it('names them right after the events when they outnumber the logins', () => {
    expect(reportSubject(withFailures(1_000_009, 304))).toBe(
      'Domo activity 2026-W47 (acme): 1,000,393 events (+261,099%), 1,000,009 failed logins, 1 suspicious login, 1 lockout',
    );
  });

  it('leaves them out when fewer than the logins, or a handful', () => {
    expect(reportSubject(withFailures(300, 304))).not.toContain('failed login');
    expect(reportSubject(withFailures(SUBJECT_FAILED_LOGINS - 1, 3))).not.toContain('failed login');
    expect(reportSubject(withFailures(SUBJECT_FAILED_LOGINS, 3))).toContain(', 50 failed logins, ');
  });
});

describe('a large change', () => {
  it('has digit grouping like the counts, in the mail too', () => {
    expect(formatPct(15_000_350)).toBe('+15,000,350%');
    expect(formatPct(-99.96)).toBe('-99.9%');
    expect(formatPct(1234.4)).toBe('+1,234%');
    expect(renderText(withFailures(300_009, 304))).toContain('+15,000,350%');
  });
});
