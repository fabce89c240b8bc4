import { clip } from '../mail/clip.ts';
import { capped, type RenderLimits } from '../mail/render-limits.ts';
import { noneThisWeek } from './comparable-weeks.ts';
import { oneLine } from './flat-text.ts';
import { formatCount } from './number-format.ts';
import {
  changeDetail,
  changeWhat,
  NO_PRIVILEGED_CHANGES,
  PRIVILEGED_CHANGES_CAPTION,
  PRIVILEGED_CHANGES_HEADING,
  PRIVILEGED_CHANGES_SHOWN,
  privilegedChangesListed,
  privilegedChangesTotal,
} from './privileged-change-figures.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { columns } from './text-columns.ts';
import { columnNames } from './text-names.ts';
import { heading, prose } from './text-prose.ts';

/**
 * The week's privileged changes, as the HTML lists them: time and who, then what changed and
 * Domo's comment. Nothing for a model archived before they were read.
 */
export function privilegedChangesLines(
  model: WeeklyReportModel,
  limits: RenderLimits,
  when: (ts: string | null) => string,
): string[] {
  if (model.privilegedChanges === undefined) return [];
  const total = privilegedChangesTotal(model);
  const out = [
    ...heading(`${PRIVILEGED_CHANGES_HEADING} (${formatCount(total)})`),
    ...prose(PRIVILEGED_CHANGES_CAPTION),
  ];
  if (total === 0) return [...out, ...prose(noneThisWeek(model, NO_PRIVILEGED_CHANGES))];
  const { shown } = capped(
    model.privilegedChanges,
    Math.min(PRIVILEGED_CHANGES_SHOWN, limits.suspiciousLogins),
  );
  const names = columnNames(
    shown.map((c) => ({ name: c.userName, id: c.userId })),
    'user',
    28,
  );
  shown.forEach((c, i) => {
    out.push(...columns([[when(c.eventTime), names[i] ?? '']], 'll'));
    out.push(...prose(`    ${clip(oneLine(changeWhat(c)), limits.evidence)}`));
    const detail = changeDetail(c);
    if (detail) out.push(...prose(`    ${clip(oneLine(detail), limits.evidence)}`));
  });
  const listed = privilegedChangesListed(model, shown.length);
  if (listed) out.push(...prose(`${listed}.`));
  return out;
}
