/**
 * What the failed-logins section and the data health say of the week's entries no login figure
 * counts: quarantined entries (some of them perhaps failed logins or lockouts) and sign-in events
 * the category rules did not recognise, with their action types.
 */

import { clip } from '../mail/clip.ts';
import { HOUR_MS } from '../time-units.ts';
import { visibleText } from '../visible-text.ts';
import { noneThisWeek } from './comparable-weeks.ts';
import { formatCount, plural } from './number-format.ts';
import type { DataHealth, UncountedSignIns, UncountedSource, WeeklyReportModel } from './report-model.ts';

/** The parts of the model the sentences on uncounted sign-in events read. */
type UncountedModel = Pick<WeeklyReportModel, 'status' | 'week' | 'uncountedSignIns'> & {
  health: Pick<DataHealth, 'quarantined'>;
};

/** How many action types a sentence names, and how long each may be: the rest is in the archive. */
const NAMED_ACTION_TYPES = 3;
const ACTION_TYPE_CHARS = 48;
const EXAMPLE_TEXT_CHARS = 60;

/** A Domo string on one line, as the sentences quote it ({@link visibleText}, white space collapsed). */
const quoted = (text: string, max: number): string =>
  clip(visibleText(text).replace(/\s+/g, ' ').trim(), max);

/**
 * The action types of one source's uncounted sign-in events, the most frequent first:
 * ` (by actionType: AUTHENTICATION_FAILED ×5, none ×2 (text "Login attempt failed"), and 3 more entries)`: the rest counted by entry, not by action type.
 * Empty when the model lists none of them.
 */
function actionTypesOf(uncounted: UncountedSignIns, source: UncountedSource): string {
  const rows = uncounted.actionTypes.filter((a) => a.source === source);
  const shown = rows.slice(0, NAMED_ACTION_TYPES);
  if (shown.length === 0) return '';
  // A no-break space keeps each count with its name when the sentence wraps.
  const named = shown.map((a) => {
    const times = `\u00a0×${formatCount(a.entries)}`;
    const name = a.actionType === null ? '' : quoted(a.actionType, ACTION_TYPE_CHARS);
    if (name !== '') return `${name}${times}`;
    const example = a.exampleText === null ? '' : quoted(a.exampleText, EXAMPLE_TEXT_CHARS);
    return `none${times}${example === '' ? '' : ` (text "${example}")`}`;
  });
  const others = uncounted[source] - shown.reduce((sum, a) => sum + a.entries, 0);
  if (others > 0) named.push(`and ${plural(others, 'more entry', 'more entries')}`);
  return ` (by actionType: ${named.join(', ')})`;
}

/**
 * What the failed-logins section says of the week's quarantined entries: a failed login or a
 * lockout Domo sent in a shape the ingest cannot read is among them, not in the list, so "none"
 * would pass such a week for a quiet one; how many of them look like sign-in events, and by which
 * action type, when the model counted them. Undefined when nothing was quarantined, or the lake
 * holds nothing of the week (which "No data for this week." says already).
 */
export function quarantinedSentence(model: UncountedModel): string | undefined {
  const signIns = model.uncountedSignIns?.quarantined ?? 0;
  // Counted from the manifests, the sign-ins and entries from the entries themselves: a manifest
  // removed since leaves more entries, so "all of which" holds only against the larger count.
  const quarantined = Math.max(
    model.health.quarantined,
    signIns,
    model.uncountedSignIns?.quarantinedEntries ?? 0,
  );
  if (quarantined <= 0 || model.status === 'empty') return undefined;
  // Told, not warned: most weeks quarantine a few entries that are no sign-in at all (a bare
  // number, a view with a bad time), and a red note every week teaches readers to skip it.
  const hour = (iso: string, round: (n: number) => number) =>
    `${new Date(round(Date.parse(iso) / HOUR_MS) * HOUR_MS).toISOString().slice(0, 13)}:00Z`;
  let which = '';
  // uncounted_sign_ins.sql counts sign-outs too (a drifted sign-out name is a drifted sign-in
  // name's sibling): "sign-in event" alone called a LOGGED_OUT one.
  if (model.uncountedSignIns && signIns > 0) {
    const share =
      signIns === quarantined
        ? quarantined === 1
          ? 'which looks like a sign-in or sign-out event'
          : 'all of which look like sign-in or sign-out events'
        : `${formatCount(signIns)} of which ${signIns === 1 ? 'looks like a sign-in or sign-out event' : 'look like sign-in or sign-out events'}`;
    which = `, ${share}${actionTypesOf(model.uncountedSignIns, 'quarantined')}`;
  }
  return `Not counted here: ${plural(quarantined, 'entry', 'entries')} of the week could not be read (quarantined${byManifests(model.health.quarantined, quarantined)})${which}; a failed login or lockout among them would be missing from this section. Their reasons: the quarantine table, or verify over ${hour(model.week.startUtc, Math.floor)} to ${hour(model.week.endUtc, Math.ceil)}.`;
}

