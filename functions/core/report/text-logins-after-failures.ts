import { clipToWidth } from '../display-width.ts';
import { clip } from '../mail/clip.ts';
import { capped, type RenderLimits } from '../mail/render-limits.ts';
import { noneThisWeek } from './comparable-weeks.ts';
import { oneLine } from './flat-text.ts';
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
import { suspiciousHead } from './text-finding-line.ts';
import { columnNames } from './text-names.ts';
import { heading, prose } from './text-prose.ts';

/**
 * The week's sign-ins after a run of failed logins, as the HTML lists them: the sign-in's line as a
 * suspicious login's, then the run before it. Nothing for a model archived before they were read.
 */
export function loginsAfterFailuresLines(
  model: WeeklyReportModel,
  limits: RenderLimits,
  when: (ts: string | null) => string,
): string[] {
  if (model.loginsAfterFailures === undefined) return [];
  const total = loginsAfterFailuresTotal(model);
  const out = [
    ...heading(`${LOGINS_AFTER_FAILURES_HEADING} (${formatCount(total)})`),
    ...prose(loginsAfterFailuresCaption(model)),
  ];
  if (total === 0) return [...out, ...prose(noneThisWeek(model, NO_LOGINS_AFTER_FAILURES))];
  const { shown } = capped(model.loginsAfterFailures, limits.suspiciousLogins);
  const names = columnNames(
    shown.map((s) => ({ name: s.userName, id: s.userId })),
    'user',
    28,
  );
  shown.forEach((s, i) => {
    out.push(
      ...suspiciousHead(
        [when(s.eventTime), names[i] ?? ''],
        `IP ${clipToWidth(oneLine(s.ipAddress ?? '-'), limits.id)}`,
      ),
      ...prose(`    ${clip(loginAfterFailuresFigures(s, model.timeZone), limits.evidence)}`),
    );
    const many = userRowsLabel(s);
    if (many) out.push(...prose(`    ${many}`));
  });
  const listed = loginsAfterFailuresListed(model, shown.length);
  if (listed) out.push(...prose(`${listed}: ${LOGINS_AFTER_FAILURES_ORDER}.`));
  return out;
}
