-- logins_by_country: sign-ins in the period per country of the address (ip_country), most first.
-- Sign-ins whose country is unknown (private or unknown addresses, records not yet enriched) are
-- one row with country null. Sign-ins are category login. users counts the ids naming someone (not
-- one that without its white space is empty or 0, Domo's none); their sign-ins still count in logins.
-- geo_db_versions: the geo databases (geo_db_version) that looked up the row's sign-ins, distinct,
-- in name order, comma-separated; null when none was looked up. Places move between releases,
-- so a reader judging a country needs to know which release placed it.
-- params: instance, from_dt, to_dt, from_ts, to_ts
-- columns: country, logins, users, geo_db_versions
SELECT
  ip_country AS country,
  count(*) AS logins,
  count(DISTINCT CASE WHEN translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') THEN user_id END) AS users,
  array_join(
    array_sort(array_agg(DISTINCT geo_db_version) FILTER (WHERE geo_db_version IS NOT NULL)),
    ', '
  ) AS geo_db_versions
FROM activity_log
WHERE instance = ? /* instance */
  AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
  AND event_time >= CAST(? /* from_ts */ AS timestamp)
  AND event_time < CAST(? /* to_ts */ AS timestamp)
  AND category = 'login'
GROUP BY ip_country
ORDER BY logins DESC, country
