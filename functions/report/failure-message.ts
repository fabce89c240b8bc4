import { errorMessage } from '../core/error-message.ts';
import { ReportPreviewError, ReportSendError, ReportTimeError } from '../core/report/report-errors.ts';
import type { WeeklyReportFailure } from '../core/report/send-weekly-reports.ts';

/**
 * The invocation that sends one instance's week. A run without a week reports the last full one,
 * so the schedule's next run never sends a week that failed: only this does.
 */
const invocation = (week: { instance: string; isoWeek: string }, resend = false): string =>
  `invoke the report function with ${JSON.stringify({ week: week.isoWeek, instance: week.instance, ...(resend ? { resend: true } : {}) })}`;

const RAISE_TIMEOUT = 'raise report.timeoutMinutes in cdk.json if this recurs';

/**
 * What the error of an Athena query the report Lambda gave up at its limit tells to do (the
 * engine's `timeoutAdvice`). The command line's advice, to narrow the period, does not apply: the
 * report's period is its week. The message then ends with the invocation that sends the week
 * ({@link reportFailureMessage}), which this leads into.
 */
export const reportTimeoutAdvice = (limitSeconds: number): string =>
  `If a query regularly needs more than ${limitSeconds} s, time it with the command line (query <name> --athena with the week's --from and --to, which waits up to 5 minutes): no setting raises the function's limit, ATHENA_QUERY_TIMEOUT_MS in functions/report/handler.ts (raising it takes a deploy, and report.timeoutMinutes raised to match). Otherwise Athena was busy; once it is less busy, send the week again`;

/**
 * An instance's failure as the report Lambda words it: the core says what happened, this adds what
 * an operator of the deployed function does about it (the cdk.json key, the invocation event).
 * Every message ends with the invocation that sends the week (an event without a week means
 * another week by the time someone reads it), but one whose week another run took over: that one
 * sends it. A preview is no week to send: its message says so, and names the invocation that
 * mails the preview again, and until when it does.
 */
export function reportFailureMessage(failure: WeeklyReportFailure): string {
  const { error } = failure;
  // First: a preview's failure may have any cause, a ReportTimeError too, and is no week to send.
  if (error instanceof ReportPreviewError) {
    // Its report proper is made once it is over. Only before then does the invocation mail a
    // preview; after, it would claim the week, perhaps before the ingest has pulled its last
    // hours, where the schedule waits for them.
    const slow = error.cause instanceof ReportTimeError ? `; ${RAISE_TIMEOUT}` : '';
    const again =
      error.mailed === 'unknown'
        ? `It may have been delivered: ask a recipient first, as mailing it again may deliver it twice. If it did not arrive, to mail it again, before ${error.endsAt} ${invocation(error.week)}`
        : `To mail the preview again, before ${error.endsAt} ${invocation(error.week)}`;
    return `${error.message}; nothing needs resending: a preview is not the week's report, which is made as usual once the week is over. ${again}${slow}`;
  }
  if (error instanceof ReportTimeError) {
    return error.stage === 'start'
      ? `not started: only ${Math.round(error.remainingMs / 1000)} s of the function's time were left; to send it, ${invocation(error.week, error.resend)}, and raise report.timeoutMinutes in cdk.json`
      : `${error.message}: ${invocation(error.week, error.resend)}; ${RAISE_TIMEOUT}`;
  }
  if (error instanceof ReportSendError) {
    if (error.markerState === 'unknown')
      return `${error.message}, and to send it again ${invocation(error.week, true)}`;
    // Another run owns the week now: an invocation here could mail it twice.
    if (error.markerState === 'taken-over') return error.message;
    // Whose the week is was not read: a resend only once the marker is seen to name this run.
    if (error.markerState === 'unread')
      return `${error.message}. Once the marker shows this run's attempt: ${invocation(error.week, true)}`;
    // A marker left `sending` blocks every run but a resend.
    return `${error.message}: ${invocation(error.week, error.markerState === 'sending')}`;
  }
  // Any other error (an Athena request, reading the marker, rendering) comes before the claim:
  // nothing was claimed or mailed, so the invocation the run was asked with sends the week.
  return `${errorMessage(error)}: ${invocation(failure, failure.resend)}`;
}
