/**
 * How many suspicious logins the week had and how many findings (a login found for several reasons
 * is one login, several findings), as the subject, the section titles and the lists' "and N more"
 * say them. Counted once per list of findings.
 */

import { formatCount, plural } from './number-format.ts';
import type { SuspiciousLogin, WeeklyReportModel } from './report-model.ts';

/**
 * How many logins the suspicious findings are about, and how many findings. `suspicious_logins`
 * returns one row per login and reason, so a login from a new country on a new network is two
 * rows; a login is its time, user and IP address. The query's counts of all of them when the model
 * has them (it holds the first rows only), else its rows counted (models archived before the cap).
 */
export function suspiciousCounts(model: Pick<WeeklyReportModel, 'suspiciousLogins' | 'suspiciousTotals'>): {
  logins: number;
  findings: number;
} {
  const findings = model.suspiciousLogins;
  const totals = model.suspiciousTotals;
  if (totals && totals.findings >= findings.length) return totals;
  // Counted once per list: the HTML's size budget renders the report again and again.
  const known = countedFindings.get(findings);
  if (known) return known;
  const logins = new Set(
    findings.map((f) => JSON.stringify([f.eventTime, f.userId ?? f.userName, f.ipAddress])),
  );
  const counts = { logins: logins.size, findings: findings.length };
  countedFindings.set(findings, counts);
  return counts;
}

const countedFindings = new WeakMap<readonly SuspiciousLogin[], { logins: number; findings: number }>();

/** `5 suspicious logins`, or `5 suspicious logins (9 findings)` when some were found for several reasons. */
export function suspiciousLoginsFigure(
  model: Pick<WeeklyReportModel, 'suspiciousLogins' | 'suspiciousTotals'>,
): {
  count: string;
  findings?: string;
} {
  const counts = suspiciousCounts(model);
  return {
    count: plural(counts.logins, 'suspicious login'),
    ...(counts.findings === counts.logins ? {} : { findings: plural(counts.findings, 'finding') }),
  };
}

/** A suspicious-logins section's title count: `5`, or `5 logins, 9 findings` when they differ. */
export function suspiciousTitleCount(
  model: Pick<WeeklyReportModel, 'suspiciousLogins' | 'suspiciousTotals'>,
): string {
  const counts = suspiciousCounts(model);
  return counts.findings === counts.logins
    ? formatCount(counts.logins)
    : `${plural(counts.logins, 'login')}, ${plural(counts.findings, 'finding')}`;
}

/**
 * How many suspicious-logins rows a list showing `shown` of them leaves out, counted by the query
 * (the model holds only the first `SUSPICIOUS_LOGIN_ROWS`), what to call them (`logins`, or
 * `findings` when a login was found for several reasons), and how many rows the archived JSON holds
 * when that is not all of them (undefined when it is).
 */
export function suspiciousLeftOut(
  model: Pick<WeeklyReportModel, 'suspiciousLogins' | 'suspiciousTotals'>,
  shown: number,
): { more: number; what: string; archivedRows: number | undefined } {
  const held = model.suspiciousLogins.length;
  const counts = suspiciousCounts(model);
  const more = Math.max(0, counts.findings - shown);
  const what = counts.findings === counts.logins ? 'login' : 'finding';
  return {
    more,
    what: more === 1 ? what : `${what}s`,
    archivedRows: counts.findings > held ? held : undefined,
  };
}
