/**
 * The order a message shows its alerts in, and the line counting them by kind above them: the
 * failures first (the attacker may be in, or is trying), then the sign-in anomalies, each group in
 * the subject's ranking ({@link LISTING_ORDER}), newest first within a kind. Newest first alone, a
 * catch-up of 48 alerts showed four "unusual hour" logins before the spray, and the login after
 * failed logins (a possible takeover) was the twelfth card, a phone screen and a half down (review
 * R-PHONE H1).
 */
import type { Alert, AlertKind } from './alert.ts';
import type { FoldedAlerts } from './alert-checkpoint.ts';
import { KIND_LABELS } from './kind-labels.ts';
import { LISTING_ORDER } from './listed-alerts.ts';
import { changeRank } from './privileged-change-order.ts';

/**
 * The kinds about failed logins: Domo's lockout, the bursts and sprays that lead to one, and the
 * sign-ins that follow them (a user's own failures, or a spray from where the sign-in came). The
 * message marks them (a red label), and shows them first.
 */
export const FAILURE_KINDS: ReadonlySet<AlertKind> = new Set([
  'login_after_failures',
  'login_after_spray',
  'password_spray',
  'lockout',
  'failed_login_burst',
]);

/**
 * The subject's ranking with the failure kinds ahead of the rest: the subject ranks the bursts
 * last (one attack raises hundreds, and they must not take its room), but a burst is a failure
 * to act on, ahead of a login at an unusual hour.
 */
export const CARD_ORDER: readonly AlertKind[] = [
  ...LISTING_ORDER.filter((kind) => FAILURE_KINDS.has(kind)),
  ...LISTING_ORDER.filter((kind) => !FAILURE_KINDS.has(kind)),
];

const place = (kind: AlertKind): number => CARD_ORDER.indexOf(kind);

/**
 * `alerts` in {@link CARD_ORDER}, newest first within a kind (the privileged changes the gravest
 * first: privileged-change-order.ts), the id breaking ties (a stable mail).
 */
export const cardOrder = (alerts: readonly Alert[]): Alert[] =>
  [...alerts].sort(
    (a, b) =>
      place(a.kind) - place(b.kind) ||
      changeRank(a) - changeRank(b) ||
      b.event_time_ms - a.event_time_ms ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );

/** Each kind of `alerts` and `folded` with its total, in {@link CARD_ORDER}. */
function kindTotals(alerts: readonly Alert[], folded?: FoldedAlerts): [AlertKind, number][] {
  const counts = new Map<AlertKind, number>();
  for (const alert of alerts) counts.set(alert.kind, (counts.get(alert.kind) ?? 0) + 1);
  for (const [kind, n] of Object.entries(folded?.kinds ?? {}) as [AlertKind, number][]) {
    counts.set(kind, (counts.get(kind) ?? 0) + n);
  }
  return CARD_ORDER.flatMap((kind) => {
    const n = counts.get(kind);
    return n === undefined ? [] : [[kind, n] as [AlertKind, number]];
  });
}

/** `1 password spray, 1 lockout, 4 logins at an unusual hour`: {@link kindTotals} in words. */
export const kindCounts = (alerts: readonly Alert[], folded?: FoldedAlerts): string =>
  kindTotals(alerts, folded)
    .map(([kind, n]) => `${n} ${KIND_LABELS[kind][n === 1 ? 0 : 1]}`)
    .join(', ');

/**
 * The line above the cards when there are several alerts: `48 alerts: 1 login after failed logins
 * · 1 lockout · … · 43 logins at an unusual hour`, every alert counted (listed or not, as the
 * subject counts them), so the first screen of a phone says what the mail holds. Absent for one
 * alert: its card says as much.
 */
export function kindCountLine(alerts: readonly Alert[], folded?: FoldedAlerts): string | undefined {
  const totals = kindTotals(alerts, folded);
  const total = totals.reduce((sum, [, n]) => sum + n, 0);
  if (total < 2) return undefined;
  const parts = totals.map(([kind, n]) => `${n} ${KIND_LABELS[kind][n === 1 ? 0 : 1]}`);
  return `${total} alerts: ${parts.join(' · ')}`;
}

/** How the message names {@link cardOrder} above its cards. */
export const CARD_ORDER_WORDS =
  'failed logins first, then by kind, newest first within a kind (privileged changes gravest first)';

/** The alerts a message shows as cards, in {@link cardOrder}, and {@link kindCountLine} above them. */
export interface Cards {
  listed: readonly Alert[];
  count: string | undefined;
}
