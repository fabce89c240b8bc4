-- daily_activity: how activity is spread over the days of a period, in a chosen time zone.
-- One row per local day (time_zone, an IANA name such as Europe/Paris) with events or covered
-- hours in the period: events, distinct users, sign-ins, failed sign-ins, lockouts, and the
-- hours of the day that have a coverage manifest (UTC hour windows starting in the period, by
-- the local day they start in), so a day the lake does not hold is told apart from a quiet day.
-- Ascending by day.
-- params: instance, from_dt, to_dt, from_ts, to_ts, time_zone
-- columns: day, events, active_users, logins, failed_logins, lockouts, covered_hours
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
),
event_days AS (
  SELECT
    day,
    count(*) AS events,
    count(DISTINCT user_id) AS active_users,
    count(*) FILTER (WHERE category = 'login') AS logins,
    count(*) FILTER (WHERE category = 'login_failed') AS failed_logins,
    count(*) FILTER (WHERE category = 'lockout') AS lockouts
  FROM local_events
  GROUP BY day
),
covered_days AS (
  SELECT
    CAST(at_timezone(with_timezone(window_start, 'UTC'), CAST(? /* time_zone */ AS varchar)) AS date) AS day,
    count(DISTINCT window_start) AS covered_hours
  FROM coverage
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND window_start >= CAST(? /* from_ts */ AS timestamp)
    AND window_start < CAST(? /* to_ts */ AS timestamp)
  GROUP BY 1
)
SELECT
  coalesce(e.day, c.day) AS day,
  coalesce(e.events, 0) AS events,
  coalesce(e.active_users, 0) AS active_users,
  coalesce(e.logins, 0) AS logins,
  coalesce(e.failed_logins, 0) AS failed_logins,
  coalesce(e.lockouts, 0) AS lockouts,
  coalesce(c.covered_hours, 0) AS covered_hours
FROM event_days e
FULL OUTER JOIN covered_days c ON e.day = c.day
ORDER BY day
