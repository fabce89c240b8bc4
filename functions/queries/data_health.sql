-- data_health: how complete and clean is the lake for a period. Exactly one row.
-- Hours are the UTC hour windows overlapping [from_ts, to_ts); an hour is covered when its
-- coverage manifest exists. gap_count counts runs of consecutive missing hours. Late events,
-- quarantined and out-of-window entries are summed over the covered hours' manifests.
-- params: instance, from_dt, to_dt, from_ts, to_ts
-- columns: expected_hours, covered_hours, missing_hours, gap_count, first_missing_hour, late_events, quarantined, out_of_window, events, last_event_time, last_fetched_at, logins, unplaced_logins, short_hours, short_events, logins_without_user, logins_without_ip, extra_hours, extra_events, logins_without_country, events_without_action_type, not_closed_hours, leading_missing_hours, trailing_missing_hours, inner_gap_count, inner_missing_hours, missing_runs
/* Time units, written as numbers: SQL cannot import functions/core/time-units.ts, and Athena
   takes a parameter only in a WHERE clause (test/architecture/time-units.test.ts holds each
   to its unit): 3600 is an hour in seconds. */
/* unplaced_logins: sign-ins with an address no geo database looked up, which enrich fills.
   short_hours, short_events: covered hours holding fewer events than their manifest counted, and
   those gone: events removed after they were stored. extra_hours, extra_events: covered hours holding more events than their manifest
   counted, and the events over it, or stored outside their own hour's object (the ingest writes
   none there): objects the ingest did not write (a copy or a restore under the lake, or forged
   events), which every figure would count as the week's. verify names them.
   logins_without_user, logins_without_ip: sign-ins naming no user, which no check of
   suspicious_logins judges, and without an address, which its place checks cannot judge and no
   geo database can place (not counted in unplaced_logins). Naming no user: no user id, or one
   empty, white space or 0 once its ASCII white space is out, the very test by which
   suspicious_logins and login_history leave them out (Domo writes 0 for none). Without an address: none, or a text
   without a dot or a colon (empty, unknown, a dash: no address is written without one; the
   alerts and failed_logins_by_ip take it as none too, ip-network.ts isNoAddress). Explained
   here, not above: Athena keeps 1024 characters of the header.
   logins_without_country: sign-ins with an address a geo database looked up and gave no country
   (private, reserved, or unknown to it): the place checks of suspicious_logins cannot judge them
   either, and enrich with the same data leaves them so (not counted in unplaced_logins).
   events_without_action_type: events stored with no action type (none, or ASCII white space only), which
   the category rules read to tell a sign-in: without one only the rules on the event text can match.
   The missing hours apart (they add up to missing_hours), as a period may run past the lake's
   either end: not_closed_hours, hours not ended yet (from the current UTC hour on), which no run
   can have pulled; leading_missing_hours, ended hours before the period's first covered hour (all
   of them when none is covered): before the lake began, when it has no hour before the period;
   trailing_missing_hours, ended hours after its last covered hour: not pulled yet, when the period
   reaches past the watermark; inner_gap_count, inner_missing_hours: runs of missing hours between
   two covered hours, and their hours: gaps whatever the lake's start and watermark. Where the lake
   began and its watermark are not read here: each scan reads the period's days only (billed by
   the day on Athena). missing_runs: the first 3 runs of ended missing hours, in time order, each
   as an ISO 8601 interval of UTC hours (`2026-11-17T03:00Z/PT2H`), joined by chr(31); null when
   none: the report names them. */
