import { clip } from '../mail/clip.ts';
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
import { formatCount } from './number-format.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { columns } from './text-columns.ts';
import { columnNames } from './text-names.ts';
import { heading, prose } from './text-prose.ts';

/**
 * The week's bulk data movers, as the HTML lists them: first move and who, then against what usual
 * and what they moved. Nothing for a model archived before they were read.
 */
export function bulkMovementLines(
  model: WeeklyReportModel,
  limits: RenderLimits,
  when: (ts: string | null) => string,
): string[] {
  if (model.bulkDataMovers === undefined) return [];
  const total = bulkMoversTotal(model);
  const out = [
    ...heading(`${BULK_MOVEMENT_HEADING} (${formatCount(total)})`),
    ...prose(BULK_MOVEMENT_CAPTION),
  ];
  if (total === 0) return [...out, ...prose(noneThisWeek(model, noBulkMovement(model)))];
  const { shown } = capped(model.bulkDataMovers, Math.min(BULK_MOVERS_SHOWN, limits.suspiciousLogins));
  const names = columnNames(
    shown.map((m) => ({ name: m.userName, id: m.userId })),
    'user',
    28,
  );
  shown.forEach((m, i) => {
    out.push(...columns([[when(m.firstTime), names[i] ?? '']], 'll'));
    out.push(...prose(`    ${clip(againstUsual(m), limits.evidence)}`));
    out.push(
      ...prose(
        `    ${clip(movesMade(m), limits.evidence)}${m.lastTime === m.firstTime ? '' : `; last ${when(m.lastTime)}`}`,
      ),
    );
  });
  const listed = bulkMoversListed(model, shown.length);
  if (listed) out.push(...prose(`${listed}.`));
  return out;
}
