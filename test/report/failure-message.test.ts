import { describe, expect, it } from 'vitest';
import { ReportSendError, ReportTimeError } from '../../functions/core/report/report-errors.ts';
import { reportFailureMessage } from '../../functions/report/failure-message.ts';

/** The failure sendWeeklyReports records for a typed error: its week, asked for as the error says. */
const message = (error: ReportSendError | ReportTimeError) =>
  reportFailureMessage({
    ...error.week,
    resend: error instanceof ReportTimeError && error.resend,
    error,
  });

describe('reportFailureMessage', () => {
  const week = { instance: 'acme', isoWeek: '2026-W47' };

  // A scheduled {} run retried after the next Monday with {} would report another week.
  it('names the week and its invocation for any other error, as the run was asked for it', () => {
    const throttled = new Error(
      'Athena StartQueryExecution of query period_totals failed: TooManyRequestsException: Rate exceeded',
    );
    expect(reportFailureMessage({ ...week, resend: false, error: throttled })).toBe(
      'Athena StartQueryExecution of query period_totals failed: TooManyRequestsException: Rate exceeded: invoke the report function with {"week":"2026-W47","instance":"acme"}',
    );
    expect(reportFailureMessage({ ...week, resend: true, error: throttled })).toMatch(
      /: invoke the report function with \{"week":"2026-W47","instance":"acme","resend":true\}$/,
    );
  });

  it('offers the resend invocation of the instance when nobody knows whether the mail went out', () => {
    expect(
      message(new ReportSendError('delivery of acme 2026-W47 is unknown', 'unknown', week, 'mail')),
    ).toBe(
      'delivery of acme 2026-W47 is unknown, and to send it again invoke the report function with {"week":"2026-W47","instance":"acme","resend":true}',
    );
  });

  it('offers the resend invocation when nothing was mailed but the marker may still say sending', () => {
    expect(message(new ReportSendError('not sent; only a resend sends it', 'sending', week, 'claim'))).toBe(
      'not sent; only a resend sends it: invoke the report function with {"week":"2026-W47","instance":"acme","resend":true}',
    );
  });

  it('names the resend when a resend ran out of time: a plain run would skip the week it was taking over', () => {
    expect(message(new ReportTimeError('queries stopped', 'queries', 20_000, 30_000, week, true))).toBe(
      'queries stopped: invoke the report function with {"week":"2026-W47","instance":"acme","resend":true}; raise report.timeoutMinutes in cdk.json if this recurs',
    );
    expect(message(new ReportTimeError('not started', 'start', 30_000, 60_000, week, true))).toBe(
      'not started: only 30 s of the function\'s time were left; to send it, invoke the report function with {"week":"2026-W47","instance":"acme","resend":true}, and raise report.timeoutMinutes in cdk.json',
    );
  });

  // The schedule sends {}, which means the last full week: once that has moved on, the failed week
  // goes out only if someone asks for it, so every message names the invocation that does.
  it('names the invocation that sends a week nothing was mailed for', () => {
    expect(
      message(
        new ReportSendError(
          'refused; fix the cause, then a run for this week sends it',
          'failed',
          week,
          'mail',
        ),
      ),
    ).toBe(
      'refused; fix the cause, then a run for this week sends it: invoke the report function with {"week":"2026-W47","instance":"acme"}',
    );
    expect(
      message(
        new ReportTimeError('not sent: only 20 s were left', 'claim', 20_000, 30_000, {
          instance: 'globex',
          isoWeek: '2026-W45',
        }),
      ),
    ).toBe(
      'not sent: only 20 s were left: invoke the report function with {"week":"2026-W45","instance":"globex"}; raise report.timeoutMinutes in cdk.json if this recurs',
    );
    expect(message(new ReportTimeError('not started', 'start', 30_000, 60_000, week))).toBe(
      'not started: only 30 s of the function\'s time were left; to send it, invoke the report function with {"week":"2026-W47","instance":"acme"}, and raise report.timeoutMinutes in cdk.json',
    );
  });
});
