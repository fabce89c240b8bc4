-- failed_logins_and_lockouts: who failed to sign in or got locked out in a period.
-- One row per user with at least one login_failed or lockout event: counts, distinct source IPs
-- over those events, first and last failed attempt, last lockout (null when none). Failures
-- without a user_id are grouped by the user name they carry.
-- params: instance, from_dt, to_dt, from_ts, to_ts
-- columns: user_id, user_name, failed_attempts, lockouts, distinct_ips, first_failure, last_failure, last_lockout
WITH failures AS (
  SELECT user_id, user_name, event_id, event_time, event_time_ms, ip_address, category
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    AND category IN ('login_failed', 'lockout')
)
SELECT
  user_id,
  max_by(
    user_name,
    CASE WHEN user_name IS NOT NULL THEN lpad(CAST(event_time_ms AS varchar), 15, '0') || event_id END
  ) AS user_name,
  count(*) FILTER (WHERE category = 'login_failed') AS failed_attempts,
  count(*) FILTER (WHERE category = 'lockout') AS lockouts,
  count(DISTINCT ip_address) AS distinct_ips,
  min(CASE WHEN category = 'login_failed' THEN event_time END) AS first_failure,
  max(CASE WHEN category = 'login_failed' THEN event_time END) AS last_failure,
  max(CASE WHEN category = 'lockout' THEN event_time END) AS last_lockout
FROM failures
GROUP BY user_id, CASE WHEN user_id IS NULL THEN user_name END
ORDER BY lockouts DESC, failed_attempts DESC, user_id NULLS LAST, user_name NULLS LAST
