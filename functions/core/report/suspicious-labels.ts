/**
 * The words of the suspicious-logins rows: a reason code's name, where a sign-in came from, a
 * user's further findings of one reason, and the list's order when it is not plain time order.
 */

import { countryLabel } from '../geo/country-names.ts';
import { formatCount } from './number-format.ts';
import type { SuspiciousLogin, WeeklyReportModel } from './report-model.ts';

/**
 * What each shown suspicious login adds when its user had more findings of its reason in the week:
 * `51,999 impossible travel findings of this user this week` on the first row of that user and
 * reason the list shows (undefined on the others, and for a finding alone: once is enough).
 */
export function userReasonFindingsLabels(
  shown: readonly Pick<SuspiciousLogin, 'userId' | 'userName' | 'reason' | 'userReasonFindings'>[],
): (string | undefined)[] {
  const seen = new Set<string>();
  return shown.map((s) => {
    const key = JSON.stringify([s.userId ?? s.userName, s.reason]);
    const n = s.userReasonFindings ?? 0;
    if (seen.has(key) || n <= 1) return undefined;
    seen.add(key);
    return `${formatCount(n)} ${reasonLabel(s.reason)} findings of this user this week`;
  });
}

/**
 * The order of the suspicious logins when it is not plain time order, said above them: some user
 * had several findings of one reason, whose later ones come after every user's first (the query's
 * rank, so that one account's repeats cannot push the others out). Undefined otherwise.
 */
export const suspiciousOrderSentence = (
  model: Pick<WeeklyReportModel, 'suspiciousLogins'>,
): string | undefined =>
  model.suspiciousLogins.some((s) => (s.userReasonFindings ?? 0) > 1)
    ? "Each user's first finding of each kind comes first, in time, then their further ones."
    : undefined;

/** Human words for a suspicious-login reason code. */
const REASON_LABELS: Readonly<Record<string, string>> = {
  new_country: 'new country',
  new_network: 'new network owner',
  impossible_travel: 'impossible travel',
  unusual_hour: 'unusual hour',
};

export const reasonLabel = (reason: string): string => REASON_LABELS[reason] ?? reason;

/** Where a sign-in came from: `DE (Germany) · AS3320 Deutsche Telekom AG`, or '' when unknown. */
export function placeLabel(s: { country: string | null; asn: number | null; org: string | null }): string {
  const parts: string[] = [];
  if (s.country !== null && s.country !== undefined) parts.push(countryLabel(s.country));
  if (s.asn !== null && s.asn !== undefined) parts.push(`AS${s.asn}${s.org ? ` ${s.org}` : ''}`);
  return parts.join(' · ');
}
