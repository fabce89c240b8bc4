-- failed_logins_by_ip: addresses that failed to sign in for many users in a period (a password
-- spray tries one or two passwords on many accounts from one address, so each account shows only
-- a failure or two in failed_logins_and_lockouts). One row per IP address whose
-- login_failed events name at least 5 distinct users: a person mistyping fails for one account,
-- a shared office address for a few; 5 is above what a team behind one address reaches in a week.
-- Users are the user id, or the user name for failures without one. Place (country, network
-- owner) is the latest placed failure's; null when none was placed. Addresses are compared as
-- suspicious_logins compares them (without the white space around them, A-Z lower-cased), and
-- shown as the latest failure wrote them. Most users first.
-- params: instance, from_dt, to_dt, from_ts, to_ts
-- columns: ip_address, users, failed_attempts, first_failure, last_failure, country, asn, org
WITH failures AS (
  SELECT
    ip_address,
    /* The address as suspicious_logins.sql keys it (see there why this spelling, on both engines),
       so that one address written two ways is one row, as the alerts' password_spray counts it. */
    translate(
      regexp_extract(ip_address, '^[ \t\n\r\f]*([^ \t\n\r\f]*([ \t\n\r\f]+[^ \t\n\r\f]+)*)[ \t\n\r\f]*$', 1),
      'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      'abcdefghijklmnopqrstuvwxyz'
    ) AS ip,
    event_time,
    ip_country,
    ip_asn,
    ip_org,
    CASE WHEN user_id IS NOT NULL THEN 'id ' || user_id WHEN user_name IS NOT NULL THEN 'name ' || user_name END AS user_key,
    /* Orders the failures by time (event id as the tie-break), on both engines alike. */
    lpad(CAST(event_time_ms AS varchar), 15, '0') || event_id AS event_key
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    AND category = 'login_failed'
    AND ip_address IS NOT NULL
)
SELECT
  max_by(ip_address, event_key) AS ip_address,
  count(DISTINCT user_key) AS users,
  count(*) AS failed_attempts,
  min(event_time) AS first_failure,
  max(event_time) AS last_failure,
  max_by(ip_country, CASE WHEN ip_country IS NOT NULL THEN event_key END) AS country,
  max_by(ip_asn, CASE WHEN ip_asn IS NOT NULL THEN event_key END) AS asn,
  max_by(ip_org, CASE WHEN ip_asn IS NOT NULL THEN event_key END) AS org
FROM failures
WHERE ip <> ''
GROUP BY ip
HAVING count(DISTINCT user_key) >= 5
ORDER BY users DESC, failed_attempts DESC, ip
