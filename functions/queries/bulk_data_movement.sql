-- bulk_data_movement: users who moved far more data out in the period than their own history says they do.
-- A move is an export (EXPORTED: a card's or dataset's data taken out as a file; no download
-- action known) or a share (SHARED: others given access), any case, by who did it (the
-- actor acting as another), as data_movement counts. Listed: first_time (moves
-- in the period, none in a history holding the user's other events) or above_baseline (at
-- least 5 moves, and 3 times baseline_moves: the history's moves over the lake's part of
-- [history_from_ts, from_ts), scaled to the period up to the lake's last hour). A user with no
-- history event is not judged. Most first. doer_id: one user's row ('': all).
-- params: instance, from_dt, to_dt, from_ts, to_ts, history_from_dt, history_from_ts, doer_id
-- columns: user_id, user_name, finding, moves, exports, shares, dataset_exports, objects, history_moves, history_events, baseline_moves, first_time, last_time
WITH scanned AS (
  SELECT
    user_id,
    user_name,
    actor_id,
    actor_name,
    event_id,
    event_time,
    event_time_ms,
    window_end_ms,
    action_type,
    object_type,
    object_id,
    event_time >= CAST(? /* from_ts */ AS timestamp) AS in_period,
    /* An id of white space (the ASCII one) or 0 names no user, as data_movement reads it. */
    translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') AS user_named,
    translate(actor_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') AS actor_named
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* history_from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* history_from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
),
/* Who did it, as data_movement.sql has it: the actor when one other than the user is named. */
acted AS (
  SELECT
    scanned.*,
    coalesce(actor_named, false) AND (user_id IS NULL OR actor_id <> user_id) AS on_behalf
  FROM scanned
),
doers AS (
  SELECT
    acted.*,
    CASE WHEN on_behalf THEN actor_id WHEN coalesce(user_named, false) THEN user_id END AS doer_id,
    CASE WHEN on_behalf THEN nullif(actor_name, '') ELSE user_name END AS doer_name,
    CASE WHEN upper(action_type) = 'EXPORTED' THEN 'export' WHEN upper(action_type) = 'SHARED' THEN 'share' END AS move
  FROM acted
),
/* Every doer's row, the events of no named doer too (one row of NULL): their first history event
   tells where the lake's history begins. */
grouped AS (
  SELECT
    doer_id AS user_id,
    max_by(
      doer_name,
      CASE WHEN doer_name IS NOT NULL THEN lpad(CAST(event_time_ms AS varchar), 15, '0') || event_id END
    ) AS user_name,
    count(*) FILTER (WHERE in_period AND move IS NOT NULL) AS moves,
    count(*) FILTER (WHERE in_period AND move = 'export') AS exports,
    count(*) FILTER (WHERE in_period AND move = 'share') AS shares,
    count(*) FILTER (WHERE in_period AND move = 'export' AND upper(object_type) = 'DATA_SOURCE') AS dataset_exports,
    count(DISTINCT CASE WHEN in_period AND move IS NOT NULL THEN coalesce(object_type, '') || ':' || object_id END)
      AS objects,
    count(*) FILTER (WHERE NOT in_period AND move IS NOT NULL) AS history_moves,
    count(*) FILTER (WHERE NOT in_period) AS history_events,
    min(CASE WHEN in_period AND move IS NOT NULL THEN event_time END) AS first_time,
    max(CASE WHEN in_period AND move IS NOT NULL THEN event_time END) AS last_time,
    min(CASE WHEN NOT in_period THEN event_time_ms END) AS first_history_ms,
    max(CASE WHEN in_period THEN window_end_ms END) AS last_period_window_end_ms
  FROM doers
  GROUP BY doer_id
),
/* Where the lake's history begins: its first event in the window, of anyone. A window over the
   doers' rows, not over the scan: Athena holds the rows a window reads in memory, a window of no
   partition all on one node, which 37 days of a busy instance's events would not fit. */
per_user AS (
  SELECT
    grouped.*,
    min(first_history_ms) OVER () AS history_first_ms,
    max(last_period_window_end_ms) OVER () AS events_end_ms
  FROM grouped
),
/* Where the lake's hours in the period end: the end of its last hour with a coverage manifest,
   as user_unusual_activity.sql reads it. A period asked for while it runs holds days the lake
   has no data of yet, and scaling the history to them would dilute the baseline. */
covered AS (
  SELECT max(window_end_ms) AS covered_end_ms
  FROM coverage
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND window_start >= CAST(? /* from_ts */ AS timestamp)
    AND window_start < CAST(? /* to_ts */ AS timestamp)
),
/* The period's and the history's lengths in seconds: the history from the lake's first event in
   it, so a lake younger than the window does not spread a user's moves over days it never held;
   the period to to_ts or the end of the lake's last hour in it with a manifest or an event,
   whichever is later, the sooner of the two. A row kept has moves in the period, so an end. */
spans AS (
  SELECT
    per_user.*,
    least(bounds.to_s, CAST(greatest(coalesce(covered_end_ms, events_end_ms), events_end_ms) AS double) / 1000)
      - bounds.from_s AS period_s,
    bounds.from_s - CAST(history_first_ms AS double) / 1000 AS history_s
  FROM per_user
  CROSS JOIN covered
  CROSS JOIN (
    SELECT
      to_unixtime(with_timezone(CAST(? /* from_ts */ AS timestamp), 'UTC')) AS from_s,
      to_unixtime(with_timezone(CAST(? /* to_ts */ AS timestamp), 'UTC')) AS to_s
  ) bounds
  WHERE user_id IS NOT NULL
    AND moves > 0
    AND history_events > 0
    /* doer_id: what one user moved, whom a responder asks about; empty: everyone. After the window
       above, not before as in data_movement: where the lake's history begins is everyone's first
       event, and a user's row must be the same either way. */
    AND (? /* doer_id */ = '' OR user_id = ? /* doer_id */)
)
SELECT
  user_id,
  user_name,
  CASE WHEN history_moves = 0 THEN 'first_time' ELSE 'above_baseline' END AS finding,
  moves,
  exports,
  shares,
  dataset_exports,
  objects,
  history_moves,
  history_events,
  round(history_moves * period_s / history_s, 1) AS baseline_moves,
  first_time,
  last_time
FROM spans
WHERE history_moves = 0
  OR (moves >= 5 AND moves * history_s >= 3 * history_moves * period_s)
ORDER BY moves DESC, user_id
