/**
 * Rules of the expected-activity list that can never match an alert: written in good faith, they
 * would look like they quiet something and quiet nothing, and the operator would believe a known
 * alert handled while it keeps coming, or stop looking at why (review R-MUTE M5). Refused with the
 * rule to write instead.
 */
import type { AlertKind } from './alert.ts';
import { userIdOf } from './detection.ts';
import { type IpRange, isPrivateRange } from './ip-range.ts';

/** The alerts about sign-ins: always about a user with an id (a number in Domo: `1839254411`). */
const SIGN_IN_KINDS: readonly AlertKind[] = [
  'impossible_travel',
  'new_country',
  'new_network',
  'unusual_hour',
];

/** A user id as Domo gives it: digits. A rule's value of digits matches ids only (quiet-alerts.ts). */
export const isUserId = (user: string): boolean => /^\d+$/.test(user);

/**
 * Throws when a rule's `user` and `kind` together can never match: a `password_spray` is about
 * many users and carries none; a sign-in alert carries the user's id and is matched by it alone,
 * so a name (any value that is not digits) never matches one.
 */
export function assertReachable(
  users: readonly string[] | undefined,
  kinds: readonly AlertKind[] | undefined,
): void {
  if (users === undefined || kinds === undefined) return;
  if (kinds.every((kind) => kind === 'password_spray')) {
    throw new Error(
      'has a "user" and only the kind password_spray: a spray is about many users and carries none, so no user matches it. Drop "user" (and match the spray by its ip), or name other kinds',
    );
  }
  const names = users.filter((user) => !isUserId(user));
  if (names.length === users.length && kinds.every((kind) => SIGN_IN_KINDS.includes(kind))) {
    throw new Error(
      `"user" ${JSON.stringify(names[0])} is not a user id, and the kinds are all sign-in kinds, whose alerts are matched by the user's id only (a number: the alerts show "Ann Lee (1839254411)"): write the id`,
    );
  }
}

/**
 * Throws on a `user` of `0` or white space: Domo writes that for "no id", the alerts key such
 * failures by the name typed (detection.ts `userIdOf`), and a value of digits matches ids only, so
 * it could never match (review R-MUTE2 E).
 */
export function assertNamesUsers(users: readonly string[] | undefined): void {
  const none = users?.find((user) => userIdOf({ user_id: user }) === null);
  if (none === undefined) return;
  throw new Error(
    `"user" ${JSON.stringify(none)} names no user: Domo writes it for "no id", and the alerts know such failures by the name typed at the sign-in form. Write that name ("user": "svc-backup"), or the user's id`,
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
