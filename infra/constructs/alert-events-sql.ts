/**
 * The saved query `alert_events`: from an alert of the archive (its id, as `recent_security_alerts`
 * lists it, and its `dt`) to the activity_log rows that raised it (the archive's `event_ids`),
 * oldest first. An analyst handed an alert otherwise had the mail's query, every event of the user
 * over three days (413 rows for an alert of 5 events, the triggering ones not marked), or joined on
 * `dt` alone, which misses the failures before midnight of a sign-in after it (review R-ANALYST M3).
 *
 * The archive files an alert under the UTC date of its key event, its latest (a sign-in, a
 * window's last failure); every event an alert names lies within the hour before that one (the
 * detectors read an hour before the period, and no window is longer: detection.ts), so the day
 * before and the alert's own day hold them all, and those two partitions are all Athena reads.
 * The `?` stand in the WHERE clause only, where AWS documents them.
 *
 * Each row carries the alert's own evidence as data beside its events: a spray's group and level
 * (`spray_key`), the address texts its failures wrote (`ip_addresses`) and the spellings of a name
 * without a user id (`user_names`); null for other kinds and for alerts archived before
 * 2026-12-06. Without them the spray's network was in its evidence text only.
 */
export const ALERT_EVENTS_SQL = `WITH alert AS (
  SELECT instance, id, kind, event_ids, spray_key, user_names, ip_addresses
  FROM alerts
  WHERE id = ? /* alert_id */
    AND dt = ? /* alert_dt */
)
SELECT
  a.event_time, a.category, a.user_id, a.user_name, a.ip_address, a.ip_country, a.ip_asn,
  a.action_type, a.object_type, a.object_name, alert.kind, a.event_id, a.dt,
  alert.spray_key, alert.user_names, alert.ip_addresses
FROM alert
JOIN activity_log a
  ON a.instance = alert.instance
  AND contains(split(alert.event_ids, ','), a.event_id)
WHERE a.dt BETWEEN date_format(CAST(? /* alert_dt */ AS date) - INTERVAL '1' DAY, '%Y-%m-%d')
  AND ? /* alert_dt */
ORDER BY a.event_time, a.event_id`;
