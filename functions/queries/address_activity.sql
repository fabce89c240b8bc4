-- address_activity: every event from one address or IPv4 /24 in a period, any user, in time order.
-- Matched as an entry of ip_address (alone, with a port, in brackets or a forwarded list,
-- an IPv4 one as ::ffff:a.b.c.d too), never inside a longer address; IPv6 as written, case
-- aside, or, given as 8 groups, in every spelling; a.b.c.0/24 for all of the /24. Or (asn) of
-- one network owner, or both. Each with its time in time_zone too, who, what, Domo's comment,
-- the whole ip_address, its place. At most max_rows rows, the first in time (keep_rows newest:
-- the last); total_rows: all. A refused value lists one row, event_text saying why.
-- params: instance, from_dt, to_dt, from_ts, to_ts, address, asn, time_zone, max_rows, keep_rows
-- columns: event_time, local_time, user_id, user_name, actor_id, actor_name, action_type, event_text, object_type, object_id, object_name, additional_comment, ip_address, country, asn, org, device, browser_details, authentication_method, category, event_id, total_rows
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
    /* An address as the CLI takes one (docs/queries.md): the value goes into a pattern, and the
       Athena console checks nothing. q a dotted quad, o an octet (none over 255, none with a
       leading zero), h a group of an IPv6 address; one double colon at most, standing for a
       group or more; a dotted quad only last. The refused rows below say so; the same test. */
    AND regexp_like(? /* address */, replace(replace(replace(
      '^(q|o\.o\.o\.0/24|(h:){7}h|(h:){6}q|::(h(:h){0,6}|(h:){0,5}q){0,1}|h::(h(:h){0,5}|(h:){0,4}q){0,1}|(h:){1}h::(h(:h){0,4}|(h:){0,3}q){0,1}|(h:){2}h::(h(:h){0,3}|(h:){0,2}q){0,1}|(h:){3}h::(h(:h){0,2}|(h:){0,1}q){0,1}|(h:){4}h::(h(:h){0,1}|q){0,1}|(h:){5}h::(h){0,1}|(h:){6}h::|)$',
      'q', 'o(\.o){3}'), 'o', '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]{0,1}[0-9])'), 'h', '[0-9a-fA-F]{1,4}'))
    /* asn: the network owner the geo data placed the event in (its client entry), empty for any;
       an address or an asn at least, or a typo would list every event. */
    AND (? /* asn */ = '' OR ip_asn = try_cast(replace(upper(? /* asn */), 'AS', '') AS bigint))
    AND ? /* address */ || ? /* asn */ <> ''
    /* The entry's edges, as docs/queries.md's recipe: no digit or dot beside an IPv4 address
       (a colon may be its port's or ::ffff:'s), no hex digit, colon or dot beside an IPv6 one. Its
       dots escaped; a /24 ends in any last octet. An empty address: the asn's events. */
    AND (? /* address */ = '' OR regexp_like(
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
    /* An IPv6 address in any spelling: the CLI gives its eight groups without leading zeros or
       a double colon (2a00:1450:4001:81c:0:0:0:200e); each entry of the list, white space out, a
       bracket and port cut, is written out as eight groups (a double colon's zero groups
       spelled), then matched allowing leading zeros in each group. Each filter of one element
       names a step's value. */
    OR strpos(? /* address */, ':') > 0 AND array_join(filter(
      split(translate(lower(ip_address), ' ' || chr(9) || chr(10) || chr(13) || chr(12), ''), ','),
      ip_entry -> array_join(filter(
        ARRAY[CASE WHEN ip_entry LIKE '[%' THEN split_part(substr(ip_entry, 2), ']', 1) ELSE ip_entry END],
        v6_entry -> array_join(filter(
          ARRAY[CASE WHEN v6_entry LIKE '::%' THEN '0' ELSE '' END || v6_entry || CASE WHEN v6_entry LIKE '%::' THEN '0' ELSE '' END],
          v6_closed -> regexp_like(
            replace(
              v6_closed,
              '::',
              ':' || substr('0:0:0:0:0:0:0:', 1, greatest(0, 2 * (8 - (length(v6_closed) - length(replace(v6_closed, ':', ''))))))
            ),
            '^0*' || replace(? /* address */, ':', ':0*') || '$'
          )
        ), ',') <> ''
      ), ',') <> ''
    ), ',') <> ''
    )
),
/* The local clock time, and the zone's offset at that instant worked out from the clock's fields,
   as user_activity.sql does (the engines show a timestamp with a zone differently). A time
   unit written as a number, as SQL cannot import functions/core/time-units.ts: 1440 is a day in
   minutes. */
zoned AS (
  SELECT
    from_address.*,
    at_timezone(with_timezone(event_time, 'UTC'), CAST(? /* time_zone */ AS varchar)) AS local_clock
  FROM from_address
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
    count(*) OVER () AS total_rows
  FROM offsets
),
/* What the CLI refuses before the query runs, said in a row of its own for the Athena console,
   which checks nothing: otherwise a typo lists no row, unsaid. The address's test is the one
   above, so such a row comes with no event. */
refused AS (
  SELECT 'address is not an address: give one IPv4 or IPv6 address (1.2.3.4, 2001:db8::1) or an IPv4 /24 (a.b.c.0/24), or an empty value with an asn' AS refusal
  WHERE NOT regexp_like(? /* address */, replace(replace(replace(
        '^(q|o\.o\.o\.0/24|(h:){7}h|(h:){6}q|::(h(:h){0,6}|(h:){0,5}q){0,1}|h::(h(:h){0,5}|(h:){0,4}q){0,1}|(h:){1}h::(h(:h){0,4}|(h:){0,3}q){0,1}|(h:){2}h::(h(:h){0,3}|(h:){0,2}q){0,1}|(h:){3}h::(h(:h){0,2}|(h:){0,1}q){0,1}|(h:){4}h::(h(:h){0,1}|q){0,1}|(h:){5}h::(h){0,1}|(h:){6}h::|)$',
        'q', 'o(\.o){3}'), 'o', '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]{0,1}[0-9])'), 'h', '[0-9a-fA-F]{1,4}'))
  UNION ALL
  SELECT 'asn is not an autonomous system number: give one as 13335 or AS13335, or an empty value with an address'
  WHERE NOT regexp_like(? /* asn */, '^(([aA][sS]){0,1}[0-9]{1,10}|)$')
  UNION ALL
  SELECT 'address and asn are both empty: give an address, an asn or both'
  WHERE ? /* address */ || ? /* asn */ = ''
),
/* max_rows: 1000 unless given; the CLI tells when total_rows is more. keep_rows newest: the
   last max_rows in time instead, still listed in time order. */
kept AS (
  SELECT
    row_rank,
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
    ip_country,
    ip_asn,
    ip_org,
    device,
    browser_details,
    authentication_method,
    category,
    event_id,
    total_rows
  FROM listed
  WHERE CASE WHEN ? /* keep_rows */ = 'newest' THEN total_rows + 1 - row_rank ELSE row_rank END
    <= CAST(? /* max_rows */ AS bigint)
  /* A refusal: event_text says what is wrong, total_rows 0, every other column empty. */
  UNION ALL
  SELECT 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, refusal, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0
  FROM refused
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
  device,
  browser_details,
  authentication_method,
  category,
  event_id,
  total_rows
FROM kept
ORDER BY row_rank
