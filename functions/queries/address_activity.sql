-- address_activity: every event from one address or IPv4 /24 in a period, any user, in time order.
-- An incident's pivot: what else came from the address a finding names. The address is matched
-- as an entry of ip_address (alone, with its port, in brackets, anywhere in a forwarded-for list,
-- an IPv4 one as ::ffff:a.b.c.d too), never inside a longer address; an IPv6 one as written,
-- letter case aside; a.b.c.0/24 for every address of the /24. Each with who, what, Domo's
-- comment, the whole ip_address and its place. At most max_rows rows, the first in time
-- (keep_rows newest: the last); total_rows: all.
-- params: instance, from_dt, to_dt, from_ts, to_ts, address, max_rows, keep_rows
-- columns: event_time, user_id, user_name, actor_id, actor_name, action_type, event_text, object_type, object_id, object_name, additional_comment, ip_address, country, asn, org, device, browser_details, authentication_method, category, event_id, total_rows
WITH from_address AS (
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
    json_extract_scalar(raw, '$.authenticationMethod') AS authentication_method,
    category
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    /* An address's characters only: the value goes into a pattern, and the Athena console checks
       nothing. */
    AND regexp_like(? /* address */, '^([0-9a-fA-F]*:[0-9a-fA-F:.]*|[0-9]{1,3}(\.[0-9]{1,3}){3}(/24){0,1})$')
    /* The entry's edges, as docs/queries.md's recipe: no digit or dot beside an IPv4 address
       (a colon may be its port's or ::ffff:'s), no hex digit, colon or dot beside an IPv6 one. Its
       dots escaped; a /24 ends in any last octet. */
    AND regexp_like(
      lower(ip_address),
      replace(
        replace(
          '(^|[^0-9.])' || replace(lower(? /* address */), '.', '\.') || '($|[^0-9.])',
          '\.0/24(',
          '\.[0-9]{1,3}('
        ),
        '[^0-9.]',
        CASE WHEN strpos(? /* address */, ':') > 0 THEN '[^0-9a-f:.]' ELSE '[^0-9.]' END
      )
    )
),
/* The first in time, as user_activity cuts: a shorter period lists what a cut left out. */
listed AS (
  SELECT
    from_address.*,
    row_number() OVER (ORDER BY event_time_ms, event_id) AS row_rank,
    count(*) OVER () AS total_rows
  FROM from_address
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
