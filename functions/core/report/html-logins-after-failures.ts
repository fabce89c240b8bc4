/**
 * The sign-ins-after-failed-logins section of the report's HTML: a row a sign-in (time, user,
 * address, the run of failures before it), in the suspicious logins' table (html-finding-table.ts).
 */

import { clip } from '../mail/clip.ts';
import { esc } from '../mail/html-escape.ts';
import { capped, type RenderLimits } from '../mail/render-limits.ts';
import { noneThisWeek } from './comparable-weeks.ts';
import { names, when } from './html-cell-text.ts';
import { findingTable } from './html-finding-table.ts';
import { asideLine, emptyLine, sectionBody, sectionTitle } from './html-section.ts';
import { BAD, MUTED } from './html-style.ts';
import {
  LOGINS_AFTER_FAILURES_HEADING,
  LOGINS_AFTER_FAILURES_ORDER,
  loginAfterFailuresFigures,
  loginsAfterFailuresCaption,
  loginsAfterFailuresListed,
  loginsAfterFailuresTotal,
  NO_LOGINS_AFTER_FAILURES,
  userRowsLabel,
} from './login-after-failures-figures.ts';
import { formatCount } from './number-format.ts';
import type { WeeklyReportModel } from './report-model.ts';

/**
 * The week's sign-ins after a run of failed logins; nothing for a model archived before they were
 * read. The list shares the suspicious logins' cap: both are security lists, kept longest when the
 * mail is over its budget.
 */
export function loginsAfterFailuresSection(model: WeeklyReportModel, limits: RenderLimits): string {
  if (model.loginsAfterFailures === undefined) return '';
  const { shown } = capped(model.loginsAfterFailures, limits.suspiciousLogins);
  const total = loginsAfterFailuresTotal(model);
  const users = names(
    shown.map((s) => ({ name: s.userName, id: s.userId })),
    'user',
    limits,
  );
  const rows = shown.map((s, i) => {
    const many = userRowsLabel(s);
    return {
      timeHtml: when(s.eventTime, model.timeZone),
      html: `${users[i] ?? ''}<br>
<span style="font-size:12px;color:${MUTED};">IP ${esc(clip(s.ipAddress ?? '-', limits.id))}</span>
<br><span style="font-size:12px;color:${BAD};">${esc(clip(loginAfterFailuresFigures(s, model.timeZone), limits.evidence))}</span>${
        many ? `\n<br><span style="font-size:12px;color:${MUTED};">${esc(many)}</span>` : ''
      }`,
    };
  });
  const listed = loginsAfterFailuresListed(model, shown.length);
  return (
    sectionTitle(
      `${LOGINS_AFTER_FAILURES_HEADING} (${formatCount(total)})`,
      'afterfailures',
      loginsAfterFailuresCaption(model),
    ) +
    (total === 0
      ? sectionBody(emptyLine(noneThisWeek(model, NO_LOGINS_AFTER_FAILURES)))
      : (rows.length > 0
          ? findingTable('afterfailures', ['Time', 'Sign-in and failures before it'], rows)
          : '') + (listed ? sectionBody(asideLine(`${listed}: ${LOGINS_AFTER_FAILURES_ORDER}.`)) : ''))
  );
}
