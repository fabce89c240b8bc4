/**
 * The report as an email-safe HTML body: a fluid table layout (100% wide up to 600 px) with inline
 * styles and `bgcolor` attributes (what Gmail and Outlook's Word engine both honour), no scripts,
 * no SVG, no images and no external resources. Outlook for Windows ignores `max-width`, so it gets
 * a fixed 600 px "ghost" table in conditional comments (outlook-column.ts, shared with the alerts
 * mail). On a phone the headline boxes stack into one column (one media query; clients without it
 * show them side by side, wrapping), and long
 * Domo strings wrap instead of widening the page. Bars are table cells whose width is the value's
 * share of the largest one. Every piece of text goes through {@link esc}.
 */
import { geoCreditHtml } from '../geo/geo-credit.ts';
import { contentStart } from '../mail/content-start.ts';
import { esc } from '../mail/html-escape.ts';
import type { ForMail } from '../mail/mail-links.ts';
import { OUTLOOK_COLUMN_END, outlookColumnStart } from '../mail/outlook-column.ts';
import { RENDER_LIMITS, type RenderLimits } from '../mail/render-limits.ts';
import { CODE_VERSION } from '../version.ts';
import { attentionSection } from './html-attention.ts';
import { bulkMovementSection } from './html-bulk-movement.ts';
import { dailySection } from './html-daily-activity.ts';
import { healthRow } from './html-data-health.ts';
import { failedSection } from './html-failed-logins.ts';
import { totalsRow } from './html-headline-boxes.ts';
import { loginsAfterFailuresSection } from './html-logins-after-failures.ts';
import { countrySection } from './html-logins-by-country.ts';
import { preheader } from './html-preheader.ts';
import { privilegedChangesSection } from './html-privileged-changes.ts';
import { BRAND, FONT, INK, MUTED, OUTLOOK_CSS, RULE, TABLE, WIDE_CSS, WRAP } from './html-style.ts';
import { suspiciousSection } from './html-suspicious-logins.ts';
import { cardsSection, topPagesSection, topUsersSection } from './html-top-lists.ts';
import { reportForMail } from './report-for-mail.ts';
import { type WeeklyReportModel, weekInProgress } from './report-model.ts';
import { formatDayRange, formatLocalTime } from './time-format.ts';

function notesRow(notes: readonly string[]): string {
  if (notes.length === 0) return '';
  const lines = notes.map((note) => `<div style="padding:2px 0;">${esc(note)}</div>`).join('\n');
  return `<tr><td class="pad" style="padding:16px 12px 0;"><table ${TABLE} width="100%" style="width:100%;"><tr><td bgcolor="#fff7e0" style="background-color:#fff7e0;border-left:4px solid #e0a800;padding:10px 12px;${FONT}font-size:13px;color:${INK};${WRAP}">
${lines}</td></tr></table></td></tr>`;
}

/**
 * Renders the report as a complete HTML document for the mail's HTML part. `limits` caps the lists
 * and clips long strings; {@link renderReport} picks them so the document stays under its budget.
 */
export function renderHtml(
  domoModel: WeeklyReportModel,
  subject: string,
  limits: RenderLimits = RENDER_LIMITS,
): string {
  return renderMailHtml(reportForMail(domoModel), subject, limits);
}

/**
 * {@link renderHtml} of a model defanged already ({@link reportForMail}): {@link renderReport} defangs
 * once and renders again at each step of its size budget, where defanging the whole model again
 * (every row, also those the caps leave out) was most of each rendering's work.
 */
export function renderMailHtml(
  model: ForMail<WeeklyReportModel>,
  subject: string,
  limits: RenderLimits = RENDER_LIMITS,
): string {
  const zone = model.timeZone;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>${esc(subject)}</title>
<style>
${WIDE_CSS}
</style>
${OUTLOOK_CSS}
</head>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
${contentStart(subject)}
${preheader(model, limits)}<table ${TABLE} width="100%" bgcolor="#f3f4f6" style="width:100%;background-color:#f3f4f6;"><tr><td class="outer" align="center" style="padding:16px 0;">
${outlookColumnStart(600)}
<table ${TABLE} width="100%" bgcolor="#ffffff" style="width:100%;max-width:600px;background-color:#ffffff;">
<tr><td class="pad" bgcolor="${BRAND}" style="background-color:${BRAND};padding:20px 12px;${FONT}${WRAP}">
<h1 style="margin:0;${FONT}font-size:20px;line-height:normal;font-weight:bold;color:#ffffff;">${model.correctionOf ? 'Correction: ' : ''}Domo activity, ${esc(model.week.isoWeek)}${
    weekInProgress(model) ? ' (preview: week in progress)' : ''
  }</h1>
<div style="font-size:13px;color:#dbe4f0;padding-top:4px;">Instance ${esc(model.instance)} &middot; ${esc(
    formatDayRange(model.week.days),
  )} &middot; times in ${esc(zone)}</div>
</td></tr>
${notesRow(model.notes)}
${totalsRow(model, limits, attentionSection(model, limits))}
${dailySection(model)}
${suspiciousSection(model, limits)}
${loginsAfterFailuresSection(model, limits)}
${privilegedChangesSection(model, limits)}
${bulkMovementSection(model, limits)}
${countrySection(model, limits)}
${failedSection(model, limits)}
${topUsersSection(model, limits)}
${cardsSection(model, limits)}
${topPagesSection(model, limits)}
${healthRow(model)}
<tr><td class="pad" style="padding:16px 12px 20px;${FONT}font-size:12px;color:${MUTED};border-top:1px solid ${RULE};${WRAP}">Generated ${esc(
    formatLocalTime(model.generatedAt.replace('T', ' ').replace('Z', ''), zone),
  )} (${esc(zone)}) by domo-activity-lake ${esc(CODE_VERSION)} from the activity lake of instance ${esc(
    model.instance,
  )}.<br>${geoCreditHtml(esc, model.geoDbVersions ?? [])}</td></tr>
</table>
${OUTLOOK_COLUMN_END}
</td></tr></table>
</div>
</body>
</html>
`;
}
