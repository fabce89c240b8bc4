import { clip } from '../mail/clip.ts';
import type { RenderLimits } from '../mail/render-limits.ts';
import { actorOf } from '../privileged-change-actor.ts';
import { noneThisWeek } from './comparable-weeks.ts';
import { oneLine } from './flat-text.ts';
import { formatCount } from './number-format.ts';
import {
  actingAs,
  changeDetail,
  changeSuspicion,
  changeWhat,
  NO_PRIVILEGED_CHANGES,
  PRIVILEGED_CHANGES_CAPTION,
  PRIVILEGED_CHANGES_HEADING,
  privilegedChangesListed,
  privilegedChangesToList,
  privilegedChangesTotal,
} from './privileged-change-figures.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { columns } from './text-columns.ts';
import { columnName, columnNames } from './text-names.ts';
import { heading, prose } from './text-prose.ts';

/** Room for the user an actor acted as, on the line under the actor's name. */
const AS_WIDTH = 56;

/**
 * The week's privileged changes, as the HTML lists them, gravest first: time and who acted, the
 * user they acted as when it was another, why it ranks first when tied to a suspicious sign-in,
 * then what changed and Domo's comment. Nothing for a
 * model archived before they were read.
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
  const listed = privilegedChangesToList(model, limits.suspiciousLogins);
  const { shown } = listed;
  const names = columnNames(shown.map(actorOf), 'user', 28);
  shown.forEach((c, i) => {
    out.push(...columns([[when(c.eventTime), names[i] ?? '']], 'll'));
    const as = actingAs(c, (name, id) => columnName(name, id, 'user', AS_WIDTH, true));
    if (as) out.push(...prose(`    ${as}`));
    const why = changeSuspicion(model, c);
    if (why) out.push(...prose(`    ${why}`));
    out.push(...prose(`    ${clip(oneLine(changeWhat(c)), limits.evidence)}`));
    const detail = changeDetail(c);
    if (detail) out.push(...prose(`    ${clip(oneLine(detail), limits.evidence)}`));
  });
  const line = privilegedChangesListed(model, listed);
  if (line) out.push(...prose(`${line}.`));
  return out;
}
