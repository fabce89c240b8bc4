-- user_activity: every event of one user in a period, in time order, for an investigation.
-- Those whose user_id is the one given, those it made as another (actor_id), those done to it
-- (object_type USER, object_id the id), and with named (a name or e-mail, any case) those whose
-- entry names it (raw, whole words): involvement says user, actor, subject or named. UTC and local time
-- (time_zone), what was done to what, Domo's comment, where from. Twins are rows of their own.
-- At most max_rows rows, the first in time (keep_rows newest: the last); total_rows: all.
-- params: instance, from_dt, to_dt, from_ts, to_ts, user_id, named, time_zone, max_rows, keep_rows
-- columns: event_time, local_time, involvement, user_id, user_name, actor_id, actor_name, action_type, event_text, object_type, object_id, object_name, additional_comment, ip_address, country, asn, org, device, browser_details, authentication_method, category, event_id, total_rows
/* Time units, written as numbers: SQL cannot import functions/core/time-units.ts, and Athena
   takes a parameter only in a WHERE clause (test/architecture/time-units.test.ts holds each
   to its unit): 1440 is a day in minutes. */
WITH user_events AS (
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
    device,
    browser_details,
    /* Not a column of the table: Domo sends it on some entries only (PASSWORD, SSO, DEV_TOKEN). */
    json_extract_scalar(raw, '$.authenticationMethod') AS authentication_method,
    category
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    /* Done to the user by another (an admin resetting its password, changing its role): a stolen
       admin account shows in its victims' rows too. */
    AND (
      user_id = ? /* user_id */
      OR actor_id = ? /* user_id */
      OR (upper(object_type) = 'USER' AND object_id = ? /* user_id */)
      /* Named only in a text (Domo's comment, an object's name, a username typed at a failed
         sign-in, a field the table does not read): raw holds the entry whole. As whole words, ASCII
         punctuation read as spaces on both sides: "Tim" is not the key "time", nor "Ona" inside
         "additionalComment"; "ann.lee@acme.com" is itself. The browser string left out: "Mac" is
         in most of them. Empty, or punctuation only: none. chr(63) is the question mark: every
         question mark of a saved query is a value the Athena console asks for. */
      OR (
        trim(translate(lower(? /* named */), '!"#$%&''()*+,-./:;<=>@[\]^_`{|}~' || chr(63), '                                ')) <> ''
        AND strpos(
          ' ' || translate(replace(lower(raw), lower(coalesce(browser_details, '')), ''), '!"#$%&''()*+,-./:;<=>@[\]^_`{|}~' || chr(63), '                                ') || ' ',
          ' ' || trim(translate(lower(? /* named */), '!"#$%&''()*+,-./:;<=>@[\]^_`{|}~' || chr(63), '                                ')) || ' '
        ) > 0
      )
    )
),
/* The local clock time, and the zone's offset at that instant worked out from the clock's fields
   (the engines show a timestamp with a zone differently: docs/queries.md). */
zoned AS (
  SELECT
    user_events.*,
    /* The user's part in the event, their own first: a sign-in, whose object is the user, is
       theirs. One parameter, as the Athena console asks a value for each. */
    CASE ? /* user_id */
      WHEN user_id THEN 'user'
      WHEN actor_id THEN 'actor'
      WHEN (CASE WHEN upper(object_type) = 'USER' THEN object_id END) THEN 'subject'
      ELSE 'named'
    END AS involvement,
    at_timezone(with_timezone(event_time, 'UTC'), CAST(? /* time_zone */ AS varchar)) AS local_clock
  FROM user_events
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
    count(*) OVER () AS total_rows
  FROM offsets
)
SELECT
  event_time,
  local_time,
  involvement,
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
  device,
  browser_details,
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
