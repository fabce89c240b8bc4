-- daily_activity: how activity is spread over the days of a period, in a chosen time zone.
-- One row per local day (time_zone, an IANA name such as Europe/Paris) with events in the
-- period: events, distinct users, sign-ins, failed sign-ins and lockouts. Ascending by day.
-- params: instance, from_dt, to_dt, from_ts, to_ts, time_zone
-- columns: day, events, active_users, logins, failed_logins, lockouts
WITH period_events AS (
  SELECT event_time, user_id, category
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
),
local_events AS (
  SELECT
    CAST(at_timezone(with_timezone(event_time, 'UTC'), CAST(? /* time_zone */ AS varchar)) AS date) AS day,
    user_id,
    category
  FROM period_events
)
SELECT
  day,
  count(*) AS events,
  count(DISTINCT user_id) AS active_users,
  count(*) FILTER (WHERE category = 'login') AS logins,
  count(*) FILTER (WHERE category = 'login_failed') AS failed_logins,
  count(*) FILTER (WHERE category = 'lockout') AS lockouts
FROM local_events
GROUP BY day
ORDER BY day
