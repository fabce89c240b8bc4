import { clipToWidth } from '../display-width.ts';
import { clip } from '../mail/clip.ts';
import { capped, type RenderLimits } from '../mail/render-limits.ts';
import { archivedFindings } from './archived-findings.ts';
import { noneThisWeek } from './comparable-weeks.ts';
import { digLine } from './dig-into-user.ts';
import { oneLine } from './flat-text.ts';
import { suspiciousCaveats } from './health-sentences.ts';
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
import { digLines } from './text-dig-line.ts';
import { suspiciousHead } from './text-finding-line.ts';
import { columnNames } from './text-names.ts';
import { heading, prose } from './text-prose.ts';

/**
 * The suspicious logins, each with where it came from and its one-line explanation; when security
 * alerts run on the instance, why they can list other logins.
 */
export function suspiciousLines(
  model: WeeklyReportModel,
  limits: RenderLimits,
  when: (ts: string | null) => string,
): string[] {
  const out: string[] = [];
  out.push(...heading(`Suspicious logins (${suspiciousTitleCount(model)})`));
  const suspicious = capped(model.suspiciousLogins, limits.suspiciousLogins);
  // Logins never looked up, users without history: some checks did not run, "none" would overstate it.
  const caveats = suspiciousCaveats(model);
  const none = model.suspiciousLogins.length === 0;
  if (none && caveats.length === 0)
    out.push(...prose(noneThisWeek(model, 'No suspicious logins this week.')));
  caveats.forEach((caveat, i) => {
    out.push(...prose(none && i === 0 ? `No suspicious logins found, but ${caveat}` : `NOTE: ${caveat}`));
  });
  const names = columnNames(
    suspicious.shown.map((s) => ({ name: s.userName, id: s.userId })),
    'user',
    28,
  );
  const order = suspiciousOrderSentence(model);
  if (order && suspicious.shown.length > 0) out.push(...prose(order));
  const many = userReasonFindingsLabels(suspicious.shown);
  suspicious.shown.forEach((s, i) => {
    out.push(
      ...suspiciousHead(
        [when(s.eventTime), names[i] ?? '', clipToWidth(reasonLabel(oneLine(s.reason)), limits.id)],
        // The network as the HTML shows it: the text part is a full alternative (review R-A11Y M3).
        `IP ${clipToWidth(oneLine(s.ipAddress ?? '-'), limits.id)}${
          s.network ? ` (${clipToWidth(oneLine(s.network), limits.id)})` : ''
        }`,
      ),
    );
    const place = placeLabel(s);
    if (place) out.push(...prose(`    ${clip(oneLine(place), limits.evidence)}`));
    if (s.evidence) out.push(...prose(`    ${clip(oneLine(s.evidence), limits.evidence)}`));
    const findings = many[i];
    if (findings) out.push(...prose(`    ${findings}`));
  });
  const { more, what, archivedRows } = suspiciousLeftOut(model, suspicious.shown.length);
  if (more > 0)
    out.push(...prose(`and ${formatCount(more)} more ${what} (${archivedFindings(model, archivedRows)})`));
  out.push(...digLines(digLine(model, limits, 'suspicious')));
  // Apart from the rows: it is about every one of them, and about logins the alerts listed instead.
  const alerts = securityAlertsSentence(model);
  if (alerts) out.push('', ...prose(alerts));
  return out;
}
