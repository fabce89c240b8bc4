import { namesNoUser } from '../no-user-id.ts';

/**
 * Which user ids name a user, for every reader of the alerts: the failure detectors key a failure
 * without one by its name, and the sign-in detectors and the login profile never read a sign-in
 * without one. Sign-ins once took only null for "none": `""`, `0` and ` 0 ` were kept and profiled
 * as one pseudo-user, whose sign-ins raised impossible journeys between whoever signed in so
 * (review R-AK L2). functions/queries/suspicious_logins.sql reads them alike.
 */

/**
 * An event's user id, null when it names no user ({@link namesNoUser}): a failure or lockout is then
 * keyed by the name it carries, and a sign-in is not read at all (alert-event.ts, readsEvent).
 */
export const userIdOf = (event: { readonly user_id: string | null }): string | null =>
  event.user_id === null || namesNoUser(event.user_id) ? null : event.user_id;
