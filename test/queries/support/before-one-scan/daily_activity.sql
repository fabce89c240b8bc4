-- daily_activity: how activity is spread over the days of a period, in a chosen time zone.
-- One row per local day (time_zone, an IANA name such as Europe/Paris) with events or covered
-- hours in the period: events, distinct users, sign-ins, failed sign-ins, lockouts, and the
-- hours of the day that have a coverage manifest (UTC hour windows starting in the period, by
-- the local day they start in), so a day the lake does not hold is told apart from a quiet day.
-- short_hours, short_events: of those, hours holding fewer events than their manifest counted,
-- and the events gone (as data_health), so a day that lost events is not read as quiet either.
-- Ascending by day.
-- params: instance, from_dt, to_dt, from_ts, to_ts, time_zone
-- columns: day, events, active_users, logins, failed_logins, lockouts, covered_hours, short_hours, short_events
WITH period_events AS (
  SELECT event_time, user_id, category, window_start_ms
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
covered AS (
  SELECT
    CAST(at_timezone(with_timezone(window_start, 'UTC'), CAST(? /* time_zone */ AS varchar)) AS date) AS day,
    window_start,
    window_start_ms,
    event_count
  FROM coverage
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND window_start >= CAST(? /* from_ts */ AS timestamp)
    AND window_start < CAST(? /* to_ts */ AS timestamp)
),
covered_days AS (
  SELECT day, count(DISTINCT window_start) AS covered_hours
  FROM covered
  GROUP BY day
),
-- By the hour object each record was stored in (its window), as the manifest counts them.
stored_by_hour AS (
  SELECT window_start_ms, count(*) AS events
  FROM period_events
  GROUP BY window_start_ms
),
short_days AS (
  SELECT c.day, count(*) AS short_hours, sum(c.event_count - coalesce(s.events, 0)) AS short_events
  FROM covered c
  LEFT JOIN stored_by_hour s ON s.window_start_ms = c.window_start_ms
  WHERE c.event_count > coalesce(s.events, 0)
    -- An hour cut by the period's end holds events after it, which stored_by_hour does not count.
    AND c.window_start + INTERVAL '1' HOUR <= CAST(? /* to_ts */ AS timestamp)
  GROUP BY c.day
)
SELECT
  coalesce(e.day, c.day) AS day,
  coalesce(e.events, 0) AS events,
  coalesce(e.active_users, 0) AS active_users,
  coalesce(e.logins, 0) AS logins,
  coalesce(e.failed_logins, 0) AS failed_logins,
  coalesce(e.lockouts, 0) AS lockouts,
  coalesce(c.covered_hours, 0) AS covered_hours,
  coalesce(s.short_hours, 0) AS short_hours,
  coalesce(s.short_events, 0) AS short_events
FROM event_days e
FULL OUTER JOIN covered_days c ON e.day = c.day
LEFT JOIN short_days s ON s.day = c.day
ORDER BY day
