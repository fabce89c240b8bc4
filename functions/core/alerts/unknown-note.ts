import { type FoldedAlerts, mergeFolded, type UnknownNotice } from './alert-checkpoint.ts';
import type { AlertMessageOptions } from './alert-message-options.ts';
import { countByKind } from './kind-labels.ts';
import { localDateTimeWithOffset } from './local-time.ts';
import type { Note } from './message-note.ts';
import { ARCHIVED_ALERTS } from './unlisted-alerts.ts';

/** Most earlier messages a notice names one by one; more are told of as one. */
const MAX_NOTICES_NAMED = 3;

/** Most ids the query of a notice names one by one: longer, it would pass a mail line's 998 octets. */
export const MAX_NOTICE_IDS = 10;

/** How many alerts a notice is about: by id (not all of whose ids it may keep) and only counted. */
const noticeCount = (notice: UnknownNotice): number =>
  (notice.ids_count ?? notice.alert_ids.length) + (notice.folded ?? 0);

/**
 * A line above the alerts for the channel's earlier messages whose delivery may not have arrived (a
 * timeout, a server error, a run that stopped while delivering) and whose alerts had gone out as
 * often as they may (MAX_UNCONFIRMED): what they carried, when, and how to find those alerts.
 */
export function unknownNote(options: AlertMessageOptions): Note | undefined {
  const notices = options.unknownNotices ?? [];
  if (notices.length === 0) return undefined;
  const at = (n: UnknownNotice): string => localDateTimeWithOffset(Date.parse(n.at), options.timeZone);
  // Each named while few; more (a channel timing out run after run) as one, so the line stays short.
  const which = (notices.length <= MAX_NOTICES_NAMED ? notices.map((n) => [n]) : [notices]).map((group) => {
    const folded = group.reduce<FoldedAlerts | null>(
      (all, n) =>
        mergeFolded(all, {
          count: noticeCount(n),
          kinds: n.kinds,
          oldest_ms: n.oldest_ms,
          newest_ms: n.newest_ms,
        }),
      null,
    );
    const count = folded?.count ?? 0;
    const first = group[0];
    const last = group.at(-1);
    const when =
      group.length === 1 || !first || !last
        ? `at ${first ? at(first) : ''}`
        : `from ${at(first)} to ${at(last)}`;
    return `${count} alert${count === 1 ? '' : 's'} (${countByKind([], folded ?? undefined)}) ${when}`;
  });
  const one = notices.length === 1;
  const span = {
    fromMs: Math.min(...notices.map((n) => n.oldest_ms)),
    toMs: Math.max(...notices.map((n) => n.newest_ms)),
  };
  const ids = notices.flatMap((n) => n.alert_ids);
  const unlisted = options.unlisted ?? ARCHIVED_ALERTS;
  // By id only when the notices keep every id (none counted, none cut) and they are few.
  const byId = notices.every((n) => noticeCount(n) === n.alert_ids.length) && ids.length <= MAX_NOTICE_IDS;
  const hint =
    byId && unlisted.howToFind
      ? unlisted.howToFind(ids, span, options.instance)
      : unlisted.howToList([{ event_time_ms: span.fromMs }, { event_time_ms: span.toMs }], options.instance);
  return {
    text: `${one ? 'An earlier alert message' : `${notices.length} earlier alert messages`} may not have arrived: ${which.join('; ')} (${one ? 'its alerts' : 'their alerts'} went out in deliveries that failed without telling whether they arrived, so they are not sent again). ${hint.sentence}`,
    ...(hint.copy === undefined ? {} : { copy: hint.copy }),
  };
}
