import { errorMessage } from '../core/error-message.ts';
import { REPORT_DEFAULTS, REPORT_QUERY_COUNT } from '../core/report/build-report-model.ts';
import { MIN_QUERY_TIME_LIMIT_MS, queryTimeLimitMs } from '../core/report/query-time-limit.ts';
import { ReportPreviewError, ReportSendError, ReportTimeError } from '../core/report/report-errors.ts';
import { MIN_TIME_TO_SEND_MS } from '../core/report/send-weekly-report.ts';
import type { WeeklyReportFailure } from '../core/report/send-weekly-reports.ts';
import { ReportCorrectionError } from '../core/report/week-correction.ts';
import { MINUTE_MS } from '../core/time-units.ts';

/**
 * The invocation that sends one instance's week. A run without a week reports the last full one,
 * so the schedule's next run never sends a week that failed: only this does.
 */
const invocation = (week: { instance: string; isoWeek: string }, resend = false): string =>
  `invoke the report function with ${JSON.stringify({ week: week.isoWeek, instance: week.instance, ...(resend ? { resend: true } : {}) })}`;

const RAISE_TIMEOUT = 'raise report.timeoutMinutes in cdk.json if this recurs';

/** Lambda's longest function timeout: `report.timeoutMinutes` goes no higher. */
const LAMBDA_MAX_TIMEOUT_MINUTES = 15;

/**
 * What each report query may wait in a function of `timeoutMinutes`: the share the report gives it
 * of a whole invocation's time (a little more than it gets, the run's first seconds being spent).
 */
export const reportQueryLimitSeconds = (timeoutMinutes: number): number =>
  Math.floor(
    (queryTimeLimitMs({
      timeLeftMs: timeoutMinutes * MINUTE_MS,
      reserveMs: MIN_TIME_TO_SEND_MS,
      queries: REPORT_QUERY_COUNT,
      concurrency: REPORT_DEFAULTS.concurrency,
    }) ?? MIN_QUERY_TIME_LIMIT_MS) / 1000,
  );

const WAVES = Math.ceil(REPORT_QUERY_COUNT / REPORT_DEFAULTS.concurrency);

const TIME_IT =
  "time it with the command line (query <name> --athena with the week's --from and --to, which waits up to 5 minutes)";

/**
 * What the error of an Athena query the report Lambda gave up at its limit tells to do (the
 * engine's `timeoutAdvice`). The command line's advice, to narrow the period, does not apply: the
 * report's period is its week. The limit follows `report.timeoutMinutes` (review R-BIG M2), so
 * that is the setting named, unless it cannot help: `timeoutMinutes`, the function's timeout, is
 * already Lambda's longest, or, when it is not known, the limit is already as long as that gives.
 * The limit alone does not tell: instances sharing one invocation's time (an event `{}`) get
 * shorter ones at any timeout (review R-CONFIG2 L7). The message then ends with the invocation that
 * sends the week ({@link reportFailureMessage}), which this leads into.
 */
export const reportTimeoutAdvice = (limitSeconds: number, timeoutMinutes?: number): string => {
  const most = reportQueryLimitSeconds(LAMBDA_MAX_TIMEOUT_MINUTES);
  const share = `each query may wait the function's time less the ${MIN_TIME_TO_SEND_MS / 1000} s mailing needs, shared among the report's ${WAVES} waves of queries (${REPORT_QUERY_COUNT}, ${REPORT_DEFAULTS.concurrency} at a time), and at least ${MIN_QUERY_TIME_LIMIT_MS / 1000} s`;
  // A few seconds of slack: the run's first requests come out of the same time.
  const raisable =
    timeoutMinutes === undefined ? limitSeconds < most - 10 : timeoutMinutes < LAMBDA_MAX_TIMEOUT_MINUTES;
  const raise = raisable
    ? `If a query regularly needs more than ${limitSeconds} s, raise report.timeoutMinutes in cdk.json (up to ${LAMBDA_MAX_TIMEOUT_MINUTES}, about ${most} s a query) and deploy: ${share}. To see how long it takes, ${TIME_IT}`
    : `report.timeoutMinutes is at Lambda's most (${LAMBDA_MAX_TIMEOUT_MINUTES} minutes): ${share}. If a query regularly needs longer, ${TIME_IT}, and make that week's report with the command line (report --athena --week, each query waiting up to 5 minutes; it writes the mail as report.eml)`;
  return `${raise}. Otherwise Athena was busy; once it is less busy, send the week again`;
};

/**
 * An instance's failure as the report Lambda words it: the core says what happened, this adds what
 * an operator of the deployed function does about it (the cdk.json key, the invocation event).
 * Every message ends with the invocation that sends the week (an event without a week means
 * another week by the time someone reads it), but one whose week another run took over: that one
 * sends it. A preview is no week to send: its message says so, and names the invocation that
 * mails the preview again, and until when it does.
 */
export const reportFailureMessage = (failure: WeeklyReportFailure): string =>
  // A correction's message says who sends it (the next run, or nobody until its marker is looked
  // at): the invocation of its week would find the week sent, and send nothing.
  failure.error instanceof ReportCorrectionError ? failure.error.message : weekFailureMessage(failure);

function weekFailureMessage(failure: WeeklyReportFailure): string {
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
