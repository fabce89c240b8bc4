-- latest_events: the 200 most recent Activity Log events on or after a day, newest first.
-- Every instance in the lake; a quick look at what arrived, e.g. right after the first backfill.
-- params: from_dt
-- columns: instance, event_time, user_name, user_id, action_type, object_type, object_name, category, ip_address
SELECT
  instance,
  event_time,
  user_name,
  user_id,
  action_type,
  object_type,
  object_name,
  category,
  ip_address
FROM activity_log
WHERE dt >= ? /* from_dt */
ORDER BY event_time DESC, event_id
LIMIT 200
