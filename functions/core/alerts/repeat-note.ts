/**
 * How a message carrying alerts sent before, in a delivery whose outcome is unknown, says so: its
 * subject's mark, its first paragraph, and each such row's mark.
 */
import type { Alert } from './alert.ts';
import type { AlertMessageOptions } from './alert-message-options.ts';
import { countByKind } from './kind-labels.ts';
import type { Note } from './message-note.ts';

/**
 * What marks each row of an alert sent again: a message marked as a possible repeat can carry new
 * alerts too (taken in since), so the mark of the whole does not say which rows are repeats.
 */
export const REPEATED_ROW = 'possible repeat';

/** Ids of the alerts of a message that went out before in a delivery not confirmed. */
export const repeatedIds = (options: AlertMessageOptions): Set<string> =>
  new Set(options.possibleRepeat?.alertIds ?? []);

/** What opens the subject of a message that may repeat an earlier one. */
export const POSSIBLE_REPEAT = '[Possible repeat]';

/**
 * The first paragraph of a message carrying alerts sent before in a delivery not confirmed (a
 * timeout, a server error, a run that stopped while sending): they may have arrived, so the reader
 * is told which, and that their ids are the same, to drop the ones already seen (review R-ALERT4 F1).
 */
export function repeatNote(alerts: readonly Alert[], options: AlertMessageOptions): Note | undefined {
  const repeat = options.possibleRepeat;
  if (repeat === undefined || repeat.alertIds.length + repeat.counted === 0) return undefined;
  const ids = new Set(repeat.alertIds);
  const whole = alerts.filter((a) => ids.has(a.id));
  const n = whole.length;
  const kinds = n > 0 ? ` (${countByKind(whole)})` : '';
  const counted = repeat.counted > 0 ? `${n > 0 ? ' and ' : ''}${repeat.counted} only counted` : '';
  const tries = repeat.attempts === 1 ? 'an earlier message' : `${repeat.attempts} earlier messages`;
  return {
    text: `Possible repeat: ${n > 0 ? `${n} alert${n === 1 ? '' : 's'} here${kinds}` : ''}${counted} went out in ${tries} of this channel whose delivery was not confirmed (a timeout, a server error, or a run that stopped while sending), so ${n + repeat.counted === 1 ? 'it is' : 'they are'} sent again and may have arrived already. An alert keeps its id (alert … below, marked possible repeat): drop one you have seen; the others are new.`,
  };
}
