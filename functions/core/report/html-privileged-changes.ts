/**
 * The privileged-changes section of the report's HTML: a row a change (time, who, what, Domo's
 * comment and the address), in the suspicious logins' table (html-finding-table.ts), in plain ink:
 * a routine week has some, and red would cry wolf.
 */
import { clip } from '../mail/clip.ts';
import { esc } from '../mail/html-escape.ts';
import { escName } from '../mail/html-name.ts';
import type { RenderLimits } from '../mail/render-limits.ts';
import { actorOf } from '../privileged-change-actor.ts';
import { noneThisWeek } from './comparable-weeks.ts';
import { names, when } from './html-cell-text.ts';
import { findingTable } from './html-finding-table.ts';
import { asideLine, emptyLine, sectionBody, sectionTitle } from './html-section.ts';
import { INK, MUTED } from './html-style.ts';
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
import { rowName } from './row-names.ts';

/** A line under who acted, in bold: whom they acted as, or why the change ranks first. */
const bold = (html: string) => `<span style="font-size:12px;color:${INK};font-weight:bold;">${html}</span>`;

/**
 * The week's privileged changes, gravest first, each under who acted (the actor, and the user they
 * acted as when another); nothing for a model archived before they were read.
 */
export function privilegedChangesSection(model: WeeklyReportModel, limits: RenderLimits): string {
  if (model.privilegedChanges === undefined) return '';
  const listed = privilegedChangesToList(model, limits.suspiciousLogins);
  const { shown } = listed;
  const total = privilegedChangesTotal(model);
  const users = names(shown.map(actorOf), 'user', limits);
  const rows = shown.map((c, i) => {
    const detail = changeDetail(c);
    const as = actingAs(c, (name, id) => escName(rowName(name, id, 'user', limits.name, undefined, true)));
    const why = changeSuspicion(model, c);
    return {
      timeHtml: when(c.eventTime, model.timeZone),
      html: `${users[i] ?? ''}${[as, why && esc(why)].map((t) => (t ? `<br>\n${bold(t)}` : '')).join('')}<br>
<span style="font-size:12px;color:${INK};">${esc(clip(changeWhat(c), limits.evidence))}</span>${
        detail
          ? `\n<br><span style="font-size:12px;color:${MUTED};">${esc(clip(detail, limits.evidence))}</span>`
          : ''
      }`,
    };
  });
  const line = privilegedChangesListed(model, listed);
  return (
    sectionTitle(
      `${PRIVILEGED_CHANGES_HEADING} (${formatCount(total)})`,
      'privileged',
      PRIVILEGED_CHANGES_CAPTION,
    ) +
    (total === 0
      ? sectionBody(emptyLine(noneThisWeek(model, NO_PRIVILEGED_CHANGES)))
      : (rows.length > 0 ? findingTable('privileged', ['Time', 'Who and what changed'], rows) : '') +
        (line ? sectionBody(asideLine(`${line}.`)) : ''))
  );
}
