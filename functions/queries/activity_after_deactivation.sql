-- activity_after_deactivation: every event in the name of a user deactivated earlier in a period.
-- Deleted counts as deactivated, a reactivation clears it. A deactivation: category other, object
-- type USER or USER_STATE (any case), object id the user's, action type beginning with a word
-- beginning deactivat, delet or disabl, or event text saying one of a user (Deleted user);
-- reactivat, activat, enabl, restor or undelet so brings the user back (a user's own settings,
-- Disabled email notifications, are neither; unconfirmed: docs/alerts.md). Counted for the user, and the actor acting as
-- another; not failures, lockouts, the state changes. At most max_rows rows; total_rows: all.
-- params: instance, from_dt, to_dt, from_ts, to_ts, max_rows
-- columns: event_time, deactivated_user_id, deactivated_at, deactivated_by, acted_as, user_id, user_name, actor_id, actor_name, category, action_type, event_text, object_type, object_id, object_name, ip_address, country, authentication_method, event_id, deactivation_event_id, total_rows
WITH period AS (
  SELECT
    event_id,
    event_time,
    event_time_ms,
    user_id,
    user_name,
    actor_id,
    actor_name,
    category,
    action_type,
    event_text,
    object_type,
    object_id,
    object_name,
    ip_address,
    ip_country,
    /* Not a column of the table: Domo sends it on some entries only (PASSWORD, SSO, DEV_TOKEN). */
    json_extract_scalar(raw, '$.authenticationMethod') AS authentication_method,
    lower(coalesce(action_type, '') || ' ' || coalesce(event_text, '')) AS words,
    category = 'other' AND upper(object_type) IN ('USER', 'USER_STATE')
      AND translate(object_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0')
      AS on_user
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
),
/* The state changes: a reactivation's words first, so Deactivated (no word starts activat) is
   not one. */
states AS (
  SELECT
    object_id AS state_user_id,
    event_time_ms AS state_ms,
    event_time AS state_time,
    event_id AS state_event_id,
    user_name AS state_by,
    CASE
      WHEN regexp_like(words, '^([a-z]+_)*(reactivat|activat|enabl|restor|undelet)[a-z_]* |(^|[^a-z])(reactivat|activat|enabl|restor|undelet)[a-z]* +(the +){0,1}user([^a-z]|$)|(^|[^a-z])user +(reactivat|activat|enabl|restor|undelet)[a-z]*( *$|[^a-z ]| +by([^a-z]|$))') THEN 'on'
      WHEN regexp_like(words, '^([a-z]+_)*(deactivat|delet|disabl)[a-z_]* |(^|[^a-z])(deactivat|delet|disabl)[a-z]* +(the +){0,1}user([^a-z]|$)|(^|[^a-z])user +(deactivat|delet|disabl)[a-z]*( *$|[^a-z ]| +by([^a-z]|$))') THEN 'off'
    END AS state
  FROM period
  WHERE coalesce(on_user, false)
),
changes AS (
  SELECT * FROM states WHERE state IS NOT NULL
),
/* What acted: every event but failures, lockouts and the state changes, once for its user and
   once for its actor acting as another (an id of white space or 0 names nobody). */
acts AS (
  SELECT period.*, user_id AS acted_as, 'user' AS acted_role
  FROM period
  WHERE category NOT IN ('login_failed', 'lockout')
    AND translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0')
    AND event_id NOT IN (SELECT state_event_id FROM changes)
  UNION ALL
  SELECT period.*, actor_id AS acted_as, 'actor' AS acted_role
  FROM period
  WHERE category NOT IN ('login_failed', 'lockout')
    AND translate(actor_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0')
    AND (user_id IS NULL OR actor_id <> user_id)
    AND event_id NOT IN (SELECT state_event_id FROM changes)
),
/* The latest state change of the one acted as before each act; a reactivation at the same
   millisecond as a deactivation is taken as after it. */
latest AS (
  SELECT
    acts.event_id,
    acts.acted_as,
    max_by(changes.state, changes.state_ms * 2 + CASE changes.state WHEN 'on' THEN 1 ELSE 0 END) AS state,
    max_by(changes.state_time, changes.state_ms * 2 + CASE changes.state WHEN 'on' THEN 1 ELSE 0 END) AS state_time,
    max_by(changes.state_by, changes.state_ms * 2 + CASE changes.state WHEN 'on' THEN 1 ELSE 0 END) AS state_by,
    max_by(changes.state_event_id, changes.state_ms * 2 + CASE changes.state WHEN 'on' THEN 1 ELSE 0 END)
      AS state_event_id
  FROM acts
  JOIN changes ON changes.state_user_id = acts.acted_as AND changes.state_ms < acts.event_time_ms
  GROUP BY acts.event_id, acts.acted_as
),
listed AS (
  SELECT
    acts.*,
    latest.state_time,
    latest.state_by,
    latest.state_event_id,
    row_number() OVER (ORDER BY acts.event_time_ms, acts.event_id, acts.acted_as) AS row_rank,
    count(*) OVER () AS total_rows
  FROM acts
  JOIN latest ON latest.event_id = acts.event_id AND latest.acted_as = acts.acted_as
  WHERE latest.state = 'off'
)
SELECT
  event_time,
  acted_as AS deactivated_user_id,
  state_time AS deactivated_at,
  state_by AS deactivated_by,
  acted_role AS acted_as,
  user_id,
  user_name,
  actor_id,
  actor_name,
  category,
  action_type,
  event_text,
  object_type,
  object_id,
  object_name,
  ip_address,
  ip_country AS country,
  authentication_method,
  event_id,
  state_event_id AS deactivation_event_id,
  total_rows
FROM listed
/* max_rows: 1000 unless given; the CLI tells when total_rows is more. */
WHERE row_rank <= CAST(? /* max_rows */ AS bigint)
ORDER BY row_rank
