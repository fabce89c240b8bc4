-- dataset_deletions: who deleted datasets in a period, each deletion with the week it fell in.
-- A deletion is an event of action DELETED on a dataset: object type DATA_SOURCE, DATASOURCE or
-- DATASET (the names Domo gives one), any letter case. Who did it is the actor when an admin acts
-- as another user (on_behalf_of: that user), as data_movement counts it; a deletion naming nobody
-- (no id, white space or 0) keeps the name it carries, user_id null. week: the Monday of the ISO
-- week it fell in, in time_zone (an IANA zone); week_deletions: the datasets its doer deleted
-- that week, so a mass deletion stands out. In time order.
-- params: instance, from_dt, to_dt, from_ts, to_ts, time_zone
-- columns: week, event_time, user_id, user_name, on_behalf_of, week_deletions, dataset_id, dataset_name, object_type, additional_comment, ip_address, country, event_id
WITH deletions AS (
  SELECT
    event_id,
    event_time,
    user_id,
    user_name,
    actor_id,
    actor_name,
    object_type,
    object_id,
    object_name,
    additional_comment,
    ip_address,
    ip_country,
    /* An id of white space (the ASCII one) or 0 names no user, as data_movement.sql reads it. */
    translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') AS user_named,
    translate(actor_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') AS actor_named
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    AND upper(action_type) = 'DELETED'
    AND upper(object_type) IN ('DATA_SOURCE', 'DATASOURCE', 'DATASET')
),
/* Who did it, as data_movement.sql has it: the actor when one other than the user is named. */
acted AS (
  SELECT
    deletions.*,
    coalesce(actor_named, false) AND (user_id IS NULL OR actor_id <> user_id) AS on_behalf
  FROM deletions
),
doers AS (
  SELECT
    acted.*,
    CASE WHEN on_behalf THEN actor_id WHEN coalesce(user_named, false) THEN user_id END AS doer_id,
    /* An actor's name comes with the events made for others: Domo writes an empty one for none. */
    CASE WHEN on_behalf THEN nullif(actor_name, '') ELSE user_name END AS doer_name,
    CASE WHEN on_behalf AND coalesce(user_named, false) THEN user_id END AS for_user,
    CAST(
      date_trunc(
        'week',
        CAST(at_timezone(with_timezone(event_time, 'UTC'), CAST(? /* time_zone */ AS varchar)) AS date)
      ) AS date
    ) AS week
  FROM acted
)
SELECT
  week,
  event_time,
  doer_id AS user_id,
  doer_name AS user_name,
  for_user AS on_behalf_of,
  /* Deletions naming nobody are told apart by the name they carry, as data_movement.sql does. */
  count(*) OVER (PARTITION BY week, doer_id, CASE WHEN doer_id IS NULL THEN doer_name END) AS week_deletions,
  object_id AS dataset_id,
  object_name AS dataset_name,
  object_type,
  additional_comment,
  ip_address,
  ip_country AS country,
  event_id
FROM doers
ORDER BY event_time, event_id
