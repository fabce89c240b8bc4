/**
 * The bulk-data-movement section of the report's HTML: a row a user (first and last move, who,
 * what they moved and against what usual), in the suspicious logins' table (html-finding-table.ts).
 */
import { clip } from '../mail/clip.ts';
import { esc } from '../mail/html-escape.ts';
import { capped, type RenderLimits } from '../mail/render-limits.ts';
import {
  againstUsual,
  BULK_MOVEMENT_CAPTION,
  BULK_MOVEMENT_HEADING,
  BULK_MOVERS_SHOWN,
  bulkMoversListed,
  bulkMoversTotal,
  movesMade,
  noBulkMovement,
} from './bulk-movement-figures.ts';
import { noneThisWeek } from './comparable-weeks.ts';
import { names, when } from './html-cell-text.ts';
import { findingTable } from './html-finding-table.ts';
import { asideLine, emptyLine, sectionBody, sectionTitle } from './html-section.ts';
import { INK, MUTED } from './html-style.ts';
import { formatCount } from './number-format.ts';
import type { WeeklyReportModel } from './report-model.ts';

/** The week's bulk data movers; nothing for a model archived before they were read. */
export function bulkMovementSection(model: WeeklyReportModel, limits: RenderLimits): string {
  if (model.bulkDataMovers === undefined) return '';
  const { shown } = capped(model.bulkDataMovers, Math.min(BULK_MOVERS_SHOWN, limits.suspiciousLogins));
  const total = bulkMoversTotal(model);
  const users = names(
    shown.map((m) => ({ name: m.userName, id: m.userId })),
    'user',
    limits,
  );
  const rows = shown.map((m, i) => ({
    timeHtml: `${when(m.firstTime, model.timeZone)}${
      m.lastTime === m.firstTime ? '' : `<br>to ${when(m.lastTime, model.timeZone)}`
    }`,
    html: `${users[i] ?? ''}<br>
<span style="font-size:12px;color:${INK};">${esc(clip(againstUsual(m), limits.evidence))}</span>
<br><span style="font-size:12px;color:${MUTED};">${esc(clip(movesMade(m), limits.evidence))}</span>`,
  }));
  const listed = bulkMoversListed(model, shown.length);
  return (
    sectionTitle(`${BULK_MOVEMENT_HEADING} (${formatCount(total)})`, 'bulk', BULK_MOVEMENT_CAPTION) +
    (total === 0
      ? sectionBody(emptyLine(noneThisWeek(model, noBulkMovement(model))))
      : (rows.length > 0 ? findingTable('bulk', ['Time', 'Who and what they moved'], rows) : '') +
        (listed ? sectionBody(asideLine(`${listed}.`)) : ''))
  );
}
