/** The text part's totals: the HTML's headline boxes as one table of both weeks. */

import { changesNotComparable, floorChange, noChangesSentence, risesAreFloors } from './comparable-weeks.ts';
import { formatChangeOnBase, formatCount } from './number-format.ts';
import { type Change, holdsNoData, type WeeklyReportModel } from './report-model.ts';
import { suspiciousCounts } from './suspicious-counts.ts';
import { columns } from './text-columns.ts';
import { heading, prose } from './text-prose.ts';

/** `7 (11 findings)`, or `7` when each login was found once. */
function suspiciousTotal(model: WeeklyReportModel): string {
  const { logins, findings } = suspiciousCounts(model);
  return findings === logins
    ? formatCount(logins)
    : `${formatCount(logins)} (${formatCount(findings)} findings)`;
}

/**
 * The totals of both weeks; the change column only when the weeks compare like with like, and the
 * week before's column only when the lake holds any of it (its zeros are not counts).
 */
export function totals(model: WeeklyReportModel): string[] {
  const exact = changesNotComparable(model) === undefined;
  // A rise this week's undercount cannot explain is shown, as the least it can be.
  const comparable = exact || risesAreFloors(model);
  const before = !holdsNoData(model.previousHealth);
  const change = (c: Change) =>
    exact ? formatChangeOnBase(c) : (floorChange(model, c, formatChangeOnBase) ?? 'not comparable');
  const row = (name: string, c: Change) => [
    name,
    formatCount(c.current),
    ...(before ? [formatCount(c.previous)] : []),
    ...(comparable ? [change(c)] : []),
  ];
  const t = model.totals;
  const noChanges = noChangesSentence(model);
  return [
    ...heading('Totals'),
    ...columns(
      [
        ['', 'this week', ...(before ? [model.previousWeek.isoWeek] : []), ...(comparable ? ['change'] : [])],
        // The HTML's boxes' order, what to act on first (review R-A11Y L4); the suspicious logins
        // without a change, as their box: last week's count is no baseline.
        ['Suspicious logins', suspiciousTotal(model)],
        row('Lockouts', t.lockouts),
        row('Failed logins', t.failedLogins),
        row('Events', t.events),
        row('Active users', t.activeUsers),
        row('Logins', t.logins),
      ],
      'lrrr',
    ),
    ...(noChanges ? prose(noChanges) : []),
  ];
}
