/**
 * The suspicious-logins section of the report's HTML: a row a login (time, user, reason, address,
 * place, evidence), the lines that say which logins could not be judged, and the note on security
 * alerts.
 */

import { clip } from '../mail/clip.ts';
import { esc } from '../mail/html-escape.ts';
import { capped, type RenderLimits } from '../mail/render-limits.ts';
import { archivedFindings } from './archived-findings.ts';
import { noneThisWeek } from './comparable-weeks.ts';
import { digLine } from './dig-into-user.ts';
import { suspiciousCaveats } from './health-sentences.ts';
import { names, when } from './html-cell-text.ts';
import { digLineRows } from './html-dig-line.ts';
import { findingTable } from './html-finding-table.ts';
import { asideLine, emptyLine, moreLine, sectionBody, sectionTitle, warnLine } from './html-section.ts';
import { BAD, MUTED } from './html-style.ts';
import { formatCount } from './number-format.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { securityAlertsSentence } from './security-alerts-note.ts';
import { suspiciousLeftOut, suspiciousTitleCount } from './suspicious-counts.ts';
import {
  placeLabel,
  reasonLabel,
  suspiciousOrderSentence,
  userReasonFindingsLabels,
} from './suspicious-labels.ts';

/**
 * A finding's reason, red on pale red and whole on its line. Its border is transparent, the
 * background showing through, until Windows' high contrast (forced colours) drops the background
 * and draws the border in the reader's text colour: without one the badge was loose words beside
 * the name (review R-A11Y L8). A pixel less padding keeps its size.
 */
const BADGE = `background-color:#fdecea;border:1px solid transparent;color:${BAD};font-size:12px;font-weight:bold;padding:0 3px;white-space:nowrap;`;

/** A layout table of lines, or nothing for none. */
const layoutBody = (lines: string) => (lines ? sectionBody(lines) : '');

/**
 * The suspicious logins. Sign-ins never looked up were judged by the unusual-hour check only, and
 * users without enough history by none of the history checks, so a flat "none" gives way to how
 * many were not judged, and findings get those lines above them. When security alerts run on the
 * instance, a line under it all says why they can list other logins.
 */
export function suspiciousSection(model: WeeklyReportModel, limits: RenderLimits): string {
  const { shown } = capped(model.suspiciousLogins, limits.suspiciousLogins);
  const { more, what, archivedRows } = suspiciousLeftOut(model, shown.length);
  const none = model.suspiciousLogins.length === 0;
  const caveats = suspiciousCaveats(model).map((caveat, i) =>
    warnLine(none && i === 0 ? `No suspicious logins found, but ${caveat}` : caveat),
  );
  const users = names(
    shown.map((s) => ({ name: s.userName, id: s.userId })),
    'user',
    limits,
  );
  const many = userReasonFindingsLabels(shown);
  const order = suspiciousOrderSentence(model);
  const rows = shown.map((s, i) => ({
    timeHtml: when(s.eventTime, model.timeZone),
    html: `${users[i] ?? ''}&nbsp;
<span style="${BADGE}">${esc(clip(reasonLabel(s.reason), limits.id))}</span><br>
<span style="font-size:12px;color:${MUTED};">IP ${esc(clip(s.ipAddress ?? '-', limits.id))}${
      s.network ? `\n(${esc(clip(s.network, limits.id))})` : ''
    }${placeLabel(s) ? `\n&middot; ${esc(clip(placeLabel(s), limits.evidence))}` : ''}${
      s.evidence ? `\n<br>${esc(clip(s.evidence, limits.evidence))}` : ''
    }${many[i] ? `\n<br>${esc(many[i])}` : ''}</span>`,
  }));
  const alerts = securityAlertsSentence(model);
  const aside = alerts ? asideLine(alerts) : '';
  return (
    sectionTitle(
      `Suspicious logins (${suspiciousTitleCount(model)})`,
      'suspicious',
      `Logins from a country or network owner the user had not used in the previous ${formatCount(model.loginHistory?.historyDays ?? 30)} days, journeys faster than 1,000 km/h between two countries, or at an hour they rarely log in.`,
    ) +
    (none && caveats.length === 0
      ? sectionBody(emptyLine(noneThisWeek(model, 'No suspicious logins this week.')) + aside)
      : layoutBody(caveats.join('') + (order && rows.length > 0 ? asideLine(order) : '')) +
        (rows.length > 0 ? findingTable('suspicious', ['Time', 'Login and evidence'], rows) : '') +
        layoutBody(
          moreLine(more, what, 1, archivedFindings(model, archivedRows)) +
            digLineRows(digLine(model, limits, 'suspicious')) +
            aside,
        ))
  );
}
