-- data_movement: per user, the period's actions by which data leaves Domo or access outlasts them.
-- Exports (a card's or a dataset's data taken out), shares, deletions, access tokens created or
-- deleted (a token outlives its owner's leaving), views of the activity log. One row per user
-- and kind: events, those made acting as another, for how many users and whom, distinct objects,
-- their types, first and last time; user_events, the sum of the user's rows only, orders the
-- users. Action and object types are Domo's (any case), listed in the CASE below alone. The
-- user is who did it: an admin acting as another (actor_id) counts as the admin. Events naming
-- nobody (no id, white space or 0) are grouped by the name they carry, user_id null. doer_id:
-- one user's rows alone, empty for all.
-- params: instance, from_dt, to_dt, from_ts, to_ts, doer_id
-- columns: user_id, user_name, kind, events, on_behalf_events, on_behalf_users, on_behalf_of, objects, object_types, first_time, last_time, user_events
WITH period_events AS (
  SELECT
    user_id,
    user_name,
    actor_id,
    actor_name,
    event_id,
    event_time,
    event_time_ms,
    action_type,
    object_type,
    object_id,
    /* An id of white space (the ASCII one) or 0 names no user: Domo writes 0 for none in actor_id,
       as failed_logins_and_lockouts.sql reads it. chr: no escapes in SQL texts. */
    translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') AS user_named,
    translate(actor_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') AS actor_named
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
),
/* Who did it: the actor when one other than the user is named (an admin acting as the user, whom
   user_id names), else the user. Attributed to the user, an admin's exports for others hid under
   their names, and "what did this admin take out" found none (review R-QUERIES M2). */
acted AS (
  SELECT
    period_events.*,
    coalesce(actor_named, false) AND (user_id IS NULL OR actor_id <> user_id) AS on_behalf
  FROM period_events
),
doers AS (
  SELECT
    acted.*,
    CASE WHEN on_behalf THEN actor_id WHEN coalesce(user_named, false) THEN user_id END AS doer_id,
    /* An actor's name comes with the events made for others: Domo writes an empty one for none. */
    CASE WHEN on_behalf THEN nullif(actor_name, '') ELSE user_name END AS doer_name,
    CASE WHEN on_behalf AND coalesce(user_named, false) THEN user_id END AS for_user
  FROM acted
),
/* The one list of what counts (docs/queries.md, data_movement): the values Domo is known to send
   (its documentation, entries seen from real instances, domo-api-notes section 5). Domo documents
   no download action: a dataset or card downloaded as a file is an export. A value of your
   instance that is not here (the instance lists its own: docs/queries.md) gets a line here. */
kinded AS (
  SELECT
    doers.*,
    /* Events naming nobody who did them are told apart by the names they carry, as the failures
       of failed_logins_and_lockouts.sql: one pseudo-user of every such event said nothing. */
    CASE WHEN doer_id IS NULL THEN doer_name END AS name_key,
    CASE
      WHEN upper(object_type) = 'ACCESS_TOKEN' AND upper(action_type) = 'CREATED' THEN 'token_created'
      WHEN upper(object_type) = 'ACCESS_TOKEN' AND upper(action_type) = 'DELETED' THEN 'token_deleted'
      WHEN upper(object_type) = 'ACTIVITY_LOG' AND upper(action_type) = 'VIEWED' THEN 'activity_log_viewed'
      WHEN upper(action_type) = 'EXPORTED' THEN 'export'
      WHEN upper(action_type) = 'SHARED' THEN 'share'
      WHEN upper(action_type) = 'DELETED' THEN 'delete'
    END AS kind
  FROM doers
  /* doer_id: what one user did, whom a responder asks about; empty: everyone. Before the window
     below, which is the doer's alone, so a user's rows are the same either way. */
  WHERE ? /* doer_id */ = '' OR doer_id = ? /* doer_id */
),
/* The latest name each user's events carry (of any kind), as the other queries name users. */
named AS (
  SELECT
    kinded.*,
    max_by(
      doer_name,
      CASE WHEN doer_name IS NOT NULL THEN lpad(CAST(event_time_ms AS varchar), 15, '0') || event_id END
    ) OVER (PARTITION BY doer_id, name_key) AS latest_name
  FROM kinded
),
per_kind AS (
  SELECT
    doer_id AS user_id,
    name_key,
    max(latest_name) AS user_name,
    kind,
    count(*) AS events,
    count(*) FILTER (WHERE on_behalf) AS on_behalf_events,
    count(DISTINCT for_user) AS on_behalf_users,
    /* The first 10 ids in text order, then how many more: an admin acting for 3,000 users made a
       36 KB cell, a table line no terminal shows (review R-Q3 M3). The count is on_behalf_users. */
    array_join(slice(array_sort(array_agg(DISTINCT for_user) FILTER (WHERE for_user IS NOT NULL)), 1, 10), ', ')
      || CASE
        WHEN count(DISTINCT for_user) > 10 THEN ' and ' || CAST(count(DISTINCT for_user) - 10 AS varchar) || ' more'
        ELSE ''
      END AS on_behalf_of,
    count(DISTINCT coalesce(object_type, '') || ':' || object_id) AS objects,
    array_join(array_sort(array_agg(DISTINCT object_type) FILTER (WHERE object_type IS NOT NULL)), ', ') AS object_types,
    min(event_time) AS first_time,
    max(event_time) AS last_time
  FROM named
  WHERE kind IS NOT NULL
  GROUP BY doer_id, name_key, kind
)
SELECT
  user_id,
  user_name,
  kind,
  events,
  on_behalf_events,
  on_behalf_users,
  on_behalf_of,
  objects,
  object_types,
  first_time,
  last_time,
  sum(events) OVER (PARTITION BY user_id, name_key) AS user_events
FROM per_kind
ORDER BY user_events DESC, user_id NULLS LAST, name_key NULLS LAST, kind
