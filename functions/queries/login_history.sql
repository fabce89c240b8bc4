-- login_history: how many of the period's signed-in users had too little history to be judged.
-- users: distinct user ids with a sign-in (category login) in the period, an id empty, white space
-- or 0 naming no one (as in suspicious_logins). short_history_users: of those, users with fewer
-- than min_history_logins sign-ins in [history_from_ts, from_ts), whom suspicious_logins'
-- unusual_hour check cannot judge (a young lake, new users).
-- short_placed_history_users: users with fewer than min_history_logins placed ones (with a
-- country), whom its new_country and new_network checks cannot judge. Exactly one row.
-- params: instance, from_dt, to_dt, from_ts, to_ts, history_from_dt, history_from_ts, min_history_logins
-- columns: users, short_history_users, short_placed_history_users
/* Sign-ins are those suspicious_logins judges: category login with a user id that names a user
   (not empty, white space or 0 once its ASCII white space is out, as the alerts read it,
   user-id.ts); data_health counts the others (logins_without_user), so none is counted nowhere.
   Placed sign-ins are counted by the rule those checks use, so a user whose history holds sign-ins
   without an address, or from a private one, can be short of placed history only; every user
   short of history is short of placed history too.
   Both ranges read from_dt's day (a period may start within a UTC day). One range would split
   the period from its history in the SELECT list, where AWS documents no place for a parameter:
   a day read twice in 37 costs less than a query Athena may refuse. */
WITH period_users AS (
  SELECT DISTINCT user_id
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    AND category = 'login'
    AND user_id IS NOT NULL
    AND translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0')
),
history_logins AS (
  SELECT user_id, count(*) AS logins, count(ip_country) AS placed_logins
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* history_from_dt */ AND ? /* from_dt */
    AND event_time >= CAST(? /* history_from_ts */ AS timestamp)
    AND event_time < CAST(? /* from_ts */ AS timestamp)
    AND category = 'login'
    AND user_id IS NOT NULL
    AND translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0')
  GROUP BY user_id
),
/* The bar is compared in a WHERE clause, not a HAVING one: Athena takes parameters only in WHERE.
   Once per check, in one reference of the history (Athena reads the lake again at each):
   suspicious_logins judges the hour by all history sign-ins, the places by the placed ones only
   (and nobody without one, whatever the bar). */
judged_checks AS (
  SELECT h.user_id, c.check_name
  FROM history_logins h
  CROSS JOIN (VALUES ('hour'), ('place')) AS c (check_name)
  WHERE (c.check_name = 'hour' AND h.logins >= CAST(? /* min_history_logins */ AS integer))
    OR (
      c.check_name = 'place'
      AND h.placed_logins > 0
      AND h.placed_logins >= CAST(? /* min_history_logins */ AS integer)
    )
),
judged_users AS (
  SELECT
    user_id,
    count(*) FILTER (WHERE check_name = 'hour') > 0 AS by_hour,
    count(*) FILTER (WHERE check_name = 'place') > 0 AS by_place
  FROM judged_checks
  GROUP BY user_id
)
SELECT
  count(*) AS users,
  count(*) FILTER (WHERE NOT coalesce(j.by_hour, false)) AS short_history_users,
  count(*) FILTER (WHERE NOT coalesce(j.by_place, false)) AS short_placed_history_users
FROM period_users p
LEFT JOIN judged_users j ON j.user_id = p.user_id
