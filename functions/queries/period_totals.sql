-- period_totals: the headline numbers of a period, as exactly one row.
-- Events, distinct users (ids naming someone: not one that without its white space is empty or 0,
-- Domo's none), sign-ins, failed sign-ins, lockouts and distinct objects touched
-- (object type and id) in [from_ts, to_ts). Zeros when the period has no events.
-- params: instance, from_dt, to_dt, from_ts, to_ts
-- columns: events, active_users, logins, failed_logins, lockouts, distinct_objects
SELECT
  count(*) AS events,
  count(DISTINCT CASE WHEN translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') THEN user_id END) AS active_users,
  count(*) FILTER (WHERE category = 'login') AS logins,
  count(*) FILTER (WHERE category = 'login_failed') AS failed_logins,
  count(*) FILTER (WHERE category = 'lockout') AS lockouts,
  count(DISTINCT coalesce(object_type, '') || ':' || object_id) AS distinct_objects
FROM activity_log
WHERE instance = ? /* instance */
  AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
  AND event_time >= CAST(? /* from_ts */ AS timestamp)
  AND event_time < CAST(? /* to_ts */ AS timestamp)
