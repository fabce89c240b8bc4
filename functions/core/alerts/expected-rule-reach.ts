/**
 * Rules of the expected-activity list that can never match an alert: written in good faith, they
 * would look like they quiet something and quiet nothing, and the operator would believe a known
 * alert handled while it keeps coming, or stop looking at why (review R-MUTE M5). Refused with the
 * rule to write instead.
 */
import type { AlertKind } from './alert.ts';

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
