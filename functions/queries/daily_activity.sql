-- daily_activity: how activity is spread over the days of a period, in a chosen time zone.
-- One row per local day (time_zone, an IANA zone: Europe/Paris) with events or covered
-- hours in the period: events, distinct users (not an id that without its white space is empty
-- or 0, Domo's none), sign-ins, failed sign-ins, lockouts, and the hours of the day that have a
-- coverage manifest (UTC hour windows starting in the period, by the local day they start in),
-- so a day the lake lacks is told apart from a quiet day.
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
    window_start_ms,
    CASE WHEN translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') THEN user_id END AS user_id,
    category
  FROM period_events
),
/* Athena (Trino) plans a WITH query again at each reference, down to reading the lake, and bills
   each read: so each table is read once and each step below is referenced once
   (test/queries/one-scan.test.ts checks it). One grouped pass gives both the days' counts and,
   by the hour object each record was stored in (its window), what the manifests count. */
event_groups AS (
  SELECT
    day,
    window_start_ms,
    user_id,
    count(*) AS events,
    count(*) FILTER (WHERE category = 'login') AS logins,
    count(*) FILTER (WHERE category = 'login_failed') AS failed_logins,
    count(*) FILTER (WHERE category = 'lockout') AS lockouts
  FROM local_events
  GROUP BY day, window_start_ms, user_id
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
/* The events' groups and the manifests in one set of rows, a manifest's columns empty on the
   events' rows and the other way round. */
hour_rows AS (
  SELECT day, window_start_ms, user_id, events, logins, failed_logins, lockouts, NULL AS window_start, NULL AS event_count
  FROM event_groups
  UNION ALL
  SELECT day, window_start_ms, NULL, NULL, NULL, NULL, NULL, window_start, event_count
  FROM covered
),
/* Each manifest with the events its hour object holds. */
hours AS (
  SELECT
    hour_rows.*,
    CASE
      WHEN window_start_ms IS NOT NULL THEN CAST(sum(events) OVER (PARTITION BY window_start_ms) AS bigint)
    END AS stored
  FROM hour_rows
),
days AS (
  SELECT
    day,
    CAST(sum(events) AS bigint) AS events,
    count(DISTINCT user_id) AS active_users,
    CAST(sum(logins) AS bigint) AS logins,
    CAST(sum(failed_logins) AS bigint) AS failed_logins,
    CAST(sum(lockouts) AS bigint) AS lockouts,
    count(DISTINCT window_start) AS covered_hours,
    count(short_events) AS short_hours,
    sum(short_events) AS short_events
  FROM (
    SELECT
      hours.*,
      CASE
        WHEN event_count > coalesce(stored, 0)
          -- An hour cut by the period's end holds events after it, which stored does not count.
          AND window_start + INTERVAL '1' HOUR <= CAST(? /* to_ts */ AS timestamp)
          THEN event_count - coalesce(stored, 0)
      END AS short_events
    FROM hours
  ) judged
  GROUP BY day
)
SELECT
  day,
  coalesce(events, 0) AS events,
  active_users,
  coalesce(logins, 0) AS logins,
  coalesce(failed_logins, 0) AS failed_logins,
  coalesce(lockouts, 0) AS lockouts,
  covered_hours,
  short_hours,
  coalesce(short_events, 0) AS short_events
FROM days
ORDER BY day
