import { describe, expect, it } from 'vitest';
import { ReportSendError } from '../../functions/core/report/report-errors.ts';
import { reportFailureMessage } from '../../functions/report/failure-message.ts';

describe('reportFailureMessage', () => {
  const week = { instance: 'acme', isoWeek: '2026-W47' };

  it('offers the resend invocation only when nobody knows whether the mail went out', () => {
    expect(
      reportFailureMessage(new ReportSendError('delivery of acme 2026-W47 is unknown', 'unknown', week)),
    ).toBe(
      'delivery of acme 2026-W47 is unknown, and to send it again invoke the report with {"week":"2026-W47","resend":true}',
    );
    // A refused mail is marked failed: the next run sends it by itself, so no resend is offered.
    expect(reportFailureMessage(new ReportSendError('the mail service refused it', 'failed', week))).toBe(
      'the mail service refused it',
    );
  });
});
