/**
 * Which user ids name a user, for every reader of the alerts: the failure detectors key a failure
 * without one by its name, and the sign-in detectors and the login profile never read a sign-in
 * without one. Sign-ins once took only null for "none": `""`, `0` and ` 0 ` were kept and profiled
 * as one pseudo-user, whose sign-ins raised impossible journeys between whoever signed in so
 * (review R-AK L2). functions/queries/suspicious_logins.sql reads them alike.
 */
/**
 * A user id that names no user: empty, white space (the ASCII one, as the SQL reads it) or `0`,
 * alone or within such white space. Domo writes 0 for "none" in an actor id, and the failed-login
 * format is not documented (docs/decisions.md, "A user id of white space or `0` is no id"): keyed as an id, five users each failing
 * once under `""` or `0` were one user's burst, and a spray of 12 names one user (review R-ALERT4
 * F2). functions/queries/failed_logins_and_lockouts.sql and failed_logins_by_ip.sql read it alike:
 * the id without that white space is empty or `0`.
 */
const NO_USER_ID = /^[ \t\n\r\f]*0?[ \t\n\r\f]*$/;

/**
 * An event's user id, null when it names no user ({@link NO_USER_ID}): a failure or lockout is then
 * keyed by the name it carries, and a sign-in is not read at all (alert-event.ts, readsEvent).
 */
export const userIdOf = (event: { readonly user_id: string | null }): string | null =>
  event.user_id === null || NO_USER_ID.test(event.user_id) ? null : event.user_id;
