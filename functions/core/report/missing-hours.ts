/**
 * A week's missing hours outside the lake's first week, told apart (lake-start.ts has that week):
 * a gap is a run of ended hours that a covered hour follows, or the run that opens the week; the
 * week's last hours after its last covered one are not in the lake yet (the ingest pulls hours in
 * order and has not reached them, or they have not ended), which no gap count or re-pull is for.
 */

import { formatCount, plural } from './number-format.ts';
import type { DataHealth } from './report-model.ts';

type MissingHoursHealth = Pick<
  DataHealth,
  | 'gapCount'
  | 'missingHours'
  | 'firstMissingHour'
  | 'leadingMissingHours'
  | 'innerGapCount'
  | 'innerMissingHours'
  | 'trailingMissingHours'
  | 'notClosedHours'
>;

export interface MissingHoursApart {
  gaps: number;
  gapHours: number;
  /** The first gap's first hour (a lake timestamp); null without a gap. */
  firstGapHour: string | null;
  /** Ended hours after the week's last covered hour: the ingest has not reached them. */
  notPulledHours: number;
  /** Hours not ended when the report was made: no run can have pulled them. */
  notEndedHours: number;
}

/**
 * The missing hours apart; undefined for a model archived before data_health told them apart. A
 * week the lake holds no hour of has them all before its first covered hour (the query's leading
 * ones): one gap, as the week before holds hours.
 */
export function missingHoursApart(h: MissingHoursHealth): MissingHoursApart | undefined {
  if (h.leadingMissingHours === undefined || h.innerGapCount === undefined) return undefined;
  const leading = h.leadingMissingHours;
  const gapHours = leading + (h.innerMissingHours ?? 0);
  // The runs come in order, so the first missing hour is the first gap's when there is one.
  return {
    gaps: h.innerGapCount + (leading > 0 ? 1 : 0),
    gapHours,
    firstGapHour: gapHours > 0 ? h.firstMissingHour : null,
    notPulledHours: h.trailingMissingHours ?? 0,
    notEndedHours: h.notClosedHours ?? 0,
  };
}

/**
 * `the week's last 20 hours are not in the lake yet (18 not ended yet)`, or undefined when every
 * missing hour is in a gap.
 */
export function notYetPhrase({
  notPulledHours: pulled,
  notEndedHours: ended,
}: MissingHoursApart): string | undefined {
  const hours = pulled + ended;
  if (hours === 0) return undefined;
  const last = `the week's last ${plural(hours, 'hour')}`;
  if (pulled === 0) return `${last} ${hours === 1 ? 'has' : 'have'} not ended yet`;
  const notEnded = ended > 0 ? ` (${formatCount(ended)} not ended yet)` : '';
  return `${last} ${hours === 1 ? 'is' : 'are'} not in the lake yet${notEnded}`;
}

/**
 * The data health's gaps figure outside the lake's first week: `2 (18 missing hours), first
 * missing hour Mon 16 Nov 00:00`, then what is not in the lake yet (`none; the week's last 96
 * hours have not ended yet`): a preview called its hours still to come a gap, and an ingest a few
 * hours behind the week's end made the mail report one. A model archived before the hours were
 * told apart reads as it did.
 */
export function gapsOutsideLakeStart(h: MissingHoursHealth, when: (timestamp: string) => string): string {
  const apart = missingHoursApart(h);
  if (apart === undefined) {
    // The hours with the count: `Gaps: 1` of an empty week read as one missing hour (review R-PHONE L9).
    const hours = h.gapCount > 0 && h.missingHours > 0 ? ` (${plural(h.missingHours, 'missing hour')})` : '';
    return `${formatCount(h.gapCount)}${hours}${h.firstMissingHour ? `, first missing hour ${when(h.firstMissingHour)}` : ''}`;
  }
  const first = apart.firstGapHour ? `, first missing hour ${when(apart.firstGapHour)}` : '';
  const head =
    apart.gaps === 0
      ? 'none'
      : `${formatCount(apart.gaps)} (${plural(apart.gapHours, 'missing hour')})${first}`;
  const notYet = notYetPhrase(apart);
  return notYet ? `${head}; ${notYet}` : head;
}

/**
 * What the partial week's note says of its missing hours outside the lake's first week: `in 2
 * gaps, the first at Mon 16 Nov 00:00`, `, and the week's last 5 hours are not in the lake yet`,
 * or only the latter (`; the week's last …`). Undefined for a model archived before they were told
 * apart.
 */
export function missingHoursClause(
  h: MissingHoursHealth,
  when: (timestamp: string) => string,
): string | undefined {
  const apart = missingHoursApart(h);
  if (apart === undefined) return undefined;
  const notYet = notYetPhrase(apart);
  if (apart.gaps === 0) return notYet ? `; ${notYet}` : '';
  const first = apart.firstGapHour ? `, the first at ${when(apart.firstGapHour)}` : '';
  return `, in ${plural(apart.gaps, 'gap')}${first}${notYet ? `, and ${notYet}` : ''}`;
}
