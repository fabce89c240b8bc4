/**
 * The mail's preheader: the first text of the body, which inbox lists show under the subject
 * (iOS Mail, Gmail, Outlook). Without it they showed the header's "Domo activity, 2026-W48 Instance
 * main · Mon 23 Nov to ...", which repeats the subject (review R-CISO M3). Hidden in every
 * client that renders the mail (`display:none`, and `mso-hide:all` for Outlook's Word engine),
 * with a zero height and overflow hidden for clients that drop `display:none` (no tiny font: the
 * mails keep every text at 12 px or more).
 */
import { esc } from '../mail/html-escape.ts';
import type { RenderLimits } from '../mail/render-limits.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { weekSummary } from './week-summary.ts';

const HIDDEN = 'display:none;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;';

/** The "This week:" line as a hidden preheader; nothing for a week with no data (no such line). */
export function preheader(model: WeeklyReportModel, limits: RenderLimits): string {
  const summary = weekSummary(model, limits);
  return summary === undefined ? '' : `<div style="${HIDDEN}">${esc(summary)}</div>\n`;
}
