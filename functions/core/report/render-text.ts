/**
 * The plain-text alternative of the report: the same sections as the HTML, as aligned columns
 * that read well in a fixed-width font, without the HTML's bars: a bar of 30 `#` and `.` is 30
 * tokens to a screen reader and a ragged smear in a proportional font, and the figures beside it
 * say the same. Domo strings are flattened to one line each; the sentences are wrapped to the
 * mail's text width (text-prose.ts), the tables to its line width (text-columns.ts). Each section's
 * lines come from a text-*.ts file of its own, named as the HTML part's html-*.ts where they match.
 */

import { clipToWidth } from '../display-width.ts';
import { geoCredit } from '../geo/geo-credit.ts';
import type { ForMail } from '../mail/mail-links.ts';
import { RENDER_LIMITS, type RenderLimits } from '../mail/render-limits.ts';
import { CODE_VERSION } from '../version.ts';
import { oneLine } from './flat-text.ts';
import { reportForMail } from './report-for-mail.ts';
import { type WeeklyReportModel, weekInProgress } from './report-model.ts';
import { attentionLines } from './text-attention.ts';
import { bulkMovementLines } from './text-bulk-movement.ts';
import { dailyLines } from './text-daily-activity.ts';
import { healthLines } from './text-data-health.ts';
import { failedLines } from './text-failed-logins.ts';
import { totals } from './text-headline-boxes.ts';
import { loginsAfterFailuresLines } from './text-logins-after-failures.ts';
import { countryLines } from './text-logins-by-country.ts';
import { privilegedChangesLines } from './text-privileged-changes.ts';
import { prose } from './text-prose.ts';
import { suspiciousLines } from './text-suspicious-logins.ts';
import { cardLines, topPagesLines, topUsersLines } from './text-top-lists.ts';
import { formatDayRange, formatLocalTime } from './time-format.ts';
import { weekSummary } from './week-summary.ts';

/**
 * Renders the report as plain text (the mail's text/plain part and `report.txt`), with the list
 * caps and clip lengths of `limits` (the HTML's, so both parts show the same rows).
 */
export function renderText(domoModel: WeeklyReportModel, limits: RenderLimits = RENDER_LIMITS): string {
  return renderMailText(reportForMail(domoModel), limits);
}

/** {@link renderText} of a model defanged already ({@link reportForMail}), as {@link renderReport} has it. */
export function renderMailText(
  model: ForMail<WeeklyReportModel>,
  limits: RenderLimits = RENDER_LIMITS,
): string {
  const zone = model.timeZone;
  // A time that is not a lake timestamp is shown as it came: flattened and clipped like an id.
  const when = (ts: string | null) => (ts ? clipToWidth(oneLine(formatLocalTime(ts, zone)), limits.id) : '-');
  const lines: string[] = [
    ...prose(
      `${model.correctionOf ? 'Correction: ' : ''}Domo activity ${model.week.isoWeek}, instance ${model.instance}${
        weekInProgress(model) ? ' (preview: week in progress)' : ''
      }`,
    ),
    ...prose(`${formatDayRange(model.week.days)}, times in ${zone}`),
  ];
  for (const note of model.notes) lines.push('', ...prose(`NOTE: ${note}`));
  const summary = weekSummary(model, limits);
  if (summary !== undefined) lines.push('', ...prose(summary));
  lines.push(...attentionLines(model, limits));
  lines.push(...totals(model));
  lines.push(...dailyLines(model));
  lines.push(...suspiciousLines(model, limits, when));
  lines.push(...loginsAfterFailuresLines(model, limits, when));
  lines.push(...privilegedChangesLines(model, limits, when));
  lines.push(...bulkMovementLines(model, limits, when));
  if (model.loginsByCountry !== undefined) lines.push(...countryLines(model, limits));
  lines.push(...failedLines(model, limits, when));
  lines.push(...topUsersLines(model, limits));
  lines.push(...cardLines(model, limits));
  lines.push(...topPagesLines(model, limits));
  lines.push(...healthLines(model, when));
  lines.push(
    '',
    ...prose(
      `Generated ${formatLocalTime(model.generatedAt.replace('T', ' ').replace('Z', ''), zone)} (${zone}) by domo-activity-lake ${CODE_VERSION}.`,
    ),
    ...prose(geoCredit(model.geoDbVersions ?? [])),
    '',
  );
  return lines.join('\n');
}
