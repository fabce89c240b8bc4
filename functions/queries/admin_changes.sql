-- admin_changes: every change to who may do what in a period, by anyone.
-- Events on users, groups, roles, authorities, access tokens, sign-in and SSO settings, proxy
-- users, public URLs, invite links and accounts (any case), any action: what a stolen admin does
-- to stay in. Sign-ins, sign-outs, failures and lockouts left out. Each: time (UTC, in
-- time_zone), who (user, actor acting as them), what, Domo's comment, address, place. At most
-- max_rows rows, the first in time (keep_rows newest: the last; gravest: each doer's gravest
-- first); total_rows: all. doer_id: one doer's alone, empty: all. A change Domo served twice
-- (X, X-1) is X's row, twins its copies.
-- params: instance, from_dt, to_dt, from_ts, to_ts, max_rows, keep_rows, doer_id, time_zone
-- columns: event_time, local_time, user_id, user_name, actor_id, actor_name, action_type, event_text, object_type, object_id, object_name, additional_comment, ip_address, country, asn, org, authentication_method, category, event_id, twins, total_rows
WITH changes AS (
  SELECT
    event_id,
    event_time,
    event_time_ms,
    user_id,
    user_name,
    actor_id,
    actor_name,
    action_type,
    event_text,
    object_type,
    object_id,
    object_name,
    additional_comment,
    ip_address,
    ip_country,
    ip_asn,
    ip_org,
    json_extract_scalar(raw, '$.authenticationMethod') AS authentication_method,
    category
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    /* Domo's object types of access and its settings (domo-api-notes 5.3), ACCESS_TOKEN too: a
       token outlives a password reset. Listed here alone; docs/queries.md names them. */
    AND upper(object_type) IN (
      'ACCESS_TOKEN',
      'ACCOUNT',
      'AUTHORITY',
      'EASY_INVITE_LINK',
      'GROUP',
      'LOGIN_SETTINGS',
      'PROXIER_EMAIL',
      'PROXY_USER',
      'PUBLIC_URL',
      'ROLE',
      'SSO_PAGE',
      'USER',
      'USER_STATE',
      'VIRTUAL_USER'
    )
    /* A sign-in is about its user (object USER) and changes nothing: the sign-in queries read
       those. */
    AND category NOT IN ('login', 'login_failed', 'lockout', 'logout')
),
/* A row Domo served twice is stored as X and X-1 (identical twins, byte for byte alike:
   twin-entries.ts): one change, listed once as X with twins its further copies, as the privileged
   change alert folds them. A twin whose first copy is not among the period's changes stays a row. */
copies AS (
  SELECT
    changes.*,
    CASE WHEN regexp_like(event_id, '^[0-9a-f]{64}-[0-9]+$') THEN substr(event_id, 1, 64) ELSE event_id END AS first_id
  FROM changes
),
folded AS (
  SELECT
    copies.*,
    sum(CASE WHEN event_id = first_id THEN 1 ELSE 0 END) OVER (PARTITION BY first_id) AS first_copies,
    sum(CASE WHEN event_id = first_id THEN 0 ELSE 1 END) OVER (PARTITION BY first_id) AS copies_after
  FROM copies
),
/* Who acted, as the report names them: the actor when one other than the user is named (ids
   compared exactly; white space or 0 names nobody), else the user. */
