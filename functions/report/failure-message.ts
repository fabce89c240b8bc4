import { errorMessage } from '../core/error-message.ts';
import { ReportSendError, ReportTimeError } from '../core/report/report-errors.ts';

/**
 * An instance's failure as the report Lambda words it: the core says what happened, this adds what
 * an operator of the deployed function does about it (the cdk.json key, the invocation event).
 */
export function reportFailureMessage(error: unknown): string {
  if (error instanceof ReportTimeError) {
    return error.stage === 'start'
      ? `not started: only ${Math.round(error.remainingMs / 1000)} s of the function's time were left; raise report.timeoutMinutes in cdk.json`
      : `${error.message}; raise report.timeoutMinutes in cdk.json if this recurs`;
  }
  if (error instanceof ReportSendError && error.markerState === 'unknown') {
    return `${error.message}, and to send it again invoke the report with ${JSON.stringify({ week: error.week.isoWeek, resend: true })}`;
  }
  return errorMessage(error);
}
