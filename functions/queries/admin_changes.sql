-- admin_changes: every change to who may do what in a period, by anyone, in time order.
-- Events on users, groups, roles, authorities, access tokens, sign-in and SSO settings, proxy
-- users, public URLs, invite links and accounts (object types below, any letter case), any
-- action: what a stolen admin account does to stay in (a role raised, a token made, a user added
-- to a group). Sign-ins, sign-outs, failures and lockouts (about a USER too) are left out. Each
-- with who (user, and actor when done as another), what, Domo's comment (often the one place
-- that says what changed), the address and its place. At most max_rows rows, the first in
-- time (keep_rows newest: the last); total_rows: all.
-- params: instance, from_dt, to_dt, from_ts, to_ts, max_rows, keep_rows
-- columns: event_time, user_id, user_name, actor_id, actor_name, action_type, event_text, object_type, object_id, object_name, additional_comment, ip_address, country, asn, org, authentication_method, category, event_id, total_rows
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
/* The first in time, as user_activity cuts: a shorter period lists what a cut left out. */
listed AS (
  SELECT
    changes.*,
    row_number() OVER (ORDER BY event_time_ms, event_id) AS row_rank,
    count(*) OVER () AS total_rows
  FROM changes
)
SELECT
  event_time,
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
  total_rows
FROM listed
/* max_rows: 1000 unless given; the CLI tells when total_rows is more. keep_rows newest: the
   last max_rows in time instead, still listed in time order. */
WHERE CASE WHEN ? /* keep_rows */ = 'newest' THEN total_rows + 1 - row_rank ELSE row_rank END
  <= CAST(? /* max_rows */ AS bigint)
ORDER BY row_rank