/**
 * Why the sentence's count is larger than the data health's: that one is the hours' manifests',
 * and the quarantine holds entries they do not count (a manifest removed or rewritten since),
 * which `verify` reports as a mismatch. Without it the mail gave two counts of one thing.
 */
const byManifests = (manifests: number, entries: number): string =>
  entries > manifests
    ? `; ${formatCount(manifests)} by the hours' manifests, as data health counts them: verify reports the difference`
    : '';

/**
 * What the failed-logins section says of the week's sign-in events the category rules did not
 * recognise (stored as `other`): how many, by which action types, and how to count them. Told like
 * the quarantine: a name that reads like a sign-in and is none shows here every week. Undefined
 * when there are none, or the model predates the count.
 */
export function unrecognisedSignInsSentence(
  model: Pick<WeeklyReportModel, 'status' | 'uncountedSignIns'>,
): string | undefined {
  const uncounted = model.uncountedSignIns;
  if (!uncounted || uncounted.unrecognised <= 0 || model.status === 'empty') return undefined;
  const one = uncounted.unrecognised === 1;
  const [look, them, are, names] = one
    ? [
        'looks like a sign-in or sign-out event',
        'it',
        'it is a sign-in, failed sign-in or lockout',
        'its name',
      ]
    : [
        'look like sign-in or sign-out events',
        'them',
        'they are sign-ins, failed sign-ins or lockouts',
        'their names',
      ];
  return `Not counted here: ${plural(uncounted.unrecognised, 'entry', 'entries')} of the week ${look} but the category rules did not recognise ${them}${actionTypesOf(uncounted, 'unrecognised')}, so no login figure counts ${them}; if ${are}, add ${names} to the category rules and re-categorise the week with enrich (docs/ingest.md, "Categories").`;
}

/**
 * What the failed-logins section says of the week's entries it could not count (quarantined, or
 * sign-in events the rules did not recognise), in that order: instead of a flat "none", or above
 * the users it lists.
 */
export const notCountedSentences = (model: UncountedModel): string[] =>
  [quarantinedSentence(model), unrecognisedSignInsSentence(model)].filter(
    (sentence): sentence is string => sentence !== undefined,
  );

/**
 * What the failed-logins section says when it lists no one: "none" plainly, or, with entries of
 * the week it could not count, none among the entries read and what was not counted.
 */
export function noFailedLoginsSentence(model: UncountedModel & Parameters<typeof noneThisWeek>[0]): string {
  const notCounted = notCountedSentences(model);
  return notCounted.length > 0
    ? `No failed logins or lockouts among the entries read. ${notCounted.join(' ')}`
    : noneThisWeek(model, 'No failed logins or lockouts this week.');
}

/**
 * The data-health figure of the week's uncounted sign-in events: `7 not recognised, 5 quarantined`,
 * or `not checked (reason)` when their query failed; undefined when there are none, or the model
 * predates the count.
 */
export function uncountedSignInsFigure(
  model: Pick<WeeklyReportModel, 'uncountedSignIns' | 'uncountedSignInsNotChecked'>,
): string | undefined {
  if (model.uncountedSignInsNotChecked !== undefined)
    return `not checked (${model.uncountedSignInsNotChecked})`;
  const uncounted = model.uncountedSignIns;
  if (!uncounted || uncounted.unrecognised + uncounted.quarantined <= 0) return undefined;
  return `${formatCount(uncounted.unrecognised)} not recognised, ${formatCount(uncounted.quarantined)} quarantined`;
}
