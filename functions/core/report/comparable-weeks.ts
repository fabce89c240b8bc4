/**
 * Whether the week's figures can be set against the week before's, and what the report says when
 * they cannot (part of a week against a whole one misleads), or when the lake holds nothing of the
 * week at all.
 */

import {
  type Change,
  holdsNoData,
  type WeeklyReportModel,
  weekInProgress,
  weekShortfall,
} from './report-model.ts';
import { formatDayRange } from './time-format.ts';

/** The parts of the model that decide whether its changes against the week before mean anything. */
type Comparability = Pick<WeeklyReportModel, 'status' | 'generatedAt' | 'week' | 'health' | 'previousHealth'>;

/** Why this week's own figures cannot be set against a whole week, or undefined. */
function thisWeekNotComparable(model: Comparability): string | undefined {
  if (weekInProgress(model)) return 'the week is not over yet';
  if (model.status === 'empty') return 'the lake holds no data for this week';
  const shortfall = weekShortfall(model.health);
  return shortfall === 'no-data' ? undefined : shortfall && SHORTFALL_REASON[shortfall].thisWeek;
}

/** The why-line of each shortfall but `no-data` (said per week where it applies). */
const SHORTFALL_REASON = {
  partial: {
    thisWeek: 'this week is only partly in the lake',
    before: 'the week before is only partly in the lake',
  },
  'events-gone': {
    thisWeek: 'some events of this week are gone from the lake',
    before: 'some events of the week before are gone from the lake',
  },
  'events-added': {
    thisWeek: 'the lake holds events of this week that the ingest did not record',
    before: 'the lake holds events of the week before that the ingest did not record',
  },
} as const;

/**
 * Why the week's changes against the week before would mislead, or undefined when both weeks are
 * over and wholly in the lake. Part of a week against a whole one reads as a fall (a preview on a
 * Tuesday, or a week with a day missing: "-14%"), and a whole week against part of one as growth
 * ("+5246%"), so the subject, the headline boxes, the text part and the command line's summary all
 * leave the change out then, and say why where there is room.
 */
export function changesNotComparable(model: Comparability): string | undefined {
  const before = model.previousHealth;
  const thisWeek = thisWeekNotComparable(model);
  if (thisWeek) return thisWeek;
  const shortfall = weekShortfall(before);
  if (shortfall === 'no-data') return 'the lake holds no data for the week before';
  return shortfall && SHORTFALL_REASON[shortfall].before;
}

/**
 * Whether the weeks do not compare only because this week undercounts (hours missing, events gone
 * from the lake, or the week not over), the week before being whole and this week holding nothing
 * the ingest did not record: a figure above the week before's is then a rise at least that large,
 * and is shown as such (`+25 or more`); a fall is not shown. A week with 8 hours of 168 missing
 * said `not comparable` under failed logins gone from 1 to 26 (review R-CISO2).
 */
export function risesAreFloors(model: Comparability): boolean {
  if (model.status === 'empty' || (model.health.extraHours ?? 0) > 0) return false;
  return weekShortfall(model.previousHealth) === undefined && thisWeekNotComparable(model) !== undefined;
}

/**
 * A figure's change when the weeks do not compare ({@link risesAreFloors}): `+25 or more` for a
 * rise (`new` from none, which is exact), undefined for anything else.
 */
export function floorChange(
  model: Comparability,
  change: Change,
  onBase: (c: Change) => string,
): string | undefined {
  if (change.delta <= 0 || !risesAreFloors(model)) return undefined;
  return change.previous === 0 ? onBase(change) : `${onBase(change)} or more`;
}

/**
 * The sentence that says the changes are left out, and why: `No changes shown: this week is only
 * partly in the lake.`; undefined when they are shown. When the lake holds nothing of the week
 * before, it names that week and says so, as the renderers then show no figures of it (its zeros
 * are not counts), whatever else keeps this week from comparing.
 */
export function noChangesSentence(
  model: Comparability & Pick<WeeklyReportModel, 'previousWeek'>,
): string | undefined {
  if (holdsNoData(model.previousHealth)) {
    const before = `the week before, ${model.previousWeek.isoWeek} (${formatDayRange(model.previousWeek.days)})`;
    // Neither week in the lake: one clause, not "no data for this week, and … no data for the week before".
    if (model.status === 'empty')
      return `No changes shown: the lake holds no data for this week or ${before}.`;
    const thisWeek = thisWeekNotComparable(model);
    return `No changes shown: ${thisWeek ? `${thisWeek}, and ` : ''}the lake holds no data for ${before}.`;
  }
  const reason = changesNotComparable(model);
  if (reason === undefined) return undefined;
  return risesAreFloors(model)
    ? `Rises shown as the least they can be, falls not: ${reason}, so its figures undercount.`
    : `No changes shown: ${reason}.`;
}

/**
 * What a section with nothing to list says: `sentence` ("No logins this week."), or that there is
 * no data when the lake holds nothing of the week (status `empty`): a flat "none" would pass a week
 * nobody ingested for a quiet one.
 */
export const noneThisWeek = (model: Pick<WeeklyReportModel, 'status'>, sentence: string): string =>
  model.status === 'empty' ? 'No data for this week.' : sentence;
