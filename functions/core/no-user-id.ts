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
 * Whether `id` names no user ({@link NO_USER_ID}), for the alerts (alerts/user-id.ts, userIdOf) and
 * the queries' user_id and doer_id parameters (queries/query-params.ts) alike: `00` is no "none"
 * Domo writes, only a padded id.
 */
export const namesNoUser = (id: string): boolean => NO_USER_ID.test(id);
