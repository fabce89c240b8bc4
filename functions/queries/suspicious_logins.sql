-- suspicious_logins: sign-ins from unexpected places or at unusual times. Sign-ins: category
-- login with a user id; history: [history_from_ts, from_ts). new_country, new_network: first
-- period sign-in from a country, network owner (ASN) not in the history (min_history_logins
-- placed history sign-ins, known owner), from an address not in it. impossible_travel: from
-- another country and address (not both known) than the last sign-in, over max_speed_kmh.
-- unusual_hour: at most 5% of history sign-ins (at least min_history_logins) in the local
-- hours 2 before to 2 after. doer_id: one user ('': all).
-- params: instance, from_dt, to_dt, from_ts, to_ts, history_from_dt, history_from_ts, time_zone, min_history_logins, max_speed_kmh, max_rows, doer_id
-- columns: event_time, user_id, user_name, reason, ip_address, country, asn, org, network, local_hour, evidence, user_reason_rows, total_rows, total_logins
/* Time units, written as numbers: SQL cannot import functions/core/time-units.ts, and Athena
   takes a parameter only in a WHERE clause (test/architecture/time-units.test.ts holds each
   to its unit): 3600000 is an hour in ms, 3600 is an hour in seconds, 86400 is a day in
   seconds, 1440 is a day in minutes. */
/* The evidence says how much history. At most the first max_rows rows (1000 by default), the first of each user's rows
   of each reason first, each with the count of all of them (total_rows, total_logins) and of its
   user's rows of its reason (user_reason_rows). */
