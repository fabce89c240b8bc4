/**
 * Where the findings a mail leaves out are: the report's JSON archive, by its key. It said "all of
 * them are in the archived report JSON", and a reader on a phone had nothing to find it by (review
 * R-PHONE M4). The deployed report archives it in the lake's bucket under this key; a local
 * `report` run under its output directory, the same path.
 */
import { reportKey } from '../lake/layout.ts';
import { formatCount } from './number-format.ts';
import type { WeeklyReportModel } from './report-model.ts';

/**
 * `all of them are in the report's archive, reports/instance=acme/2026-W47.json`, or where the
 * archive holds only the first rows, `the report's archive, reports/…json, lists the first 1,000`.
 */
export function archivedFindings(
  model: Pick<WeeklyReportModel, 'instance' | 'week'>,
  archivedRows: number | undefined,
): string {
  const key = reportKey(model.instance, model.week.isoWeek, 'json');
  return archivedRows === undefined
    ? `all of them are in the report's archive, ${key}`
    : `the report's archive, ${key}, lists the first ${formatCount(archivedRows)}`;
}