acted AS (
  SELECT
    folded.*,
    CASE WHEN event_id = first_id THEN copies_after ELSE 0 END AS twins,
    coalesce(translate(actor_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0'), false)
      AND (user_id IS NULL OR actor_id <> user_id) AS as_another
  FROM folded
  WHERE event_id = first_id OR first_copies = 0
),
/* The report's kinds, gravest first (privileged-change-rank.ts, a test keeps them equal): 0 done
   as another user, 1 about admin power, 2 to the actor's own account, 3 sign-in settings, 4 a
   token made, 5 any other. The doer's key groups each actor's changes. */
kinds AS (
  SELECT
    acted.*,
    CASE
      WHEN as_another THEN 0
      WHEN upper(object_type) IN ('ROLE', 'AUTHORITY')
        OR lower(object_name) LIKE '%admin%'
        OR lower(additional_comment) LIKE '%admin%'
        OR lower(action_type) LIKE '%admin%' THEN 1
      WHEN upper(object_type) = 'USER'
        AND coalesce(translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0'), false)
        AND object_id = user_id THEN 2
      WHEN upper(object_type) IN ('LOGIN_SETTINGS', 'SSO_PAGE') THEN 3
      WHEN upper(object_type) = 'ACCESS_TOKEN' AND upper(trim(action_type)) = 'CREATED' THEN 4
      ELSE 5
    END AS kind_rank,
    CASE
      WHEN as_another THEN 'id:' || actor_id
      WHEN coalesce(translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0'), false)
        THEN 'id:' || user_id
      WHEN user_name <> '' THEN 'name:' || user_name
      ELSE 'row:' || event_id
    END AS doer_key
  FROM acted
),
/* Each actor's changes, gravest first: a cut of gravest keeps every actor's gravest first. */
by_doer AS (
  SELECT
    kinds.*,
    row_number() OVER (PARTITION BY doer_key ORDER BY kind_rank, event_time_ms, event_id) AS doer_nth
  FROM kinds
  /* doer_id: what one user changed, whom a responder asks about; empty: everyone. Before the
     ranks below, so total_rows and a cut count that user's changes alone. */
  WHERE ? /* doer_id */ = '' OR doer_key = 'id:' || ? /* doer_id */
),
/* The local clock time, and the zone's offset at that instant worked out from the clock's fields,
   as user_activity.sql does (the engines show a timestamp with a zone differently). A time
   unit written as a number, as SQL cannot import functions/core/time-units.ts: 1440 is a day in
   minutes. */
zoned AS (
  SELECT
    by_doer.*,
    at_timezone(with_timezone(event_time, 'UTC'), CAST(? /* time_zone */ AS varchar)) AS local_clock
  FROM by_doer
),
offsets AS (
  SELECT
    zoned.*,
    CASE
      WHEN CAST(local_clock AS date) > CAST(event_time AS date) THEN 1440
      WHEN CAST(local_clock AS date) < CAST(event_time AS date) THEN -1440
      ELSE 0
    END + 60 * (hour(local_clock) - hour(event_time)) + minute(local_clock) - minute(event_time) AS offset_minutes
  FROM zoned
),
/* The first in time, as user_activity cuts: a shorter period lists what a cut left out. */
listed AS (
  SELECT
    offsets.*,
    CAST(CAST(local_clock AS date) AS varchar) || ' '
      || lpad(CAST(hour(local_clock) AS varchar), 2, '0') || ':'
      || lpad(CAST(minute(local_clock) AS varchar), 2, '0') || ':'
      || lpad(CAST(second(local_clock) AS varchar), 2, '0') || ' '
      || CASE WHEN offset_minutes < 0 THEN '-' ELSE '+' END
      || lpad(CAST(CAST(floor(CAST(abs(offset_minutes) AS double) / 60) AS bigint) AS varchar), 2, '0')
      || ':' || lpad(CAST(abs(offset_minutes) % 60 AS varchar), 2, '0') AS local_time,
    row_number() OVER (ORDER BY event_time_ms, event_id) AS row_rank,
    row_number() OVER (
      ORDER BY CASE WHEN doer_nth = 1 THEN 0 ELSE 1 END, kind_rank, event_time_ms, event_id
    ) AS grave_rank,
    count(*) OVER () AS total_rows
  FROM offsets
)
SELECT
  event_time,
  local_time,
  user_id,
  user_name,
  actor_id,
  actor_name,
  action_type,
  event_text,
  object_type,
  object_id,
  object_name,
  additional_comment,
  ip_address,
  ip_country AS country,
  ip_asn AS asn,
  ip_org AS org,
  authentication_method,
  category,
  event_id,
  twins,
  total_rows
FROM listed
/* max_rows: 1000 unless given; the CLI tells when total_rows is more. keep_rows newest: the
   last max_rows in time instead; gravest: the max_rows first by grave_rank (the weekly report's
   read). Listed in time order either way. */
WHERE CASE ? /* keep_rows */
    WHEN 'newest' THEN total_rows + 1 - row_rank
    WHEN 'gravest' THEN grave_rank
    ELSE row_rank
  END <= CAST(? /* max_rows */ AS bigint)
ORDER BY row_rank