WITH login_events AS (
  SELECT
    event_id,
    event_time,
    event_time_ms,
    user_id,
    user_name,
    ip_address,
    ip_country,
    ip_asn,
    ip_org,
    -- Only A-Z lower-cased: lower() maps other letters its own way on each engine (and in the
    -- detector's JavaScript), so junk in a forwarded-for list would compare apart.
    translate(ip_address, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS lowered_ip,
    event_time >= CAST(? /* from_ts */ AS timestamp) AS in_period,
    /* The zone the evidence names. Not joined in from a subquery: a scan of the lake joined to
       anything is read over every day by DuckDB (functions/core/queries/query-dates.ts). */
    CAST(? /* time_zone */ AS varchar) AS zone_name,
    at_timezone(with_timezone(event_time, 'UTC'), CAST(? /* time_zone */ AS varchar)) AS local_time
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* history_from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* history_from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    AND category = 'login'
    /* A user id that names a user: not null, and not empty, white space or 0 once its ASCII white
       space is taken out (Domo writes 0 for none), as the alerts read it (user-id.ts): kept, such
       sign-ins were one pseudo-user's, an impossible journey between any two of them. */
    AND user_id IS NOT NULL
    AND translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0')
    /* doer_id: one user's sign-ins, whom a responder or an offboarding asks about; empty: everyone.
       Every judgement below reads the user's own sign-ins alone (each window is partitioned by
       user_id, the journey starts at their own previous sign-in), so a user's rows and evidence are
       the same either way; total_rows and total_logins then count that user's rows. */
    AND (? /* doer_id */ = '' OR user_id = ? /* doer_id */)
),
/* The client entry of a forwarded-for list ("client, proxy1, proxy2"): the first entry after the
   ones without a dot or a colon (empty, unknown, junk: no address, so the geo lookup passes over
   them too) and the private or reserved IPv4 addresses (with a port or not) before it. The geo
   lookup's full rule (functions/core/geo/ip-address.ts) also passes over non-public IPv6 and
   IPv4-in-IPv6 entries: a parser too heavy for SQL, so this simpler rule keys only an entry it can
   tell is a public address, and any other entry gives no key (never looser: such a sign-in vouches
   for nothing). The alert detector finds the same entry with these very patterns
   (functions/core/alerts/ip-network.ts, clientAddressKey); docs/queries.md explains the choice.
   Whitespace is the ASCII one (space, tab, line breaks, form feed; not a no-break space or \v) on
   both engines: trim() and \s differ between DuckDB and Trino. No question mark outside the
   placeholders, so that no editor that counts them (Athena's console) asks for one too many. */
client_raw AS (
  SELECT
    login_events.*,
    strpos(lowered_ip, ',') > 0 AS ip_list,
    split_part(
      substr(lowered_ip, length(regexp_extract(lowered_ip, '^(([^.:,]*|[ \t\n\r\f]*((0|10|127|22[4-9]|23[0-9]|24[0-9]|25[0-5])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|169\.254\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|172\.(1[6-9]|2[0-9]|3[01])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|192\.168\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|192\.0\.[02]\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|198\.1[89]\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|198\.51\.100\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|203\.0\.113\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))(:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])){0,1}[ \t\n\r\f]*),)*', 0)) + 1),
      ',',
      1
    ) AS raw_entry
  FROM login_events
),
/* The entry without the whitespace around it, and without its brackets and port: [v6], [v6]:port
   and a.b.c.d:port (one colon) are read as the address, as the geo lookup reads them. Brackets only
   with a colon inside: the geo lookup reads none round an IPv4 address ([80.150.1.2] is no address
   to it, so the sign-in is placed by a later entry) and neither may this. No class but the
   whitespace one takes whitespace: Athena's regex library lets $ match before a final line feed,
   DuckDB's does not, so an entry captured with one at its end (1.2.3.4 and a line feed, then
   :443) would be keyed on Athena only. */
client_entries AS (
  SELECT
    client_raw.*,
    CASE
      WHEN regexp_like(raw_entry, '^[ \t\n\r\f]*\[([^\]: \t\n\r\f]*:[^\] \t\n\r\f]*)\](:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])){0,1}[ \t\n\r\f]*$')
        THEN regexp_extract(raw_entry, '^[ \t\n\r\f]*\[([^\]: \t\n\r\f]*:[^\] \t\n\r\f]*)\](:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])){0,1}[ \t\n\r\f]*$', 1)
      WHEN regexp_like(raw_entry, '^[ \t\n\r\f]*([^: \t\n\r\f]*)(:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))[ \t\n\r\f]*$')
        THEN regexp_extract(raw_entry, '^[ \t\n\r\f]*([^: \t\n\r\f]*)(:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))[ \t\n\r\f]*$', 1)
      ELSE regexp_extract(raw_entry, '^[ \t\n\r\f]*([^ \t\n\r\f]*([ \t\n\r\f]+[^ \t\n\r\f]+)*)[ \t\n\r\f]*$', 1)
    END AS entry
  FROM client_raw
),
/* ip: the key two sign-ins are the same address by, the entry when it is a public IPv4 address
   (::ffff:a.b.c.d as a.b.c.d) or a well-formed IPv6 one of 2000::/3 written with four digits
   first and hex groups only (eight, or fewer with one "::"; malformed text the geo lookup reads as
   no address, placing the sign-in by a later entry), less the 6to4, Teredo and documentation
   prefixes (the geo lookup places those by an IPv4 address they carry, or not at all). */
client_keys AS (
  SELECT
    client_entries.*,
    CASE
      WHEN regexp_like(entry, '^(::ffff:){0,1}((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))$')
        AND NOT regexp_like(regexp_extract(entry, '^(::ffff:){0,1}((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))$', 2), '^((0|10|127|22[4-9]|23[0-9]|24[0-9]|25[0-5])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|169\.254\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|172\.(1[6-9]|2[0-9]|3[01])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|192\.168\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|192\.0\.[02]\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|198\.1[89]\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|198\.51\.100\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|203\.0\.113\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))$')
        THEN regexp_extract(entry, '^(::ffff:){0,1}((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))$', 2)
      WHEN regexp_like(entry, '^[23][0-9a-f]{3}((:[0-9a-f]{1,4}){7}|::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,5}){0,1}|(:[0-9a-f]{1,4}){1}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,4}){0,1}|(:[0-9a-f]{1,4}){2}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,3}){0,1}|(:[0-9a-f]{1,4}){3}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,2}){0,1}|(:[0-9a-f]{1,4}){4}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,1}){0,1}|(:[0-9a-f]{1,4}){5}::([0-9a-f]{1,4}){0,1}|(:[0-9a-f]{1,4}){6}::)$') AND NOT regexp_like(entry, '^(2001:(0{0,4}|0{0,1}db8):|2002:|3fff:)')
        THEN entry
    END AS ip
  FROM client_entries
),
/* The text the network is cut from: the entry, of a list only when keyed (were it not, the geo
   lookup may have placed the sign-in by a later entry, whose network this would not be). */
clients AS (
  SELECT
    client_keys.*,
    CASE WHEN NOT (ip_list AND ip IS NULL) THEN entry END AS client
  FROM client_keys
),
/* An IPv6 address is split at its "::" (if any) to know how many zero groups it stands for. */
ip_halves AS (
  SELECT
    clients.*,
    CASE WHEN strpos(client, '::') > 0 THEN substr(client, 1, strpos(client, '::') - 1) ELSE client END AS head,
    CASE WHEN strpos(client, '::') > 0 THEN substr(client, strpos(client, '::') + 2) ELSE '' END AS tail
  FROM clients
),
ip_group_counts AS (
  SELECT
    ip_halves.*,
    CASE
      WHEN head = '' THEN 0
      ELSE length(head) - length(replace(head, ':', '')) + 1 + CASE WHEN strpos(head, '.') > 0 THEN 1 ELSE 0 END
    END AS head_groups,
    CASE
      WHEN tail = '' THEN 0
      ELSE length(tail) - length(replace(tail, ':', '')) + 1 + CASE WHEN strpos(tail, '.') > 0 THEN 1 ELSE 0 END
    END AS tail_groups
  FROM ip_halves
),
ip_hextets AS (
  SELECT
    ip_group_counts.*,
    CASE
      WHEN head_groups >= 1 THEN split_part(head, ':', 1)
      WHEN 8 - tail_groups >= 1 THEN '0'
      ELSE split_part(tail, ':', 1 - (8 - tail_groups))
    END AS hextet1,
    CASE
      WHEN head_groups >= 2 THEN split_part(head, ':', 2)
      WHEN 8 - tail_groups >= 2 THEN '0'
      ELSE split_part(tail, ':', 2 - (8 - tail_groups))
    END AS hextet2,
    CASE
      WHEN head_groups >= 3 THEN split_part(head, ':', 3)
      WHEN 8 - tail_groups >= 3 THEN '0'
      ELSE split_part(tail, ':', 3 - (8 - tail_groups))
    END AS hextet3
  FROM ip_group_counts
),
/* A well-formed IPv6 address: eight groups (a "::" standing for one or more), each 1-4 hex digits,
   the last maybe an IPv4 address (octets 0-255) standing for two; none before a "::". */
ip_well_formed AS (
  SELECT
    ip_hextets.*,
    CASE
      WHEN strpos(client, '::') = 0
        THEN head_groups = 8 AND regexp_like(head, '^(([0-9a-f]{1,4}:)*([0-9a-f]{1,4}|(25[0-5]|2[0-4][0-9]|[01]{0,1}[0-9]{0,1}[0-9])(\.(25[0-5]|2[0-4][0-9]|[01]{0,1}[0-9]{0,1}[0-9])){3})){0,1}$')
      ELSE head_groups + tail_groups <= 7
        AND regexp_like(head, '^([0-9a-f]{1,4}(:[0-9a-f]{1,4})*){0,1}$')
        AND regexp_like(tail, '^(([0-9a-f]{1,4}:)*([0-9a-f]{1,4}|(25[0-5]|2[0-4][0-9]|[01]{0,1}[0-9]{0,1}[0-9])(\.(25[0-5]|2[0-4][0-9]|[01]{0,1}[0-9]{0,1}[0-9])){3})){0,1}$')
    END AS well_formed
  FROM ip_hextets
),
/* An IPv4-mapped address however written (::ffff:8.8.8.8, 0:0:0:0:0:ffff:8.8.8.8, ::ffff:808:808):
   five zero groups, ffff, then the IPv4 address, dotted or as two hex groups (high, low). */
ip_mapped AS (
  SELECT
    ip_well_formed.*,
    well_formed
    AND regexp_like(client, '^(::|(0{1,4}:)+:){0,1}(0{1,4}:)*ffff:([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|[0-9a-f]{1,4}:[0-9a-f]{1,4})$') AS mapped,
    lpad(regexp_extract(client, '([0-9a-f]{1,4}):[0-9a-f]{1,4}$', 1), 4, '0') AS mapped_high,
    lpad(regexp_extract(client, ':([0-9a-f]{1,4})$', 1), 4, '0') AS mapped_low
  FROM ip_well_formed
),
ip_networks AS (
  SELECT
    ip_mapped.*,
    CASE
      WHEN regexp_like(client, '^(::ffff:){0,1}(25[0-5]|2[0-4][0-9]|[01]{0,1}[0-9]{0,1}[0-9])\.(25[0-5]|2[0-4][0-9]|[01]{0,1}[0-9]{0,1}[0-9])\.(25[0-5]|2[0-4][0-9]|[01]{0,1}[0-9]{0,1}[0-9])\.(25[0-5]|2[0-4][0-9]|[01]{0,1}[0-9]{0,1}[0-9])$')
        THEN regexp_extract(client, '([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})\.[0-9]{1,3}$', 1) || '.0/24'
      WHEN mapped AND strpos(client, '.') > 0
        THEN regexp_extract(client, '([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})\.[0-9]{1,3}$', 1) || '.0/24'
      /* Each octet from two hex digits, a digit's value its place in '0123456789abcdef'. */
      WHEN mapped
        THEN CAST(16 * strpos('0123456789abcdef', substr(mapped_high, 1, 1))
            + strpos('0123456789abcdef', substr(mapped_high, 2, 1)) - 17 AS varchar) || '.'
          || CAST(16 * strpos('0123456789abcdef', substr(mapped_high, 3, 1))
            + strpos('0123456789abcdef', substr(mapped_high, 4, 1)) - 17 AS varchar) || '.'
          || CAST(16 * strpos('0123456789abcdef', substr(mapped_low, 1, 1))
            + strpos('0123456789abcdef', substr(mapped_low, 2, 1)) - 17 AS varchar) || '.0/24'
      WHEN well_formed
        AND regexp_like(hextet1, '^[0-9a-f]{1,4}$')
        AND regexp_like(hextet2, '^[0-9a-f]{1,4}$')
        AND regexp_like(hextet3, '^[0-9a-f]{1,4}$')
        THEN regexp_extract(hextet1, '^0*([0-9a-f]+)$', 1) || ':'
          || regexp_extract(hextet2, '^0*([0-9a-f]+)$', 1) || ':'
          || regexp_extract(hextet3, '^0*([0-9a-f]+)$', 1) || '::/48'
    END AS any_network
  FROM ip_mapped
),
/* From here on, one pass over the sign-ins. Athena (Trino) does not materialise a WITH query: it
   plans it again at each reference, down to reading the lake, and bills (and cuts off) each read.
   So every step below is referenced once, what a user's history says of a sign-in comes from
   window functions over the user's sign-ins (not from joining the history to the period), and the
   four findings come from one reference (test/queries/one-scan.test.ts checks it). */
networks AS (
  SELECT
    event_id,
    event_time,
    event_time_ms,
    user_id,
    user_name,
    ip_address,
    ip_country AS country,
    ip_asn AS asn,
    ip_org AS org,
    ip,
    in_period,
    local_time,
    hour(local_time) AS local_hour,
    /* The zone's offset at the sign-in, ` -04:00`, to follow each local time of the evidence: where
       the clocks go back, two sign-ins an hour apart read the same local time. None in UTC, which
       names its offset itself (functions/core/alerts/local-time.ts writes the same). */
    CASE
      WHEN zone_name IN ('UTC', 'Etc/UTC') THEN ''
      ELSE ' ' || CASE WHEN offset_minutes < 0 THEN '-' ELSE '+' END
        || lpad(CAST(CAST(floor(CAST(abs(offset_minutes) AS double) / 60) AS bigint) AS varchar), 2, '0')
        || ':' || lpad(CAST(abs(offset_minutes) % 60 AS varchar), 2, '0')
    END AS local_offset,
    zone_name,
    /* Sign-ins the geo database placed (records not yet enriched, private addresses: never findings). */
    ip_country IS NOT NULL AS placed,
    /* Marks counted by the windows below: a history sign-in, a placed one. */
    CASE WHEN NOT in_period THEN 1 END AS history_mark,
    CASE WHEN NOT in_period AND ip_country IS NOT NULL THEN 1 END AS placed_history_mark,
    /* No sign-in comes from IPv4's 0.x.x.x ("this network", the unspecified address's) or
       127.x.x.x (loopback), however the first octet is written, nor from IPv6's 0:0:0::/48 (::,
       ::1, the deprecated IPv4-compatible addresses; mapped ones are IPv4's). The geo database
       places none of them either. The alert detector gives them none too (ip-network.ts). */
    CASE
      WHEN NOT regexp_like(any_network, '^((0{1,3}|127)\.|0:0:0::/48$)') THEN any_network
    END AS network
  FROM (
    /* The zone's offset from UTC at the sign-in, in minutes: its local wall time less its UTC one,
       their dates a day apart at most (hour, minute and the date cast: as above, on both engines). */
    SELECT
      ip_networks.*,
      CASE
        WHEN CAST(local_time AS date) > CAST(event_time AS date) THEN 1440
        WHEN CAST(local_time AS date) < CAST(event_time AS date) THEN -1440
        ELSE 0
      END + 60 * (hour(local_time) - hour(event_time)) + minute(local_time) - minute(event_time) AS offset_minutes
    FROM ip_networks
  ) offsets
),
/* The history window's length in whole days, and where it ends (from_ts). */
history_days AS (
  SELECT
    CAST(floor((from_s - history_from_s) / 86400) AS bigint) AS days,
    from_s
  FROM (
    SELECT
      to_unixtime(with_timezone(CAST(? /* from_ts */ AS timestamp), 'UTC')) AS from_s,
      to_unixtime(with_timezone(CAST(? /* history_from_ts */ AS timestamp), 'UTC')) AS history_from_s
  ) bounds
),
/* What the user's history (sign-ins before from_ts) says of each sign-in:
   - history_logins, history_first_ms: the user's history sign-ins of any kind (unusual_hour);
     placed_logins, placed_first_ms: the placed ones, which the place findings judge against.
   - address_logins: placed history sign-ins from this address. A sign-in from one of them is no
     new place, whatever the geo database says of it now (after a data update the history keeps
     the older database's country and owner); it still makes its country and owner known. Not an
     unplaced sign-in's address (a geo outage): never judged, it vouches for nothing.
   - country_logins, owner_logins: placed history sign-ins from this country, this network owner.
   - country_nth, owner_nth: the sign-in's rank among the user's placed ones from this country (of
     this owner) on its side of from_ts: the first in the period is the one a finding names.
   - logins_near: history sign-ins in the whole local hours from 2 before this one's to 2 after
     (circular on the clock: 17:00 to 21:59 for a sign-in at 19:35, so one at 17:02 counts though
     2 h 33 min away; the evidence names those hours): those 2 hours before to 2 after, and across
     midnight those 22 hours or more after or before (none for the hours 2 to 21).
   - prev_*: the user's previous placed sign-in, where a journey starts. */
judged AS (
  SELECT
    networks.*,
    count(history_mark) OVER (PARTITION BY user_id) AS history_logins,
    min(CASE WHEN history_mark = 1 THEN event_time_ms END) OVER (PARTITION BY user_id) AS history_first_ms,
    count(placed_history_mark) OVER (PARTITION BY user_id) AS placed_logins,
    min(CASE WHEN placed_history_mark = 1 THEN event_time_ms END) OVER (PARTITION BY user_id) AS placed_first_ms,
    count(placed_history_mark) OVER (PARTITION BY user_id, ip) AS address_logins,
    count(placed_history_mark) OVER (PARTITION BY user_id, country) AS country_logins,
    count(placed_history_mark) OVER (PARTITION BY user_id, asn) AS owner_logins,
    row_number() OVER (PARTITION BY user_id, country, in_period ORDER BY event_time_ms, event_id) AS country_nth,
    row_number() OVER (PARTITION BY user_id, asn, placed, in_period ORDER BY event_time_ms, event_id) AS owner_nth,
    count(history_mark) OVER (PARTITION BY user_id ORDER BY local_hour RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING)
      + count(history_mark) OVER (PARTITION BY user_id ORDER BY local_hour RANGE BETWEEN 22 FOLLOWING AND UNBOUNDED FOLLOWING)
      + count(history_mark) OVER (PARTITION BY user_id ORDER BY local_hour RANGE BETWEEN UNBOUNDED PRECEDING AND 22 PRECEDING)
      AS logins_near,
    lag(country) OVER (PARTITION BY user_id, placed ORDER BY event_time_ms, event_id) AS prev_country,
    lag(event_time_ms) OVER (PARTITION BY user_id, placed ORDER BY event_time_ms, event_id) AS prev_ms,
    lag(local_time) OVER (PARTITION BY user_id, placed ORDER BY event_time_ms, event_id) AS prev_local_time,
    lag(local_offset) OVER (PARTITION BY user_id, placed ORDER BY event_time_ms, event_id) AS prev_local_offset,
    lag(ip_address) OVER (PARTITION BY user_id, placed ORDER BY event_time_ms, event_id) AS prev_ip,
    lag(ip) OVER (PARTITION BY user_id, placed ORDER BY event_time_ms, event_id) AS prev_ip_key
  FROM networks
),
/* The user's most frequent placed history country (the first by name among equals), and how many
   network owners their placed history knows (each counted at its first sign-in). */
ranked AS (
  SELECT
    judged.*,
    first_value(country) OVER (
      PARTITION BY user_id ORDER BY placed_history_mark NULLS LAST, country_logins DESC, country
    ) AS top_country,
    first_value(country_logins) OVER (
      PARTITION BY user_id ORDER BY placed_history_mark NULLS LAST, country_logins DESC, country
    ) AS top_logins,
    count(CASE WHEN placed_history_mark = 1 AND asn IS NOT NULL AND owner_nth = 1 THEN 1 END)
      OVER (PARTITION BY user_id) AS known_owners,
    /* The placed history sign-ins from the previous placed sign-in's address, as address_logins
       counts this one's: a journey between two addresses of the history is no journey. */
    lag(address_logins) OVER (PARTITION BY user_id, placed ORDER BY event_time_ms, event_id) AS prev_address_logins,
    /* Enough placed history sign-ins for a new country or a new network owner to count. */
    placed_logins > 0 AND placed_logins >= CAST(? /* min_history_logins */ AS integer) AS enough_placed
  FROM judged
),
/* Reference point of each country: its geographic centre (functions/core/geo/country-points.ts;
   none for UM, whose islands are spread over the Pacific and the Caribbean). */
country_points (code, lat, lon) AS (
  VALUES
    ('AD', 42.55, 1.6), ('AE', 23.42, 53.85), ('AF', 33.94, 67.71), ('AG', 17.06, -61.8), ('AI', 18.22, -63.07), ('AL', 41.15, 20.17),
    ('AM', 40.07, 45.04), ('AN', 12.23, -69.06), ('AO', -11.2, 17.87), ('AQ', -75.25, -0.07), ('AR', -38.42, -63.62), ('AS', -14.27, -170.13),
    ('AT', 47.52, 14.55), ('AU', -25.27, 133.78), ('AW', 12.52, -69.97), ('AX', 60.18, 19.92), ('AZ', 40.14, 47.58), ('BA', 43.92, 17.68),
    ('BB', 13.19, -59.54), ('BD', 23.68, 90.36), ('BE', 50.5, 4.47), ('BF', 12.24, -1.56), ('BG', 42.73, 25.49), ('BH', 25.93, 50.64),
    ('BI', -3.37, 29.92), ('BJ', 9.31, 2.32), ('BL', 17.91, -62.83), ('BM', 32.32, -64.76), ('BN', 4.54, 114.73), ('BO', -16.29, -63.59),
    ('BQ', 12.18, -68.29), ('BR', -14.24, -51.93), ('BS', 25.03, -77.4), ('BT', 27.51, 90.43), ('BV', -54.42, 3.41), ('BW', -22.33, 24.68),
    ('BY', 53.71, 27.95), ('BZ', 17.19, -88.5), ('CA', 56.13, -106.35), ('CC', -12.16, 96.87), ('CD', -4.04, 21.76), ('CF', 6.61, 20.94),
    ('CG', -0.23, 15.83), ('CH', 46.82, 8.23), ('CI', 7.54, -5.55), ('CK', -21.24, -159.78), ('CL', -35.68, -71.54), ('CM', 7.37, 12.35),
    ('CN', 35.86, 104.2), ('CO', 4.57, -74.3), ('CR', 9.75, -83.75), ('CU', 21.52, -77.78), ('CV', 16.0, -24.01), ('CW', 12.2, -68.97),
    ('CX', -10.45, 105.69), ('CY', 35.13, 33.43), ('CZ', 49.82, 15.47), ('DE', 51.17, 10.45), ('DJ', 11.83, 42.59), ('DK', 56.26, 9.5),
    ('DM', 15.41, -61.37), ('DO', 18.74, -70.16), ('DZ', 28.03, 1.66), ('EC', -1.83, -78.18), ('EE', 58.6, 25.01), ('EG', 26.82, 30.8),
    ('EH', 24.22, -12.89), ('ER', 15.18, 39.78), ('ES', 40.46, -3.75), ('ET', 9.14, 40.49), ('FI', 61.92, 25.75), ('FJ', -16.58, 179.41),
    ('FK', -51.8, -59.52), ('FM', 7.43, 150.55), ('FO', 61.89, -6.91), ('FR', 46.23, 2.21), ('GA', -0.8, 11.61), ('GB', 55.38, -3.44),
    ('GD', 12.26, -61.6), ('GE', 42.32, 43.36), ('GF', 3.93, -53.13), ('GG', 49.47, -2.59), ('GH', 7.95, -1.02), ('GI', 36.14, -5.35),
    ('GL', 71.71, -42.6), ('GM', 13.44, -15.31), ('GN', 9.95, -9.7), ('GP', 17.0, -62.07), ('GQ', 1.65, 10.27), ('GR', 39.07, 21.82),
    ('GS', -54.43, -36.59), ('GT', 15.78, -90.23), ('GU', 13.44, 144.79), ('GW', 11.8, -15.18), ('GY', 4.86, -58.93), ('GZ', 31.35, 34.31),
    ('HK', 22.4, 114.11), ('HM', -53.08, 73.5), ('HN', 15.2, -86.24), ('HR', 45.1, 15.2), ('HT', 18.97, -72.29), ('HU', 47.16, 19.5),
    ('ID', -0.79, 113.92), ('IE', 53.41, -8.24), ('IL', 31.05, 34.85), ('IM', 54.24, -4.55), ('IN', 20.59, 78.96), ('IO', -6.34, 71.88),
    ('IQ', 33.22, 43.68), ('IR', 32.43, 53.69), ('IS', 64.96, -19.02), ('IT', 41.87, 12.57), ('JE', 49.21, -2.13), ('JM', 18.11, -77.3),
    ('JO', 30.59, 36.24), ('JP', 36.2, 138.25), ('KE', -0.02, 37.91), ('KG', 41.2, 74.77), ('KH', 12.57, 104.99), ('KI', -3.37, -168.73),
    ('KM', -11.88, 43.87), ('KN', 17.36, -62.78), ('KP', 40.34, 127.51), ('KR', 35.91, 127.77), ('KW', 29.31, 47.48), ('KY', 19.51, -80.57),
    ('KZ', 48.02, 66.92), ('LA', 19.86, 102.5), ('LB', 33.85, 35.86), ('LC', 13.91, -60.98), ('LI', 47.17, 9.56), ('LK', 7.87, 80.77),
    ('LR', 6.43, -9.43), ('LS', -29.61, 28.23), ('LT', 55.17, 23.88), ('LU', 49.82, 6.13), ('LV', 56.88, 24.6), ('LY', 26.34, 17.23),
    ('MA', 31.79, -7.09), ('MC', 43.75, 7.41), ('MD', 47.41, 28.37), ('ME', 42.71, 19.37), ('MF', 18.08, -63.07), ('MG', -18.77, 46.87),
    ('MH', 7.13, 171.18), ('MK', 41.61, 21.75), ('ML', 17.57, -4.0), ('MM', 21.91, 95.96), ('MN', 46.86, 103.85), ('MO', 22.2, 113.54),
    ('MP', 17.33, 145.38), ('MQ', 14.64, -61.02), ('MR', 21.01, -10.94), ('MS', 16.74, -62.19), ('MT', 35.94, 14.38), ('MU', -20.35, 57.55),
    ('MV', 3.2, 73.22), ('MW', -13.25, 34.3), ('MX', 23.63, -102.55), ('MY', 4.21, 101.98), ('MZ', -18.67, 35.53), ('NA', -22.96, 18.49),
    ('NC', -20.9, 165.62), ('NE', 17.61, 8.08), ('NF', -29.04, 167.95), ('NG', 9.08, 8.68), ('NI', 12.87, -85.21), ('NL', 52.13, 5.29),
    ('NO', 60.47, 8.47), ('NP', 28.39, 84.12), ('NR', -0.52, 166.93), ('NU', -19.05, -169.87), ('NZ', -40.9, 174.89), ('OM', 21.51, 55.92),
    ('PA', 8.54, -80.78), ('PE', -9.19, -75.02), ('PF', -17.68, -149.41), ('PG', -6.31, 143.96), ('PH', 12.88, 121.77), ('PK', 30.38, 69.35),
    ('PL', 51.92, 19.15), ('PM', 46.94, -56.27), ('PN', -24.7, -127.44), ('PR', 18.22, -66.59), ('PS', 31.95, 35.23), ('PT', 39.4, -8.22),
    ('PW', 7.51, 134.58), ('PY', -23.44, -58.44), ('QA', 25.35, 51.18), ('RE', -21.12, 55.54), ('RO', 45.94, 24.97), ('RS', 44.02, 21.01),
    ('RU', 61.52, 105.32), ('RW', -1.94, 29.87), ('SA', 23.89, 45.08), ('SB', -9.65, 160.16), ('SC', -4.68, 55.49), ('SD', 12.86, 30.22),
    ('SE', 60.13, 18.64), ('SG', 1.35, 103.82), ('SH', -24.14, -10.03), ('SI', 46.15, 15.0), ('SJ', 77.55, 23.67), ('SK', 48.67, 19.7),
    ('SL', 8.46, -11.78), ('SM', 43.94, 12.46), ('SN', 14.5, -14.45), ('SO', 5.15, 46.2), ('SR', 3.92, -56.03), ('SS', 7.66, 30.39),
    ('ST', 0.19, 6.61), ('SV', 13.79, -88.9), ('SX', 18.04, -63.07), ('SY', 34.8, 39.0), ('SZ', -26.52, 31.47), ('TC', 21.69, -71.8),
    ('TD', 15.45, 18.73), ('TF', -49.28, 69.35), ('TG', 8.62, 0.82), ('TH', 15.87, 100.99), ('TJ', 38.86, 71.28), ('TK', -8.97, -171.86),
    ('TL', -8.87, 125.73), ('TM', 38.97, 59.56), ('TN', 33.89, 9.54), ('TO', -21.18, -175.2), ('TR', 38.96, 35.24), ('TT', 10.69, -61.22),
    ('TV', -7.11, 177.65), ('TW', 23.7, 120.96), ('TZ', -6.37, 34.89), ('UA', 48.38, 31.17), ('UG', 1.37, 32.29), ('US', 37.09, -95.71),
    ('UY', -32.52, -55.77), ('UZ', 41.38, 64.59), ('VA', 41.9, 12.45), ('VC', 12.98, -61.29), ('VE', 6.42, -66.59), ('VG', 18.42, -64.64),
    ('VI', 18.34, -64.9), ('VN', 14.06, 108.28), ('VU', -15.38, 166.96), ('WF', -13.77, -177.16), ('WS', -13.76, -172.1), ('XK', 42.6, 20.9),
    ('YE', 15.55, 48.52), ('YT', -12.83, 45.17), ('ZA', -30.56, 22.94), ('ZM', -13.13, 27.85), ('ZW', -19.02, 29.15)
),
/* Period sign-ins with the distance from the previous placed sign-in's country (reference points). */
journeys AS (
  SELECT
    r.*,
    a.code IS NOT NULL AND b.code IS NOT NULL AS both_points,
    2 * 6371 * asin(sqrt(
      power(sin(radians(b.lat - a.lat) / 2), 2)
      + cos(radians(a.lat)) * cos(radians(b.lat)) * power(sin(radians(b.lon - a.lon) / 2), 2)
    )) AS distance_km,
    CAST(r.event_time_ms - r.prev_ms AS double) / 3600000 AS hours
  FROM ranked r
  LEFT JOIN country_points a ON a.code = r.prev_country
  LEFT JOIN country_points b ON b.code = r.country
  WHERE r.in_period
),
/* The journey's and the local time's words of the evidence, and whether the journey was too fast.
   The placeholders stay in the order docs/queries.md lists for Athena's console. */
travels AS (
  SELECT
    journeys.*,
    prev_country || ' to ' || country || ': ' || CAST(CAST(round(distance_km) AS bigint) AS varchar)
      || ' km in ' || CAST(CAST(round(hours * 60) AS bigint) AS varchar) || ' min; previous login '
      || CAST(CAST(prev_local_time AS date) AS varchar) || ' ' || lpad(CAST(hour(prev_local_time) AS varchar), 2, '0')
      || ':' || lpad(CAST(minute(prev_local_time) AS varchar), 2, '0') || prev_local_offset || ' ' || zone_name
      || ' from ' || coalesce(prev_ip, chr(63))
      AS journey,
    distance_km > CAST(? /* max_speed_kmh */ AS double) * hours AS too_fast,
    'login at ' || lpad(CAST(local_hour AS varchar), 2, '0') || ':'
      || lpad(CAST(minute(local_time) AS varchar), 2, '0') || local_offset || ' ' || zone_name
      AS clock
  FROM journeys
),
/* Each period sign-in judged for the four findings at once. */
findings AS (
  SELECT
    t.*,
    f.reason,
    /* Where the history a finding was judged against starts: for the place findings, at the
       user's first placed history sign-in (the sign-ins those judge); for unusual_hour, at their
       first history sign-in of any kind. */
    CASE WHEN f.reason = 'unusual_hour' THEN t.history_first_ms ELSE t.placed_first_ms END AS first_ms
  FROM travels t
  CROSS JOIN (VALUES ('new_country'), ('new_network'), ('impossible_travel'), ('unusual_hour')) AS f (reason)
  WHERE (
      f.reason = 'new_country'
      AND t.placed
      AND t.enough_placed
      AND t.country_logins = 0
      AND t.country_nth = 1
      AND NOT (t.ip IS NOT NULL AND t.address_logins > 0)
    )
    OR (
      f.reason = 'new_network'
      AND t.placed
      AND t.asn IS NOT NULL
      AND t.enough_placed
      AND t.known_owners > 0
      AND t.owner_logins = 0
      AND t.owner_nth = 1
      AND NOT (t.ip IS NOT NULL AND t.address_logins > 0)
    )
    OR (
      f.reason = 'impossible_travel'
      AND t.placed
      AND t.prev_country IS NOT NULL
      AND t.prev_country <> t.country
      /* A journey to or from a country without a reference point (UM) cannot be judged for speed;
         only this finding is left out: the sign-in still counts for new_country and new_network. */
      AND t.both_points
      /* One address placed in two countries is the geo data changing between them, not a journey. */
      AND NOT coalesce(t.prev_ip_key = t.ip, false)
      /* Both addresses already in the user's placed history: a switch they keep making (home and a
         VPN's exit), which new_country and new_network do not raise either, not a journey. */
      AND NOT (t.ip IS NOT NULL AND t.address_logins > 0 AND t.prev_ip_key IS NOT NULL AND t.prev_address_logins > 0)
      AND t.too_fast
    )
    OR (
      f.reason = 'unusual_hour'
      AND t.history_logins > 0
      AND t.history_logins >= CAST(? /* min_history_logins */ AS integer)
      AND t.logins_near * 20 <= t.history_logins
    )
),
/* How much history a finding was judged against, from the hour of that first sign-in to from_ts:
   the whole window when that hour is in its first day, else "12 days of history" or "5 hours of
   history". Not the window's length: a lake younger than the window (or a window reaching before
   the lake, history_from_ts) has less history than the window says. */
spans AS (
  SELECT
    f.*,
    d.days,
    CAST(floor(d.from_s / 3600 - floor(CAST(f.first_ms AS double) / 3600000)) AS bigint) AS history_hours
  FROM findings f
  CROSS JOIN history_days d
),
described AS (
  SELECT
    spans.*,
    history_hours > (days - 1) * 24 AS whole_window,
    CASE
      WHEN history_hours > (days - 1) * 24 THEN CAST(days AS varchar) || ' days'
      WHEN history_hours >= 48 THEN CAST(CAST(floor(CAST(history_hours AS double) / 24) AS bigint) AS varchar) || ' days of history'
      WHEN history_hours >= 24 THEN '1 day of history'
      WHEN history_hours = 1 THEN '1 hour of history'
      ELSE CAST(history_hours AS varchar) || ' hours of history'
    END AS history_span
  FROM spans
),
/* The evidence, in words. */
evidenced AS (
  SELECT
    event_time,
    user_id,
    user_name,
    reason,
    ip_address,
    country,
    asn,
    org,
    network,
    local_hour,
    CASE reason
      WHEN 'new_country' THEN 'first login from ' || country || ' in ' || history_span || '; previous: '
        || top_country || ' (' || CAST(top_logins AS varchar)
        || CASE WHEN top_logins = 1 THEN ' login)' ELSE ' logins)' END
      WHEN 'new_network' THEN 'first login from network owner AS' || CAST(asn AS varchar) || ' (' || coalesce(org, 'unknown') || ') in '
        || history_span || '; ' || CAST(known_owners AS varchar)
        || CASE WHEN known_owners = 1 THEN ' owner known' ELSE ' owners known' END
        || coalesce('; network ' || network, '')
      WHEN 'impossible_travel' THEN journey
      ELSE clock || '; ' || CAST(logins_near AS varchar) || ' of ' || CAST(history_logins AS varchar)
        || ' logins in ' || CASE WHEN whole_window THEN 'the previous ' ELSE '' END || history_span
        || CASE WHEN logins_near = 1 THEN ' was' ELSE ' were' END || ' in the hours '
        || lpad(CAST((local_hour + 22) % 24 AS varchar), 2, '0') || ':00 to '
        || lpad(CAST((local_hour + 2) % 24 AS varchar), 2, '0') || ':59'
    END AS evidence
  FROM described
),
/* What the cut below keeps and counts: user_reason_rows, the user's rows of the reason; kind_nth,
   the row's place among them (in time, then every column: rows alike in all of them are alike);
   login_nth, the row's place among the rows of one login (its time, user and address, as the
   report counts logins). */
kinds AS (
  SELECT
    evidenced.*,
    count(*) OVER (PARTITION BY user_id, reason) AS user_reason_rows,
    row_number() OVER (
      PARTITION BY user_id, reason
      ORDER BY event_time, ip_address, evidence, user_name, country, asn, org, network, local_hour
    ) AS kind_nth,
    row_number() OVER (PARTITION BY event_time, user_id, ip_address ORDER BY reason) AS login_nth
  FROM evidenced
),
/* The first of each user's rows of each reason come before any second one, then the seconds, and
   so on; each step in time, user and reason, then every column (two sign-ins of one user in the
   same millisecond tie on time, user and reason, and Athena, reading files in parallel, would
   list them in either order; both engines put NULL last). One account signing in from two
   countries by turns all week is a finding per sign-in, tens of thousands of rows, which the
   report must not hold, and which must not push the other users' findings out of the rows kept.
   With the count of all of them on each row: total_rows (the rows, one per login and reason) and
   total_logins (the logins: a time, a user and an address). */
listed AS (
  SELECT
    kinds.*,
    row_number() OVER (
      ORDER BY kind_nth, event_time, user_id, reason, ip_address, evidence, user_name, country, asn, org, network, local_hour
    ) AS row_rank,
    count(*) OVER () AS total_rows,
    count(CASE WHEN login_nth = 1 THEN 1 END) OVER () AS total_logins
  FROM kinds
)
SELECT
  event_time,
  user_id,
  user_name,
  reason,
  ip_address,
  country,
  asn,
  org,
  network,
  local_hour,
  evidence,
  user_reason_rows,
  total_rows,
  total_logins
FROM listed
/* max_rows: 1000 by default, as functions/core/report/report-model.ts, SUSPICIOUS_LOGIN_ROWS, says;
   more to read every row of a busy week. */
WHERE row_rank <= CAST(? /* max_rows */ AS bigint)
ORDER BY row_rank
