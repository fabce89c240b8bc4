-- data_health: how complete and clean is the lake for a period. Exactly one row.
-- Hours are the UTC hour windows starting in [from_ts, to_ts); an hour is covered when its
-- coverage manifest exists. gap_count counts runs of consecutive missing hours. Late events,
-- quarantined entries and out-of-window entries are summed over the covered hours' manifests.
-- unplaced_logins: sign-ins with an address no geo database looked up (enrich fills them).
-- short_hours, short_events: covered hours holding fewer events than their manifest counted
-- (removed after they were stored), and the events gone.
-- params: instance, from_dt, to_dt, from_ts, to_ts
-- columns: expected_hours, covered_hours, missing_hours, gap_count, first_missing_hour, late_events, quarantined, out_of_window, events, last_event_time, last_fetched_at, logins, unplaced_logins, short_hours, short_events, logins_without_user, logins_without_ip
WITH covered AS (
  SELECT window_start, window_start_ms, event_count, late_events_total, quarantined_count, out_of_window_count, fetched_at
  FROM coverage
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND window_start >= CAST(? /* from_ts */ AS timestamp)
    AND window_start < CAST(? /* to_ts */ AS timestamp)
),
period AS (
  SELECT CAST(? /* from_ts */ AS timestamp) AS period_start, CAST(? /* to_ts */ AS timestamp) AS period_end
),
bounds AS (
  SELECT
    date_trunc('hour', period_start)
      + CASE WHEN date_trunc('hour', period_start) < period_start THEN INTERVAL '1' HOUR ELSE INTERVAL '0' HOUR END
      AS first_hour,
    date_trunc('hour', period_end)
      + CASE WHEN date_trunc('hour', period_end) < period_end THEN INTERVAL '1' HOUR ELSE INTERVAL '0' HOUR END
      AS end_hour
  FROM period
),
hour_marks AS (
  SELECT window_start AS hour_start FROM covered
  UNION ALL
  SELECT first_hour - INTERVAL '1' HOUR FROM bounds
  UNION ALL
  SELECT end_hour FROM bounds
),
steps AS (
  SELECT hour_start, lag(hour_start) OVER (ORDER BY hour_start) AS previous_start
  FROM hour_marks
),
gaps AS (
  SELECT count(*) AS gap_count, min(previous_start + INTERVAL '1' HOUR) AS first_missing_hour
  FROM steps
  WHERE hour_start > previous_start + INTERVAL '1' HOUR
),
coverage_totals AS (
  SELECT
    count(DISTINCT window_start) AS covered_hours,
    coalesce(sum(late_events_total), 0) AS late_events,
    coalesce(sum(quarantined_count), 0) AS quarantined,
    coalesce(sum(out_of_window_count), 0) AS out_of_window,
    max(fetched_at) AS last_fetched_at
  FROM covered
),
-- By the hour object each record was stored in (its window), as the manifest counts them.
stored_by_hour AS (
  SELECT
    window_start_ms,
    count(*) AS events,
    max(event_time) AS last_event_time,
    count(*) FILTER (WHERE category = 'login') AS logins,
    count(*) FILTER (
      WHERE category = 'login'
        AND (strpos(ip_address, '.') > 0 OR strpos(ip_address, ':') > 0)
        AND geo_db_version IS NULL
    ) AS unplaced_logins,
    count(*) FILTER (WHERE category = 'login' AND user_id IS NULL) AS logins_without_user,
    /* A text without a dot or a colon is no address (2026-12-05), as in the current query. */
    count(*) FILTER (
      WHERE category = 'login'
        AND (ip_address IS NULL OR (strpos(ip_address, '.') = 0 AND strpos(ip_address, ':') = 0))
    ) AS logins_without_ip
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
  GROUP BY window_start_ms
),
event_totals AS (
  SELECT
    coalesce(sum(events), 0) AS events,
    max(last_event_time) AS last_event_time,
    coalesce(sum(logins), 0) AS logins,
    coalesce(sum(unplaced_logins), 0) AS unplaced_logins,
    coalesce(sum(logins_without_user), 0) AS logins_without_user,
    coalesce(sum(logins_without_ip), 0) AS logins_without_ip
  FROM stored_by_hour
),
shortfall AS (
  SELECT count(*) AS short_hours, coalesce(sum(c.event_count - coalesce(s.events, 0)), 0) AS short_events
  FROM covered c
  CROSS JOIN period p
  LEFT JOIN stored_by_hour s ON s.window_start_ms = c.window_start_ms
  -- An hour cut by the period's end holds events after it, which stored_by_hour does not count.
  WHERE c.window_start + INTERVAL '1' HOUR <= p.period_end
    AND c.event_count > coalesce(s.events, 0)
),
health AS (
  SELECT
    CAST(
      greatest(0, (to_unixtime(with_timezone(b.end_hour, 'UTC')) - to_unixtime(with_timezone(b.first_hour, 'UTC'))) / 3600)
      AS bigint
    ) AS expected_hours,
    c.covered_hours,
    g.gap_count,
    g.first_missing_hour,
    c.late_events,
    c.quarantined,
    c.out_of_window,
    e.events,
    e.last_event_time,
    CAST(from_iso8601_timestamp(c.last_fetched_at) AS timestamp) AS last_fetched_at,
    e.logins,
    e.unplaced_logins,
    s.short_hours,
    s.short_events,
    e.logins_without_user,
    e.logins_without_ip
  FROM bounds b
  CROSS JOIN coverage_totals c
  CROSS JOIN gaps g
  CROSS JOIN event_totals e
  CROSS JOIN shortfall s
)
SELECT
  expected_hours,
  covered_hours,
  expected_hours - covered_hours AS missing_hours,
  gap_count,
  first_missing_hour,
  late_events,
  quarantined,
  out_of_window,
  events,
  last_event_time,
  last_fetched_at,
  logins,
  unplaced_logins,
  short_hours,
  short_events,
  logins_without_user,
  logins_without_ip
FROM health
