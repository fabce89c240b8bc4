import { healthFigureRows } from './health-figure-rows.ts';
import { gapsFigure, lakeStartInput } from './lake-start.ts';
import { formatBytes, formatCount } from './number-format.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { labelledValues } from './text-columns.ts';
import { heading } from './text-prose.ts';

/** How complete the lake is for the week, each figure on a labelled line. */
export function healthLines(model: WeeklyReportModel, when: (ts: string | null) => string): string[] {
  const h = model.health;
  return [
    ...heading('Data health'),
    ...labelledValues([
      [
        'Coverage',
        `${formatCount(h.coveredHours)} of ${formatCount(h.expectedHours)} hours (${h.coveragePct}%)`,
      ],
      ['Gaps', gapsFigure(lakeStartInput(model), when)],
      ['Late events', formatCount(h.lateEvents)],
      ['Quarantined entries', formatCount(h.quarantined)],
      ['Entries outside their hour', formatCount(h.outOfWindow)],
      ['Last event', h.lastEventTime ? when(h.lastEventTime) : 'none'],
      ['Last fetch from Domo', h.lastFetchedAt ? when(h.lastFetchedAt) : 'none'],
      ...healthFigureRows(model),
      ...(model.bytesScanned > 0 ? [['Scanned for this report', formatBytes(model.bytesScanned)]] : []),
    ]),
  ];
}
