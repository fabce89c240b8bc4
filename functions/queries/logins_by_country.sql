-- logins_by_country: sign-ins in the period per country of the address (ip_country), most first.
-- Sign-ins whose country is unknown (private or unknown addresses, records not yet enriched) are
-- one row with country null. Sign-ins are category login.
-- params: instance, from_dt, to_dt, from_ts, to_ts
-- columns: country, logins, users
SELECT
  ip_country AS country,
  count(*) AS logins,
  count(DISTINCT user_id) AS users
FROM activity_log
WHERE instance = ? /* instance */
  AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
  AND event_time >= CAST(? /* from_ts */ AS timestamp)
  AND event_time < CAST(? /* to_ts */ AS timestamp)
  AND category = 'login'
GROUP BY ip_country
ORDER BY logins DESC, country
