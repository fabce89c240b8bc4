-- login_history: how many of the period's signed-in users had too little history to be judged.
-- users: distinct user ids with a sign-in (category login) in the period. short_history_users: of
-- those, users with fewer than min_history_logins sign-ins in [history_from_ts, from_ts), whom
-- suspicious_logins' new_country, new_network and unusual_hour checks cannot judge (a lake younger
-- than the history window, new users). Exactly one row.
-- params: instance, from_dt, to_dt, from_ts, to_ts, history_from_dt, history_from_ts, min_history_logins
-- columns: users, short_history_users
-- Both ranges read from_dt's day (a period may start within a UTC day). One range would split
-- the period from its history in the SELECT list, where AWS documents no place for a parameter:
-- a day read twice in 37 costs less than a query Athena may refuse.
WITH period_users AS (
  SELECT DISTINCT user_id
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    AND category = 'login'
    AND user_id IS NOT NULL
),
history_logins AS (
  SELECT user_id, count(*) AS logins
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* history_from_dt */ AND ? /* from_dt */
    AND event_time >= CAST(? /* history_from_ts */ AS timestamp)
    AND event_time < CAST(? /* from_ts */ AS timestamp)
    AND category = 'login'
    AND user_id IS NOT NULL
  GROUP BY user_id
),
/* The bar is compared in a WHERE clause, not a HAVING one: Athena takes parameters only in WHERE. */
judged_users AS (
  SELECT user_id
  FROM history_logins
  WHERE logins >= CAST(? /* min_history_logins */ AS integer)
)
SELECT
  count(*) AS users,
  count(*) FILTER (WHERE j.user_id IS NULL) AS short_history_users
FROM period_users p
LEFT JOIN judged_users j ON j.user_id = p.user_id
