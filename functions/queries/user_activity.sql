-- user_activity: every event of one user in a period, in time order, for an investigation.
-- The events whose user_id is the one given, and those it made on another user's behalf (actor_id,
-- an admin acting as someone else), each with its UTC time and its local time in time_zone (with
-- the offset, so a repeated hour reads apart), what was done to which object, and where from
-- (address, the geo columns, browser). Identical twin entries (an event_id ending -1, -2, ...) are
-- rows of their own, as the lake keeps them. At most the first max_rows rows in time, each with the
-- count of all of them (total_rows).
-- params: instance, from_dt, to_dt, from_ts, to_ts, user_id, time_zone, max_rows
-- columns: event_time, local_time, user_id, user_name, actor_id, actor_name, action_type, event_text, object_type, object_id, object_name, ip_address, country, asn, org, device, browser_details, category, event_id, total_rows
WITH user_events AS (
  SELECT
    event_id,
    event_time,
    event_time_ms,
    user_id,
    user_name,
    actor_id,
    actor_name,
    action_type,
    event_text,
    object_type,
    object_id,
    object_name,
    ip_address,
    ip_country,
    ip_asn,
    ip_org,
    device,
    browser_details,
    category
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    AND (user_id = ? /* user_id */ OR actor_id = ? /* user_id */)
),
/* The local clock time, and the zone's offset at that instant worked out from the clock's fields
   (the engines show a timestamp with a zone differently: docs/queries.md). */
zoned AS (
  SELECT
    user_events.*,
    at_timezone(with_timezone(event_time, 'UTC'), CAST(? /* time_zone */ AS varchar)) AS local_clock
  FROM user_events
),
offsets AS (
  SELECT
    zoned.*,
    CASE
      WHEN CAST(local_clock AS date) > CAST(event_time AS date) THEN 1440
      WHEN CAST(local_clock AS date) < CAST(event_time AS date) THEN -1440
      ELSE 0
    END + 60 * (hour(local_clock) - hour(event_time)) + minute(local_clock) - minute(event_time) AS offset_minutes
  FROM zoned
),
listed AS (
  SELECT
    offsets.*,
    CAST(CAST(local_clock AS date) AS varchar) || ' '
      || lpad(CAST(hour(local_clock) AS varchar), 2, '0') || ':'
      || lpad(CAST(minute(local_clock) AS varchar), 2, '0') || ':'
      || lpad(CAST(second(local_clock) AS varchar), 2, '0') || ' '
      || CASE WHEN offset_minutes < 0 THEN '-' ELSE '+' END
      || lpad(CAST(CAST(floor(CAST(abs(offset_minutes) AS double) / 60) AS bigint) AS varchar), 2, '0')
      || ':' || lpad(CAST(abs(offset_minutes) % 60 AS varchar), 2, '0') AS local_time,
    row_number() OVER (ORDER BY event_time_ms, event_id) AS row_rank,
    count(*) OVER () AS total_rows
  FROM offsets
)
SELECT
  event_time,
  local_time,
  user_id,
  user_name,
  actor_id,
  actor_name,
  action_type,
  event_text,
  object_type,
  object_id,
  object_name,
  ip_address,
  ip_country AS country,
  ip_asn AS asn,
  ip_org AS org,
  device,
  browser_details,
  category,
  event_id,
  total_rows
FROM listed
/* max_rows: 1000 unless given; the CLI tells when total_rows is more. */
WHERE row_rank <= CAST(? /* max_rows */ AS bigint)
ORDER BY row_rank
