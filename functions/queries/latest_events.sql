-- Latest events: the 200 most recent Activity Log events on or after a day, newest first.
-- Parameters: 1. first day, 'YYYY-MM-DD' (string literal in Athena, e.g. '2026-11-20').
SELECT
  instance,
  event_time,
  user_name,
  action_type,
  object_type,
  object_name,
  category,
  ip_address
FROM activity_log
WHERE dt >= ?
ORDER BY event_time DESC, event_id
LIMIT 200
