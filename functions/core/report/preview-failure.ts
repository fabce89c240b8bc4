import { errorMessage } from '../error-message.ts';
import { lakeTimestamp } from '../lake/layout.ts';
import type { ReportWeek } from './iso-week.ts';
import { ReportPreviewError } from './report-errors.ts';
import { formatLocalTime } from './time-format.ts';

/**
 * Whatever stopped the preview of a week not over yet (a query, the time left, the mail), worded as
 * a preview's failure. Worded as a week's, it would name the run that sends the week: once the
 * week is over that run claims it, perhaps before the ingest has its last hours, and asked as a
 * resend it mails again a week the schedule has sent.
 */
export function previewFailure(
  week: ReportWeek,
  instance: string,
  cause: unknown,
  stage: 'build' | 'mail',
  mailed: 'no' | 'unknown' = 'no',
): ReportPreviewError {
  const endsAt = `${formatLocalTime(lakeTimestamp(week.endMs), week.timeZone)} ${week.timeZone}`;
  const preview = `the preview of the weekly report ${week.isoWeek} of ${instance} (a week not over yet: it ends ${endsAt})`;
  return new ReportPreviewError(
    mailed === 'no'
      ? `${preview} could not be mailed: ${errorMessage(cause)}`
      : `${preview} may have been mailed: sending it failed in a way that does not tell whether it was delivered (${errorMessage(cause)})`,
    { instance, isoWeek: week.isoWeek },
    endsAt,
    mailed,
    { cause },
    stage,
  );
}
