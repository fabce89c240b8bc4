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
import { asideLine, emptyLine, moreLine, sectionBody, sectionTitle, warnLine } from './html-section.ts';
import { BAD, FONT, INK, MUTED, RULE, WRAP } from './html-style.ts';
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
  const rows = shown.map(
    (
      s,
      i,
    ) => `<tr><td style="${FONT}font-size:13px;color:${INK};padding:6px 0;border-bottom:1px solid ${RULE};${WRAP}">
<b>${when(s.eventTime, model.timeZone)}</b>&nbsp;
${users[i] ?? ''}&nbsp;
<span style="background-color:#fdecea;color:${BAD};font-size:12px;font-weight:bold;padding:1px 4px;white-space:nowrap;">${esc(
      clip(reasonLabel(s.reason), limits.id),
    )}</span><br>
<span style="font-size:12px;color:${MUTED};">IP ${esc(clip(s.ipAddress ?? '-', limits.id))}${
      s.network ? `\n(${esc(clip(s.network, limits.id))})` : ''
    }${placeLabel(s) ? `\n&middot; ${esc(clip(placeLabel(s), limits.evidence))}` : ''}${
      s.evidence ? `\n<br>${esc(clip(s.evidence, limits.evidence))}` : ''
    }${many[i] ? `\n<br>${esc(many[i])}` : ''}</span></td></tr>`,
  );
  const alerts = securityAlertsSentence(model);
  return (
    sectionTitle(
      `Suspicious logins (${suspiciousTitleCount(model)})`,
      'suspicious',
      `Logins from a country or network owner the user had not used in the previous ${formatCount(model.loginHistory?.historyDays ?? 30)} days, journeys faster than 1,000 km/h between two countries, or at an hour they rarely log in.`,
    ) +
    sectionBody(
      (none && caveats.length === 0
        ? emptyLine(noneThisWeek(model, 'No suspicious logins this week.'))
        : caveats.join('') +
          (order && rows.length > 0 ? asideLine(order) : '') +
          rows.join('\n') +
          moreLine(more, what, 5, archivedFindings(model, archivedRows)) +
          digLineRows(digLine(model, limits, 'suspicious'))) + (alerts ? asideLine(alerts) : ''),
    )
  );
}