WITH covered AS (
  SELECT window_start, window_start_ms, event_count, late_events_total, quarantined_count, out_of_window_count, fetched_at
  FROM coverage
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND window_start >= date_trunc('hour', CAST(? /* from_ts */ AS timestamp))
    AND window_start < CAST(? /* to_ts */ AS timestamp)
),
period AS (
  SELECT CAST(? /* from_ts */ AS timestamp) AS period_start, CAST(? /* to_ts */ AS timestamp) AS period_end
),
bounds AS (
  SELECT
    date_trunc('hour', period_start) AS first_hour,
    date_trunc('hour', period_end)
      + CASE WHEN date_trunc('hour', period_end) < period_end THEN INTERVAL '1' HOUR ELSE INTERVAL '0' HOUR END
      AS end_hour
  FROM period
),
-- By the hour object each record was stored in (its window), as the manifest counts them.
/* The whole of each hour overlapping the period is read, so that an hour cut by the period's start
   or end is compared with its manifest too; the figures count the period's events only. */
stored_by_hour AS (
  SELECT
    window_start_ms,
    count(*) AS hour_events,
    count(*) FILTER (WHERE in_period) AS events,
    /* Stored in another hour's object than its event_time's, or in none: the ingest writes each
       event to its own hour only (a window forged 1 ms later matched no manifest, and was
       compared with none). */
    count(*) FILTER (
      WHERE window_start_ms IS NULL
        OR window_start_ms <> CAST(to_unixtime(with_timezone(date_trunc('hour', event_time), 'UTC')) AS bigint) * 1000
    ) AS misfiled,
    max(event_time) FILTER (WHERE in_period) AS last_event_time,
    count(*) FILTER (WHERE in_period AND category = 'login') AS logins,
    count(*) FILTER (
      WHERE in_period
        AND category = 'login'
        AND (strpos(ip_address, '.') > 0 OR strpos(ip_address, ':') > 0)
        AND geo_db_version IS NULL
    ) AS unplaced_logins,
    count(*) FILTER (
      WHERE in_period
        AND category = 'login'
        AND (user_id IS NULL OR translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') IN ('', '0'))
    ) AS logins_without_user,
    count(*) FILTER (
      WHERE in_period
        AND category = 'login'
        AND (ip_address IS NULL OR (strpos(ip_address, '.') = 0 AND strpos(ip_address, ':') = 0))
    ) AS logins_without_ip,
    count(*) FILTER (
      WHERE in_period
        AND category = 'login'
        AND (strpos(ip_address, '.') > 0 OR strpos(ip_address, ':') > 0)
        AND geo_db_version IS NOT NULL
        AND ip_country IS NULL
    ) AS logins_without_country,
    count(*) FILTER (
      WHERE in_period
        AND (action_type IS NULL OR translate(action_type, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') = '')
    ) AS events_without_action_type
  FROM (
    SELECT
      window_start_ms,
      event_time,
      category,
      ip_address,
      geo_db_version,
      user_id,
      ip_country,
      action_type,
      event_time >= CAST(? /* from_ts */ AS timestamp) AND event_time < CAST(? /* to_ts */ AS timestamp) AS in_period
    FROM activity_log
    WHERE instance = ? /* instance */
      AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
      AND event_time >= date_trunc('hour', CAST(? /* from_ts */ AS timestamp))
      AND date_trunc('hour', event_time) < CAST(? /* to_ts */ AS timestamp)
  ) AS hour_records
  GROUP BY window_start_ms
),
/* Athena (Trino) plans a WITH query again at each reference, down to reading the lake, and bills
   each read: so each table is read once and each step below is referenced once
   (test/queries/one-scan.test.ts checks it). The manifests, the hours' events and the period's
   bounds become one set of rows (the columns of the others empty on each), each manifest with the
   events its hour object holds and each hour mark with the one before it. */
hour_rows AS (
  SELECT
    window_start AS hour_start,
    window_start,
    window_start_ms,
    event_count,
    late_events_total,
    quarantined_count,
    out_of_window_count,
    fetched_at,
    NULL AS hour_events,
    NULL AS events,
    NULL AS misfiled,
    NULL AS last_event_time,
    NULL AS logins,
    NULL AS unplaced_logins,
    NULL AS logins_without_user,
    NULL AS logins_without_ip,
    NULL AS logins_without_country,
    NULL AS events_without_action_type,
    NULL AS mark
  FROM covered
  UNION ALL
  SELECT
    NULL, NULL, window_start_ms, NULL, NULL, NULL, NULL, NULL,
    hour_events, events, misfiled, last_event_time, logins, unplaced_logins, logins_without_user, logins_without_ip,
    logins_without_country, events_without_action_type, NULL
  FROM stored_by_hour
  UNION ALL
  SELECT first_hour - INTERVAL '1' HOUR, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'first'
  FROM bounds
  UNION ALL
  SELECT end_hour, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'end'
  FROM bounds
),
steps AS (
  SELECT
    hour_rows.*,
    CASE
      WHEN hour_start IS NOT NULL
        THEN lag(hour_start) OVER (PARTITION BY hour_start IS NULL ORDER BY hour_start)
    END AS previous_start,
    CASE
      WHEN hour_start IS NOT NULL
        THEN lag(mark) OVER (PARTITION BY hour_start IS NULL ORDER BY hour_start)
    END AS previous_mark,
    CASE
      WHEN window_start_ms IS NOT NULL THEN max(hour_events) OVER (PARTITION BY window_start_ms)
    END AS stored,
    /* On a manifest, its object's events of other hours; on an object's events, whether a manifest
       of its window is in the period (its misfiled events are then counted on the manifest). */
    CASE
      WHEN window_start IS NOT NULL THEN max(misfiled) OVER (PARTITION BY window_start_ms)
    END AS stored_misfiled,
    CASE
      WHEN events IS NOT NULL THEN count(window_start) OVER (PARTITION BY window_start_ms)
    END AS manifests
  FROM hour_rows
),
totals AS (
  SELECT
    count(CASE WHEN s.hour_start > s.previous_start + INTERVAL '1' HOUR THEN 1 END) AS gap_count,
    min(CASE WHEN s.hour_start > s.previous_start + INTERVAL '1' HOUR THEN s.previous_start + INTERVAL '1' HOUR END)
      AS first_missing_hour,
    count(DISTINCT s.window_start) AS covered_hours,
    coalesce(sum(s.late_events_total), 0) AS late_events,
    coalesce(sum(s.quarantined_count), 0) AS quarantined,
    coalesce(sum(s.out_of_window_count), 0) AS out_of_window,
    max(s.fetched_at) AS last_fetched_at,
    coalesce(sum(s.events), 0) AS events,
    max(s.last_event_time) AS last_event_time,
    coalesce(sum(s.logins), 0) AS logins,
    coalesce(sum(s.unplaced_logins), 0) AS unplaced_logins,
    coalesce(sum(s.logins_without_user), 0) AS logins_without_user,
    coalesce(sum(s.logins_without_ip), 0) AS logins_without_ip,
    coalesce(sum(s.logins_without_country), 0) AS logins_without_country,
    coalesce(sum(s.events_without_action_type), 0) AS events_without_action_type,
    coalesce(sum(s.open_hours), 0) AS not_closed_hours,
    coalesce(sum(CASE WHEN s.previous_mark = 'first' THEN s.closed_hours END), 0) AS leading_missing_hours,
    coalesce(sum(CASE WHEN s.mark = 'end' AND s.previous_mark IS NULL THEN s.closed_hours END), 0)
      AS trailing_missing_hours,
    count(CASE WHEN s.mark IS NULL AND s.previous_mark IS NULL AND s.closed_hours > 0 THEN 1 END) AS inner_gap_count,
    coalesce(sum(CASE WHEN s.mark IS NULL AND s.previous_mark IS NULL THEN s.closed_hours END), 0)
      AS inner_missing_hours,
    /* An hour's start as text is `2026-11-17 03:00:00` in either engine, `.000` after it on Athena. */
    array_join(
      slice(
        array_sort(
          array_agg(
            substr(CAST(s.gap_start AS varchar), 1, 10) || 'T' || substr(CAST(s.gap_start AS varchar), 12, 5)
              || 'Z/PT' || CAST(s.closed_hours AS varchar) || 'H'
          ) FILTER (WHERE s.closed_hours > 0)
        ),
        1,
        3
      ),
      chr(31)
    ) AS missing_runs,
    count(CASE WHEN s.event_count > coalesce(s.stored, 0) THEN 1 END) AS short_hours,
    coalesce(sum(CASE WHEN s.event_count > coalesce(s.stored, 0) THEN s.event_count - coalesce(s.stored, 0) END), 0)
      AS short_events,
    /* An hour's events over its manifest's count, or its events of other hours if more (a swap of
       one of its own for one of another hour's is one over); an object without a manifest in the
       period, its events of other hours. */
    count(
      CASE
        WHEN s.window_start IS NOT NULL
          AND (coalesce(s.stored, 0) > s.event_count OR coalesce(s.stored_misfiled, 0) > 0)
          THEN 1
        WHEN s.manifests = 0 AND s.misfiled > 0 THEN 1
      END
    ) AS extra_hours,
    coalesce(
      sum(
        CASE
          WHEN s.window_start IS NOT NULL
            THEN greatest(coalesce(s.stored, 0) - s.event_count, coalesce(s.stored_misfiled, 0), 0)
          WHEN s.manifests = 0 THEN s.misfiled
        END
      ),
      0
    ) AS extra_events
  /* Each run of missing hours split at the current hour: those before it ended, the rest did not. */
  FROM (
    SELECT
      gap_rows.*,
      CASE
        WHEN gap_start IS NOT NULL
          THEN CAST(
            greatest(0, to_unixtime(with_timezone(least(hour_start, now_hour), 'UTC'))
              - to_unixtime(with_timezone(gap_start, 'UTC'))) / 3600 AS bigint
          )
      END AS closed_hours,
      CASE
        WHEN gap_start IS NOT NULL
          THEN CAST(
            greatest(0, to_unixtime(with_timezone(hour_start, 'UTC'))
              - to_unixtime(with_timezone(greatest(gap_start, now_hour), 'UTC'))) / 3600 AS bigint
          )
      END AS open_hours
    FROM (
      SELECT
        steps.*,
        CASE WHEN hour_start > previous_start + INTERVAL '1' HOUR THEN previous_start + INTERVAL '1' HOUR END AS gap_start,
        date_trunc('hour', CAST(current_timestamp AS timestamp)) AS now_hour
      FROM steps
    ) AS gap_rows
  ) AS s
),
health AS (
  SELECT
    CAST(
      greatest(0, (to_unixtime(with_timezone(b.end_hour, 'UTC')) - to_unixtime(with_timezone(b.first_hour, 'UTC'))) / 3600)
      AS bigint
    ) AS expected_hours,
    t.covered_hours,
    t.gap_count,
    t.first_missing_hour,
    t.late_events,
    t.quarantined,
    t.out_of_window,
    t.events,
    t.last_event_time,
    CAST(from_iso8601_timestamp(t.last_fetched_at) AS timestamp) AS last_fetched_at,
    t.logins,
    t.unplaced_logins,
    t.short_hours,
    t.short_events,
    t.logins_without_user,
    t.logins_without_ip,
    t.extra_hours,
    t.extra_events,
    t.logins_without_country,
    t.events_without_action_type,
    t.not_closed_hours,
    t.leading_missing_hours,
    t.trailing_missing_hours,
    t.inner_gap_count,
    t.inner_missing_hours,
    t.missing_runs
  FROM bounds b
  CROSS JOIN totals t
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
  logins_without_ip,
  extra_hours,
  extra_events,
  logins_without_country,
  events_without_action_type,
  not_closed_hours,
  leading_missing_hours,
  trailing_missing_hours,
  inner_gap_count,
  inner_missing_hours,
  missing_runs
FROM health
