-- latest_events: the 200 most recent Activity Log events on or after a day, newest first.
-- Every instance in the lake; a quick look at what arrived, e.g. right after the first backfill.
-- params: from_dt
-- user_id comes last so scripts reading the columns by position before it was added still read them.
-- columns: instance, event_time, user_name, action_type, object_type, object_name, category, ip_address, user_id
SELECT
  instance,
  event_time,
  user_name,
  action_type,
  object_type,
  object_name,
  category,
  ip_address,
  user_id
FROM activity_log
WHERE dt >= ? /* from_dt */
ORDER BY event_time DESC, event_id
LIMIT 200
