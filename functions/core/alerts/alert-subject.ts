/**
 * A message's subject: the total of each kind, as many kinds as fit what SNS keeps, the instance
 * last where its name leaves no room.
 */
import type { Alert, AlertKind } from './alert.ts';
import type { FoldedAlerts } from './alert-checkpoint.ts';
import type { AlertMessageOptions } from './alert-message-options.ts';
import { KIND_LABELS } from './kind-labels.ts';
import { LISTING_ORDER } from './listed-alerts.ts';
import { POSSIBLE_REPEAT } from './repeat-note.ts';
import { ARCHIVED_ALERTS } from './unlisted-alerts.ts';

/** How many alerts the message counts without listing them: `counted` and those folded. */
export const countedTotal = (counted: readonly Alert[], options: AlertMessageOptions): number =>
  counted.length + (options.folded?.count ?? 0);

/** The most characters of a subject SNS keeps (sns-alert-channel.ts cuts there). */
export const SNS_SUBJECT_MAX = 99;

/**
 * Characters a subject may take so that the repeat mark never cuts it: SNS keeps 99, the fewest
 * of the channels (sns-alert-channel.ts).
 */
export const SUBJECT_ROOM = SNS_SUBJECT_MAX - POSSIBLE_REPEAT.length - 1;

/** Each kind of `alerts` and `folded` with its total, in {@link LISTING_ORDER}. */
function totalsByKind(alerts: readonly Alert[], folded?: FoldedAlerts): [AlertKind, number][] {
  const counts = new Map<AlertKind, number>();
  for (const alert of alerts) counts.set(alert.kind, (counts.get(alert.kind) ?? 0) + 1);
  for (const [kind, n] of Object.entries(folded?.kinds ?? {}) as [AlertKind, number][]) {
    counts.set(kind, (counts.get(kind) ?? 0) + n);
  }
  return LISTING_ORDER.flatMap((kind) => {
    const n = counts.get(kind);
    return n === undefined ? [] : [[kind, n] as [AlertKind, number]];
  });
}

/**
 * The totals of each kind after `Security alerts (<instance>)` (and its `late` tag), as many kinds
 * as fit {@link SUBJECT_ROOM}, the rest as `+N more of K kinds`. Where not even one kind fits beside
 * a long instance name, `N alerts of K kinds`, and where the name itself leaves no room, the name
 * goes last, where SNS's cut takes it rather than the counts (review R-ALERT6 F1: a 20-character
 * name left `…, +5001 more of 2 kind`, a 63-character one no count at all).
 */
function kindsSubject(instance: string, totals: readonly [AlertKind, number][], late = ''): string {
  const head = `Security alerts (${instance})${late}`;
  const parts = totals.map(([kind, n]) => `${n} ${KIND_LABELS[kind][n === 1 ? 0 : 1]}`);
  for (let shown = parts.length; shown >= 1; shown--) {
    const rest = totals.slice(shown);
    const more = rest.reduce((sum, [, n]) => sum + n, 0);
    const tail =
      rest.length > 0 ? [`+${more} more of ${rest.length} kind${rest.length === 1 ? '' : 's'}`] : [];
    const subject = `${head}: ${[...parts.slice(0, shown), ...tail].join(', ')}`;
    if (subject.length <= SUBJECT_ROOM) return subject;
  }
  const total = totals.reduce((sum, [, n]) => sum + n, 0);
  return fittedSubject(
    instance,
    parts.length === 1 ? `${parts[0]}` : `${total} alerts of ${parts.length} kinds`,
    SUBJECT_ROOM,
    late,
  );
}

/**
 * The subject of a message listing none (a first run, a catch-up), naming the kinds: of one kind
 * `360 earlier lockouts archived`, of several `13 earlier, not listed: 1 password spray,
 * 1 lockout, +11`, as many kinds as fit {@link SUBJECT_ROOM}, else the count alone. It gave
 * the count alone, and a lockout and a spray among the 13 showed only once the mail was opened
 * (review R-PHONE M5).
 */
function earlierSubject(
  instance: string,
  total: number,
  unlisted: string,
  totals: readonly [AlertKind, number][],
): string {
  const head = `${total} earlier alert${total === 1 ? '' : 's'} ${unlisted}`;
  const [only] = totals;
  if (totals.length === 1 && only !== undefined) {
    const subject = fittedSubject(
      instance,
      `${total} earlier ${KIND_LABELS[only[0]][total === 1 ? 0 : 1]} ${unlisted}`,
    );
    if (subject.length <= SUBJECT_ROOM) return subject;
  }
  const parts = totals.map(([kind, n]) => `${n} ${KIND_LABELS[kind][n === 1 ? 0 : 1]}`);
  // Short (`13 earlier, not listed: …, +11`): SNS's 99 characters leave 80 for it.
  for (let shown = totals.length === 1 ? 0 : parts.length; shown >= 1; shown--) {
    const more = totals.slice(shown).reduce((sum, [, n]) => sum + n, 0);
    const tail = more > 0 ? [`+${more}`] : [];
    const listed = [...parts.slice(0, shown), ...tail].join(', ');
    const subject = fittedSubject(instance, `${total} earlier, ${unlisted}: ${listed}`);
    if (subject.length <= SUBJECT_ROOM) return subject;
  }
  return fittedSubject(instance, head);
}

/**
 * `Security alerts (<instance>): <summary>`, or where that passes {@link SUBJECT_ROOM} (a name may
 * be 63 characters), the name last, where SNS's cut at 99 takes it rather than the summary. `late`
 * ({@link lateTag}) goes right after the head, in both.
 */
export function fittedSubject(instance: string, summary: string, room = SUBJECT_ROOM, late = ''): string {
  const subject = `Security alerts (${instance})${late}: ${summary}`;
  return subject.length <= room ? subject : `Security alerts${late}: ${summary} (${instance})`;
}

/**
 * `, 7 late` (`, all late` when every alert of the message is) for a message carrying `late`
 * alerts an outage held past `mailOlderThanHours` (render-alerts.ts `HeldRows`), of `total`; empty
 * for none. Right after the head, so neither the kinds' fitting nor SNS's cut takes it: the
 * subject alone read as fresh alerts about events days old (review R2ALERT, 2026-12-07).
 */
export const lateTag = (late: number, total: number): string =>
  late === 0 ? '' : late >= total ? ', all late' : `, ${late} late`;

/**
 * The subject: the real total of each kind, the rarer and wider first ({@link LISTING_ORDER}). It
 * gave the listed rows' counts, `; N more archived` after them, and every kind: with several kinds
 * it ran to over 200 characters, SNS cut it at 99 (the repeat mark cut more), and "7 failed-login
 * bursts" stood for a thousand (review R-ALERT5 3). The message says which are listed. `late`:
 * how many an outage held past `mailOlderThanHours` ({@link lateTag}).
 */
export function subjectOf(
  alerts: readonly Alert[],
  listed: readonly Alert[],
  counted: readonly Alert[],
  options: AlertMessageOptions,
  late = 0,
): string {
  const unlisted = (options.unlisted ?? ARCHIVED_ALERTS).subject;
  const more = countedTotal(counted, options);
  const totals = totalsByKind(alerts, options.folded);
  if (listed.length === 0) return earlierSubject(options.instance, more, unlisted, totals);
  const total = alerts.length + (options.folded?.count ?? 0);
  return kindsSubject(options.instance, totals, lateTag(late, total));
}
