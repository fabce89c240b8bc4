-- most_active_users: who the most active users are in a period, by number of Activity Log events.
-- One row per user with events in [from_ts, to_ts): events, distinct objects touched (object type
-- and id), active days (local dates in time_zone, an IANA name such as Europe/Paris, as
-- daily_activity counts days), sign-ins (category login) and the last event time. user_name is the
-- latest name the user's events carry (events without one passed over). Events naming no user are
-- left out: no user_id, or one that without its white space is empty or 0 (Domo's none).
-- params: instance, from_dt, to_dt, from_ts, to_ts, time_zone, limit
-- columns: user_id, user_name, events, distinct_objects, active_days, logins, last_seen
WITH period_events AS (
  SELECT user_id, user_name, event_id, event_time, event_time_ms, object_type, object_id, category
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    AND translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0')
),
per_user AS (
  SELECT
    user_id,
    max_by(
      user_name,
      CASE WHEN user_name IS NOT NULL THEN lpad(CAST(event_time_ms AS varchar), 15, '0') || event_id END
    ) AS user_name,
    count(*) AS events,
    count(DISTINCT coalesce(object_type, '') || ':' || object_id) AS distinct_objects,
    count(DISTINCT CAST(at_timezone(with_timezone(event_time, 'UTC'), CAST(? /* time_zone */ AS varchar)) AS date)) AS active_days,
    count(*) FILTER (WHERE category = 'login') AS logins,
    max(event_time) AS last_seen
  FROM period_events
  GROUP BY user_id
),
ranked AS (
  SELECT per_user.*, row_number() OVER (ORDER BY events DESC, user_id) AS user_rank
  FROM per_user
)
SELECT user_id, user_name, events, distinct_objects, active_days, logins, last_seen
FROM ranked
WHERE user_rank <= CAST(? /* limit */ AS integer)
ORDER BY user_rank
