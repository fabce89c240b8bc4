/**
 * Which alerts a message lists one by one when it has more than it lists: every kind present gets
 * rows, dealt one kind at a time, the newest of each first, in {@link LISTING_ORDER}. Listing the
 * newest alone, a large attack (5,000 users attacked from 250 rotating addresses) listed 50
 * near-identical failed-login bursts, and its 250 password sprays, which say how wide it is, were
 * only counted (review R-ALERT4 F7). The rows are then shown newest first.
 */
import { ALERT_KINDS, type Alert, type AlertKind } from './alert.ts';
import { gravestChangesFirst } from './privileged-change-order.ts';

/**
 * Newest first, as the message lists them: during an attack the newest tell whether it is still
 * going on. The order given is no guide: the outbox holds them oldest first as they were taken in,
 * a refused delivery's put back before later ones, a recheck's late ones after newer ones.
 */
export const newestFirst = (alerts: readonly Alert[]): Alert[] =>
  [...alerts].sort((a, b) => b.event_time_ms - a.event_time_ms);

/**
 * Each kind's place in the order the kinds are dealt rows in: first a sign-in right after failed
 * logins or from a spraying address (the attacker may be in), then the rarer and wider (a spray
 * tries many users, a lockout is Domo's own verdict, an impossible journey is a stolen session's
 * likeliest sign), then a privileged change (what someone in, attacker or insider, did to stay in
 * or take more; routine for most admins, a few a week, so it does not crowd the attacks out of
 * the subject), the many bursts of one attack last. With rows left over the order only breaks
 * ties of a row. A record of every kind, so a new kind does not compile without its place: as a
 * list, a kind left out was never listed and left out of the subject's totals (`0 alerts of 0
 * kinds`; review R-CONTRIB H1).
 */
const LISTING_PLACE = {
  login_after_failures: 0,
  login_after_spray: 1,
  activity_after_deactivation: 2,
  password_spray: 3,
  lockout: 4,
  impossible_travel: 5,
  privileged_change: 6,
  bulk_export: 7,
  new_country: 8,
  new_network: 9,
  unusual_hour: 10,
  failed_login_burst: 11,
} as const satisfies Record<AlertKind, number>;

/** Every kind, in the order the kinds are dealt rows in ({@link LISTING_PLACE}). */
export const LISTING_ORDER: readonly AlertKind[] = [...ALERT_KINDS].sort(
  (a, b) => LISTING_PLACE[a] - LISTING_PLACE[b],
);

/** Whether listing `rows` of `alerts` shares the rows between kinds (more alerts than rows, of several kinds). */
export const sharesRows = (alerts: readonly Alert[], rows: number): boolean =>
  alerts.length > rows && new Set(alerts.map((a) => a.kind)).size > 1;

/**
 * The order a kind's alerts (newest first) get rows in: newest first, but the privileged changes
 * gravest first (privileged-change-order.ts), so routine changes do not push a role raise out.
 * An outbox past its cap keeps each kind's first rows in this order (alert-checkpoint.ts).
 */
export const rowOrder = (kind: AlertKind, newest: readonly Alert[]): Alert[] =>
  kind === 'privileged_change' ? gravestChangesFirst(newest) : [...newest];

/**
 * At most `rows` of `alerts`, every kind present given its share ({@link LISTING_ORDER}), each
 * kind's newest first ({@link rowOrder}: the gravest privileged changes), shown newest first.
 */
export function listedAlerts(alerts: readonly Alert[], rows: number): Alert[] {
  const newest = newestFirst(alerts);
  const queues = LISTING_ORDER.map((kind) =>
    rowOrder(
      kind,
      newest.filter((a) => a.kind === kind),
    ),
  ).filter((q) => q.length > 0);
  if (!sharesRows(alerts, rows)) return newestFirst(queues.flat().slice(0, rows));
  const picked: Alert[] = [];
  for (let round = 0; picked.length < rows; round++) {
    for (const queue of queues) {
      const next = queue[round];
      if (next !== undefined && picked.length < rows) picked.push(next);
    }
  }
  return newestFirst(picked);
}
