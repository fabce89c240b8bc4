/**
 * Rules of the expected-activity list that can never match an alert: written in good faith, they
 * would look like they quiet something and quiet nothing, and the operator would believe a known
 * alert handled while it keeps coming, or stop looking at why (review R-MUTE M5). Refused with the
 * rule to write instead.
 */
import { ALERT_KINDS, type AlertKind } from './alert.ts';
import { type IpRange, isPrivateRange } from './ip-range.ts';
import { userIdOf } from './user-id.ts';

/**
 * Whether each kind is about a sign-in: always about a user with an id (a number in Domo:
 * `1839254411`). The only kinds the list quiets: a failure alert (lockout, burst, spray) is always
 * sent, since a forged forwarded-for list can put an expected address first and hide an attack
 * behind it, and the failure detectors' episodes span runs, so no per-run judgement of them held
 * (review R-MUTE4). A record of every kind, so a new kind does not compile without the choice.
 */
const ABOUT_A_SIGN_IN = {
  lockout: false,
  failed_login_burst: false,
  password_spray: false,
  // An attack's outcome: an expected address first in a forged list must not hide it.
  login_after_failures: false,
  login_after_spray: false,
  impossible_travel: true,
  new_country: true,
  new_network: true,
  unusual_hour: true,
  // Not a sign-in: a rule without `kind` never quiets it (see NAMED_USER_KINDS).
  privileged_change: false,
  // Not a sign-in either: quieted only by a rule naming the kind and a user (NAMED_USER_KINDS).
  bulk_export: false,
  // Not a sign-in alone: quieted only by a rule naming the kind and a user (NAMED_USER_KINDS).
  activity_after_deactivation: false,
} as const satisfies Record<AlertKind, boolean>;

/** The alerts about sign-ins ({@link ABOUT_A_SIGN_IN}), in the order of `ALERT_KINDS`. */
export const SIGN_IN_KINDS: readonly AlertKind[] = ALERT_KINDS.filter((kind) => ABOUT_A_SIGN_IN[kind]);

/**
 * Kinds a rule quiets only when it names the kind and a `user`: an admin's own acts, which a known
 * automation account makes on a schedule (`{"kind": "privileged_change", "user": "<its id>"}`), and
 * the exports one makes (`bulk_export`: a scheduled export, a reporting account's pull), and what
 * acts as a user deactivated on purpose whose jobs were meant to run on (`activity_after_deactivation`). A
 * rule written for sign-ins (no `kind`) must not start quieting them, nor may a rule of no user
 * quiet every admin's changes from an office network. The user is matched by id, a change of one
 * user acting as another only when the rule names both, and a bulk export made acting as others
 * never (quiet-alerts.ts).
 */
export const NAMED_USER_KINDS: readonly AlertKind[] = [
  'privileged_change',
  'bulk_export',
  'activity_after_deactivation',
];

/** The kinds a rule may name: the sign-in kinds, then {@link NAMED_USER_KINDS}. */
export const QUIETABLE_KINDS: readonly AlertKind[] = [...SIGN_IN_KINDS, ...NAMED_USER_KINDS];

/** Whether the list may quiet alerts of `kind` ({@link QUIETABLE_KINDS}). */
export const quietable = (kind: AlertKind): boolean => QUIETABLE_KINDS.includes(kind);

/** Throws when a rule names a failure kind: those alerts are always sent. */
export function assertSignInKinds(kinds: readonly AlertKind[] | undefined): void {
  const failures = kinds?.filter((kind) => !quietable(kind)) ?? [];
  if (failures.length === 0) return;
  throw new Error(
    `"kind" names ${failures.join(', ')}: failed sign-ins, lockouts, password sprays and logins after them are never quieted, since a forged forwarded-for address could hide an attack behind an expected one. Remove ${failures.length === 1 ? 'that kind' : 'those kinds'} from the rule; the list quiets ${QUIETABLE_KINDS.join(', ')}`,
  );
}

/** Throws when a rule names a {@link NAMED_USER_KINDS} kind and no `user`. */
export function assertUserForNamedKinds(
  kinds: readonly AlertKind[] | undefined,
  users: readonly string[] | undefined,
): void {
  const named = kinds?.filter((kind) => NAMED_USER_KINDS.includes(kind)) ?? [];
  if (named.length === 0 || users !== undefined) return;
  throw new Error(
    `"kind" names ${named.join(', ')} and the rule names no "user": it would quiet what every user does of ${named.length === 1 ? 'that kind' : 'those kinds'} (changes to who may do what, exports), a stolen account's among them. Name the account they are expected of ("user": "1839254411", an automation account's id)`,
  );
}

/** A user id as Domo gives it: digits. A rule's value of digits matches ids only (quiet-alerts.ts). */
const isUserId = (user: string): boolean => /^\d+$/.test(user);

/**
 * Throws when a `user` value is not an id: the list quiets sign-in alerts only, which carry the
 * user's id and are matched by it alone, so a name (any value that is not digits) never matches.
 */
export function assertUserIds(users: readonly string[] | undefined): void {
  const padded = users?.find((user) => /^0\d/.test(user));
  if (padded !== undefined) {
    // Domo writes ids as numbers, never with a leading zero: `01839254411` could never match.
    throw new Error(
      `"user" ${JSON.stringify(padded)} starts with 0: Domo's user ids are numbers, written without leading zeros, so it could never match. Write the id as the alerts show it${/^0+$/.test(padded) ? '' : `: ${JSON.stringify(padded.replace(/^0+/, ''))}`}`,
    );
  }
  const name = users?.find((user) => !isUserId(user));
  if (name === undefined) return;
  throw new Error(
    `"user" ${JSON.stringify(name)} is not a user id: the list quiets sign-in alerts only, matched by the user's id (a number: the alerts show "Ann Lee (1839254411)"): write the id`,
  );
}

/**
 * Throws on a `user` of `0` or white space: Domo writes that for "no id" (detection.ts `userIdOf`),
 * and sign-in alerts are matched by the id, so it could never match (review R-MUTE2 E).
 */
export function assertNamesUsers(users: readonly string[] | undefined): void {
  const none = users?.find((user) => userIdOf({ user_id: user }) === null);
  if (none === undefined) return;
  throw new Error(
    `"user" ${JSON.stringify(none)} names no user: Domo writes it for "no id", and sign-in alerts are matched by the user's id. Write the id of the user the activity is expected of`,
  );
}

/**
 * Throws when a rule gives a `country` and only private networks in `ip` (`10.0.0.0/8`): their
 * addresses are never placed in a country, so the rule could never match (review R-MUTE2 E).
 */
export function assertPlaceable(
  ips: readonly IpRange[] | undefined,
  countries: readonly string[] | undefined,
): void {
  if (ips === undefined || countries === undefined || !ips.every(isPrivateRange)) return;
  throw new Error(
    `"ip" names only private networks (${ips.map((ip) => ip.text).join(', ')}), whose addresses the geo data never places in a country, and the rule gives a "country" too: it could never match. Drop "country"`,
  );
}
