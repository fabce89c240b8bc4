/**
 * The data-health section of the report's HTML: the lake's coverage of the week, its gaps, late,
 * quarantined and uncounted entries, the logins the geo data could not place, and what the report
 * scanned.
 */

import { esc } from '../mail/html-escape.ts';
import { healthFigureRows } from './health-figure-rows.ts';
import { localTime } from './html-cell-text.ts';
import { sectionTitle } from './html-section.ts';
import { FONT, MUTED, WRAP } from './html-style.ts';
import { gapsFigure, lakeStartInput } from './lake-start.ts';
import { formatBytes, formatCount } from './number-format.ts';
import type { WeeklyReportModel } from './report-model.ts';

export function healthRow(model: WeeklyReportModel): string {
  const h = model.health;
  const zone = model.timeZone;
  const items = [
    `Coverage: ${formatCount(h.coveredHours)} of ${formatCount(h.expectedHours)} hours (${h.coveragePct}%)`,
    `Gaps: ${gapsFigure(lakeStartInput(model), (ts) => localTime(ts, zone))}`,
    `Late events: ${formatCount(h.lateEvents)}`,
    `Quarantined entries: ${formatCount(h.quarantined)}`,
    `Entries outside their hour: ${formatCount(h.outOfWindow)}`,
    `Last event: ${h.lastEventTime ? localTime(h.lastEventTime, zone) : 'none'}`,
    `Last fetch from Domo: ${h.lastFetchedAt ? localTime(h.lastFetchedAt, zone) : 'none'}`,
    ...healthFigureRows(model).map(([label, figure]) => `${label}: ${figure}`),
    ...(model.bytesScanned > 0 ? [`Scanned for this report: ${formatBytes(model.bytesScanned)}`] : []),
  ];
  return `${sectionTitle('Data health', 'health')}
<tr><td class="pad" style="padding:0 12px 8px;${FONT}font-size:12px;line-height:18px;color:${MUTED};${WRAP}">${items.map(esc).join('<br>\n')}</td></tr>`;
}
