-- data_movement: per user, the period's actions by which data leaves Domo or access outlasts them.
-- Exports (a card's or a dataset's data taken out), shares, deletions, access tokens created or
-- deleted (a token keeps working after its owner leaves), views of the activity log itself. One row
-- per user and kind with events, distinct objects, their object types and the first and last time;
-- user_events, the user's events of every kind, orders the users (most first). The action and
-- object types are Domo's (in any letter case), listed in the CASE below and nowhere else.
-- Events without a user_id are left out; one an admin made on a user's behalf is that user's.
-- params: instance, from_dt, to_dt, from_ts, to_ts
-- columns: user_id, user_name, kind, events, objects, object_types, first_time, last_time, user_events
WITH period_events AS (
  SELECT user_id, user_name, event_id, event_time, event_time_ms, action_type, object_type, object_id
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    AND user_id IS NOT NULL
),
/* The one list of what counts (docs/queries.md, data_movement): the values Domo is known to send
   (its documentation, entries seen from real instances, domo-api-notes section 5). Domo documents
   no download action: a dataset or card downloaded as a file is an export. A value of your
   instance that is not here (the instance lists its own: docs/queries.md) gets a line here. */
kinded AS (
  SELECT
    period_events.*,
    CASE
      WHEN upper(object_type) = 'ACCESS_TOKEN' AND upper(action_type) = 'CREATED' THEN 'token_created'
      WHEN upper(object_type) = 'ACCESS_TOKEN' AND upper(action_type) = 'DELETED' THEN 'token_deleted'
      WHEN upper(object_type) = 'ACTIVITY_LOG' AND upper(action_type) = 'VIEWED' THEN 'activity_log_viewed'
      WHEN upper(action_type) = 'EXPORTED' THEN 'export'
      WHEN upper(action_type) = 'SHARED' THEN 'share'
      WHEN upper(action_type) = 'DELETED' THEN 'delete'
    END AS kind
  FROM period_events
),
/* The latest name each user's events carry (of any kind), as the other queries name users. */
named AS (
  SELECT
    kinded.*,
    max_by(
      user_name,
      CASE WHEN user_name IS NOT NULL THEN lpad(CAST(event_time_ms AS varchar), 15, '0') || event_id END
    ) OVER (PARTITION BY user_id) AS latest_name
  FROM kinded
),
per_kind AS (
  SELECT
    user_id,
    max(latest_name) AS user_name,
    kind,
    count(*) AS events,
    count(DISTINCT coalesce(object_type, '') || ':' || object_id) AS objects,
    array_join(array_sort(array_agg(DISTINCT object_type) FILTER (WHERE object_type IS NOT NULL)), ', ') AS object_types,
    min(event_time) AS first_time,
    max(event_time) AS last_time
  FROM named
  WHERE kind IS NOT NULL
  GROUP BY user_id, kind
)
SELECT
  user_id,
  user_name,
  kind,
  events,
  objects,
  object_types,
  first_time,
  last_time,
  sum(events) OVER (PARTITION BY user_id) AS user_events
FROM per_kind
ORDER BY user_events DESC, user_id, kind
