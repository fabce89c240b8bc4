-- user_unusual_activity: what one user did in the period that their own history says they seldom or never do.
-- Per action (any case) and object, the user's events (as another user too; not what an admin
-- did as them) against the history [history_from_ts, from_ts). finding: first_time (none of that
-- action on that object in a history holding other events of the user), above_usual (at least 5,
-- and 3 times usual_events: the history's, scaled to the period (to the lake's last hour in it)
-- over the lake's part of the window) or no_history (no history event of the user: nothing
-- judged, every row listed). Views only from 5 events. Moves first, most events first. At most
-- max_rows rows; total_rows: all.
-- params: instance, from_dt, to_dt, from_ts, to_ts, history_from_dt, history_from_ts, user_id, max_rows
-- columns: action_type, object_type, object_id, object_name, finding, events, history_events, usual_events, first_time, last_time, total_rows
WITH scanned AS (
  SELECT
    user_id,
    actor_id,
    event_id,
    event_time,
    event_time_ms,
    window_end_ms,
    upper(action_type) AS action,
    object_type,
    object_id,
    object_name,
    event_time >= CAST(? /* from_ts */ AS timestamp) AS in_period,
    /* An id of white space (the ASCII one) or 0 names no user, as data_movement reads it. */
    translate(actor_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') AS actor_named
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* history_from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* history_from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
),
/* Who did it, as data_movement.sql has it: the actor when one other than the user is named. */
doers AS (
  SELECT
    scanned.*,
    CASE
      WHEN coalesce(actor_named, false) AND (user_id IS NULL OR actor_id <> user_id) THEN actor_id
      ELSE user_id
    END AS doer_id
  FROM scanned
),
/* Every doer's actions on objects (the user's are picked after the window below): their first
   history events tell where the lake's history begins, of anyone, as bulk_data_movement.sql reads
   it, so a lake younger than the window does not spread the user's events over days it never
   held. A window over these rows, not over the scan, which Athena would hold on one node. */
per_object AS (
  SELECT
    doer_id,
    action,
    object_type,
    object_id,
    /* The latest name the events give the object: DuckDB's max_by skips a NULL name, Trino's
       keeps it, so both are given the named events alone. */
    max_by(
      object_name,
      CASE WHEN object_name IS NOT NULL THEN lpad(CAST(event_time_ms AS varchar), 15, '0') || event_id END
    ) AS object_name,
    count(*) FILTER (WHERE in_period) AS events,
    count(*) FILTER (WHERE NOT in_period) AS history_events,
    min(CASE WHEN in_period THEN event_time END) AS first_time,
    max(CASE WHEN in_period THEN event_time END) AS last_time,
    min(CASE WHEN NOT in_period THEN event_time_ms END) AS first_history_ms,
    max(CASE WHEN in_period THEN window_end_ms END) AS last_period_window_end_ms
  FROM doers
  GROUP BY doer_id, action, object_type, object_id
),
history_start AS (
  SELECT
    per_object.*,
    min(first_history_ms) OVER () AS history_first_ms,
    max(last_period_window_end_ms) OVER () AS events_end_ms
  FROM per_object
),
mine AS (
  SELECT *
  FROM history_start
  WHERE doer_id = ? /* user_id */
),
/* Where the lake's hours in the period end: the end of its last hour with a coverage manifest.
   A period asked for while it runs (this month, mid-month) holds days the lake has no data of
   yet, and scaling the history to them would dilute the usual rate. */
covered AS (
  SELECT max(window_end_ms) AS covered_end_ms
  FROM coverage
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND window_start >= CAST(? /* from_ts */ AS timestamp)
    AND window_start < CAST(? /* to_ts */ AS timestamp)
),
/* The period's and the history's lengths in seconds, and whether the user has any history. The
   period ends at to_ts or where the lake's hours end, the sooner: its last hour with a manifest or
   with an event, whichever is later (a lake without manifests still ends at its last event's
   hour). The user has an event in the period on every row kept, so the end is never empty. */
judged AS (
  SELECT
    mine.*,
    sum(history_events) OVER () AS user_history_events,
    least(bounds.to_s, CAST(greatest(coalesce(covered_end_ms, events_end_ms), events_end_ms) AS double) / 1000)
      - bounds.from_s AS period_s,
    bounds.from_s - CAST(history_first_ms AS double) / 1000 AS history_s
  FROM mine
  CROSS JOIN covered
  CROSS JOIN (
    SELECT
      to_unixtime(with_timezone(CAST(? /* from_ts */ AS timestamp), 'UTC')) AS from_s,
      to_unixtime(with_timezone(CAST(? /* to_ts */ AS timestamp), 'UTC')) AS to_s
  ) bounds
),
found AS (
  SELECT
    judged.*,
    CASE
      WHEN user_history_events = 0 THEN 'no_history'
      WHEN history_events = 0 THEN 'first_time'
      WHEN events >= 5 AND events * history_s >= 3 * history_events * period_s THEN 'above_usual'
    END AS finding
  FROM judged
  WHERE events > 0
),
listed AS (
  SELECT
    found.*,
    row_number() OVER (
      ORDER BY CASE WHEN action = 'VIEWED' THEN 1 ELSE 0 END, events DESC, action, object_type, object_id
    ) AS row_rank,
    count(*) OVER () AS total_rows
  FROM found
  WHERE finding IS NOT NULL
    AND (coalesce(action, '') <> 'VIEWED' OR events >= 5)
)
SELECT
  action AS action_type,
  object_type,
  object_id,
  object_name,
  finding,
  events,
  history_events,
  round(history_events * period_s / history_s, 1) AS usual_events,
  first_time,
  last_time,
  total_rows
FROM listed
/* max_rows: 1000 unless given; the CLI tells when total_rows is more. */
WHERE row_rank <= CAST(? /* max_rows */ AS bigint)
ORDER BY row_rank
