-- user_addresses: the addresses one user's events came from in a period, and who else used them.
-- One row per address of the events of user_id (theirs, or as another: actor_id): its network
-- (IPv4 /24, IPv6 /48), place, first and last event (UTC, and in time_zone), the events, sign-ins
-- and failed logins; then the other users whose events came from it, their sign-ins, 10 of them
-- by name (id). Addresses keyed as failed_logins_by_ip keys them (the first public entry of the
-- list, IPv6 by its /64), a lone [a.b.c.d] as a.b.c.d, else by text; shown as the user's latest
-- event wrote them; no address: one row, ip_address empty. Place: the user's latest placed
-- event's. In order of the first event; at most 1000 rows; total_rows: all.
-- params: instance, from_dt, to_dt, from_ts, to_ts, user_id, time_zone
-- columns: ip_address, network, country, asn, org, first_time, first_local_time, last_time, last_local_time, events, sign_ins, failed_logins, other_users, other_sign_ins, other_user_names, total_rows
WITH period_events AS (
  SELECT
    ip_address,
    /* Only A-Z lower-cased, whitespace the ASCII one: see suspicious_logins.sql why, on both engines. */
    translate(ip_address, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS lowered_ip,
    translate(
      regexp_extract(ip_address, '^[ \t\n\r\f]*([^ \t\n\r\f]*([ \t\n\r\f]+[^ \t\n\r\f]+)*)[ \t\n\r\f]*$', 1),
      'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      'abcdefghijklmnopqrstuvwxyz'
    ) AS ip_text,
    event_time,
    ip_country,
    ip_asn,
    ip_org,
    category,
    /* The user's own event, or one it made acting as another: the rows of the user's addresses.
       Every other event of the period is another user's, whose address may be the same. */
    coalesce(user_id = ? /* user_id */ OR actor_id = ? /* user_id */, false) AS by_user,
    /* Another user: by id (not white space or 0: Domo writes 0 for none), else by name, as
       failed_logins_and_lockouts.sql tells users apart. */
    CASE
      WHEN translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') THEN 'id ' || user_id
      WHEN user_name IS NOT NULL THEN 'name ' || user_name
    END AS user_key,
    coalesce(user_name, '') || ' (' || coalesce(user_id, '') || ')' AS user_label,
    /* Orders the events by time (event id as the tie-break), on both engines alike. */
    lpad(CAST(event_time_ms AS varchar), 15, '0') || event_id AS event_key
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
),
/* raw_entry: the first entry of the list that has a key below (a public address), wherever it
   stands, as failed_logins_by_ip.sql reads it (the alerts' addressKey in ip-network.ts alike), so
   that a client whose port, proxy hop or junk or non-public first entry changes is one address; '' when none has. Each entry is read on its own, as the steps below read it (no
   pattern spans the list): linear in the text. One pass over the events, with no row per entry:
   Athena reads the table again for each reference to a WITH query, and a row per entry carrying
   its text costs entries times length. */
client_raw AS (
  SELECT
    period_events.*,
    split_part(
      array_join(
        filter(
          /* Only the entries with a dot or a colon can hold an address: the others are dropped
             before the patterns (a list of 16,000 empty entries took 19 times as long). */
          filter(split(lowered_ip, ','), any_entry -> strpos(any_entry, '.') > 0 OR strpos(any_entry, ':') > 0),
          list_entry -> array_join(
            filter(
              ARRAY[
                CASE
                  WHEN regexp_like(list_entry, '^[ \t\n\r\f]*\[([^\]: \t\n\r\f]*:[^\] \t\n\r\f]*)\](:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])){0,1}[ \t\n\r\f]*$')
                    THEN regexp_extract(list_entry, '^[ \t\n\r\f]*\[([^\]: \t\n\r\f]*:[^\] \t\n\r\f]*)\](:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])){0,1}[ \t\n\r\f]*$', 1)
                  WHEN regexp_like(list_entry, '^[ \t\n\r\f]*([^: \t\n\r\f]*)(:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))[ \t\n\r\f]*$')
                    THEN regexp_extract(list_entry, '^[ \t\n\r\f]*([^: \t\n\r\f]*)(:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))[ \t\n\r\f]*$', 1)
                  ELSE regexp_extract(list_entry, '^[ \t\n\r\f]*([^ \t\n\r\f]*([ \t\n\r\f]+[^ \t\n\r\f]+)*)[ \t\n\r\f]*$', 1)
                END
              ],
              read_entry -> (regexp_like(read_entry, '^(::ffff:){0,1}((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))$')
                  AND NOT regexp_like(regexp_extract(read_entry, '^(::ffff:){0,1}((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))$', 2), '^((0|10|127|22[4-9]|23[0-9]|24[0-9]|25[0-5])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|169\.254\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|172\.(1[6-9]|2[0-9]|3[01])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|192\.168\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|192\.0\.[02]\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|198\.1[89]\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|198\.51\.100\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|203\.0\.113\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))$'))
                OR (regexp_like(read_entry, '^[23][0-9a-f]{3}((:[0-9a-f]{1,4}){7}|::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,5}){0,1}|(:[0-9a-f]{1,4}){1}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,4}){0,1}|(:[0-9a-f]{1,4}){2}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,3}){0,1}|(:[0-9a-f]{1,4}){3}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,2}){0,1}|(:[0-9a-f]{1,4}){4}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,1}){0,1}|(:[0-9a-f]{1,4}){5}::([0-9a-f]{1,4}){0,1}|(:[0-9a-f]{1,4}){6}::)$')
                  AND NOT regexp_like(read_entry, '^(2001:(0{0,4}|0{0,1}db8):|2002:|3fff:)'))
            ),
            ','
          ) <> ''
        ),
        ','
      ),
      ',',
      1
    ) AS raw_entry
  FROM period_events
),
/* The entry and its key: the steps of the same names in suspicious_logins.sql, with the very
   patterns. */
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
/* v6_closed: a keyed IPv6 entry (a global address, well formed), a `::` at its end closed with a
   zero group. */
client_v6_closed AS (
  SELECT
    client_entries.*,
    CASE
      WHEN regexp_like(entry, '^[23][0-9a-f]{3}((:[0-9a-f]{1,4}){7}|::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,5}){0,1}|(:[0-9a-f]{1,4}){1}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,4}){0,1}|(:[0-9a-f]{1,4}){2}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,3}){0,1}|(:[0-9a-f]{1,4}){3}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,2}){0,1}|(:[0-9a-f]{1,4}){4}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,1}){0,1}|(:[0-9a-f]{1,4}){5}::([0-9a-f]{1,4}){0,1}|(:[0-9a-f]{1,4}){6}::)$') AND NOT regexp_like(entry, '^(2001:(0{0,4}|0{0,1}db8):|2002:|3fff:)')
        THEN entry || CASE WHEN entry LIKE '%::' THEN '0' ELSE '' END
    END AS v6_closed
  FROM client_entries
),
/* v6_full: that entry with its `::` written out as the zero groups it stands for (8 groups in
   all; only the first four are read). */
client_v6 AS (
  SELECT
    client_v6_closed.*,
    replace(
      v6_closed,
      '::',
      ':' || substr('0:0:0:0:0:0:0:', 1, 2 * (8 - (length(v6_closed) - length(replace(v6_closed, ':', '')))))
    ) AS v6_full
  FROM client_v6_closed
),
/* ip: that entry's key, else the whole address text (never a key's spelling: text that reads as
   a public address has a key). */
client_keys AS (
  SELECT
    client_v6.*,
    coalesce(
      CASE
        WHEN regexp_like(entry, '^(::ffff:){0,1}((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))$')
          AND NOT regexp_like(regexp_extract(entry, '^(::ffff:){0,1}((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))$', 2), '^((0|10|127|22[4-9]|23[0-9]|24[0-9]|25[0-5])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|169\.254\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|172\.(1[6-9]|2[0-9]|3[01])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|192\.168\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|192\.0\.[02]\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|198\.1[89]\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|198\.51\.100\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|203\.0\.113\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))$')
          THEN regexp_extract(entry, '^(::ffff:){0,1}((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))$', 2)
        WHEN v6_full IS NOT NULL
          /* Its /64: the first four groups, leading zeros dropped (ip-network.ts, addressKey). */
          THEN regexp_extract(split_part(v6_full, ':', 1), '^0*([0-9a-f]+)$', 1) || ':'
            || regexp_extract(split_part(v6_full, ':', 2), '^0*([0-9a-f]+)$', 1) || ':'
            || regexp_extract(split_part(v6_full, ':', 3), '^0*([0-9a-f]+)$', 1) || ':'
            || regexp_extract(split_part(v6_full, ':', 4), '^0*([0-9a-f]+)$', 1) || '::/64'
      END,
      /* An IPv4 address alone in brackets, its port or not: that address, the same as it written
         bare. Not a key above: the geo lookup reads brackets as IPv6's and places no event by
         one, and the detections key none; here it only tells one address from another. A CASE:
         no match is null on Athena, '' on DuckDB. */
      CASE WHEN regexp_like(ip_text, '^\[((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))\](:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])){0,1}$')
        THEN regexp_extract(ip_text, '^\[((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))\](:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])){0,1}$', 1)
      END,
      /* A text without a dot or a colon names no address (unknown, a dash): '', as white space
         and none at all. */
      CASE WHEN strpos(ip_text, '.') = 0 AND strpos(ip_text, ':') = 0 THEN '' ELSE ip_text END,
      ''
    ) AS ip
  FROM client_v6
),
/* One row per address (key) of the period, the user's and the others' columns side by side, kept
   when the user has an event there; '' (no address) only of the user's own events. Grouped, not
   windowed: a window over every event of the period holds them all, every column, in the
   workers' memory at once (Athena's "Query exhausted resources" comes of windows and joins, its
   tuning guide says), and an office's or a VPN's address shared by thousands of users is one
   partition on one worker. The spelling shown is the user's latest event's there; the place,
   the user's latest placed event's: all three from one event (from two, an owner could be shown
   in another event's country), each value in an array so that DuckDB's max_by, which passes over
   a null value where Trino's takes it, keeps the owner the database lacks as Trino does. */
addresses AS (
  SELECT
    ip,
    max_by(coalesce(ip_address, ''), event_key) FILTER (WHERE by_user) AS ip_address,
    /* The key's network, as failed_logins_by_network.sql groups events (spray-groups.ts,
       sprayGroupOf): none for a whole text (raw_entry '' or null), a key alike for every event of
       the row. */
    max(
      CASE
        WHEN coalesce(raw_entry, '') = '' THEN NULL
        WHEN ip LIKE '%::/64' THEN split_part(ip, ':', 1) || ':' || split_part(ip, ':', 2) || ':' || split_part(ip, ':', 3) || '::/48'
        ELSE split_part(ip, '.', 1) || '.' || split_part(ip, '.', 2) || '.' || split_part(ip, '.', 3) || '.0/24'
      END
    ) AS network,
    max_by(ip_country, event_key) FILTER (WHERE by_user AND ip_country IS NOT NULL) AS country,
    (max_by(ARRAY[ip_asn], event_key) FILTER (WHERE by_user AND ip_country IS NOT NULL))[1] AS asn,
    (max_by(ARRAY[ip_org], event_key) FILTER (WHERE by_user AND ip_country IS NOT NULL))[1] AS org,
    min(event_time) FILTER (WHERE by_user) AS first_time,
    max(event_time) FILTER (WHERE by_user) AS last_time,
    count(*) FILTER (WHERE by_user) AS events,
    count(*) FILTER (WHERE by_user AND category = 'login') AS sign_ins,
    count(*) FILTER (WHERE by_user AND category = 'login_failed') AS failed_logins,
    count(DISTINCT user_key) FILTER (WHERE NOT by_user) AS other_users,
    count(*) FILTER (WHERE NOT by_user AND category = 'login') AS other_sign_ins,
    array_join(
      slice(array_sort(array_agg(DISTINCT user_label) FILTER (WHERE NOT by_user AND user_key IS NOT NULL)), 1, 10),
      ', '
    ) AS other_user_names
  FROM client_keys
  WHERE by_user OR ip <> ''
  GROUP BY ip
  HAVING count(*) FILTER (WHERE by_user) > 0
),
/* The local clocks of the first and last times, and the zone's offsets then worked out from the
   clocks' fields, as user_activity.sql does (the engines show a timestamp with a zone
   differently). A time unit written as a number, as SQL cannot import
   functions/core/time-units.ts: 1440 is a day in minutes. */
zoned AS (
  SELECT
    addresses.*,
    at_timezone(with_timezone(first_time, 'UTC'), CAST(? /* time_zone */ AS varchar)) AS first_clock,
    at_timezone(with_timezone(last_time, 'UTC'), CAST(? /* time_zone */ AS varchar)) AS last_clock
  FROM addresses
),
offsets AS (
  SELECT
    zoned.*,
    CASE
      WHEN CAST(first_clock AS date) > CAST(first_time AS date) THEN 1440
      WHEN CAST(first_clock AS date) < CAST(first_time AS date) THEN -1440
      ELSE 0
    END + 60 * (hour(first_clock) - hour(first_time)) + minute(first_clock) - minute(first_time) AS first_offset,
    CASE
      WHEN CAST(last_clock AS date) > CAST(last_time AS date) THEN 1440
      WHEN CAST(last_clock AS date) < CAST(last_time AS date) THEN -1440
      ELSE 0
    END + 60 * (hour(last_clock) - hour(last_time)) + minute(last_clock) - minute(last_time) AS last_offset
  FROM zoned
),
listed AS (
  SELECT
    offsets.*,
    CAST(CAST(first_clock AS date) AS varchar) || ' '
      || lpad(CAST(hour(first_clock) AS varchar), 2, '0') || ':'
      || lpad(CAST(minute(first_clock) AS varchar), 2, '0') || ':'
      || lpad(CAST(second(first_clock) AS varchar), 2, '0') || ' '
      || CASE WHEN first_offset < 0 THEN '-' ELSE '+' END
      || lpad(CAST(CAST(floor(CAST(abs(first_offset) AS double) / 60) AS bigint) AS varchar), 2, '0')
      || ':' || lpad(CAST(abs(first_offset) % 60 AS varchar), 2, '0') AS first_local_time,
    CAST(CAST(last_clock AS date) AS varchar) || ' '
      || lpad(CAST(hour(last_clock) AS varchar), 2, '0') || ':'
      || lpad(CAST(minute(last_clock) AS varchar), 2, '0') || ':'
      || lpad(CAST(second(last_clock) AS varchar), 2, '0') || ' '
      || CASE WHEN last_offset < 0 THEN '-' ELSE '+' END
      || lpad(CAST(CAST(floor(CAST(abs(last_offset) AS double) / 60) AS bigint) AS varchar), 2, '0')
      || ':' || lpad(CAST(abs(last_offset) % 60 AS varchar), 2, '0') AS last_local_time,
    row_number() OVER (ORDER BY first_time, ip) AS row_rank,
    count(*) OVER () AS total_rows
  FROM offsets
)
SELECT
  ip_address,
  network,
  country,
  asn,
  org,
  first_time,
  first_local_time,
  last_time,
  last_local_time,
  events,
  sign_ins,
  failed_logins,
  other_users,
  other_sign_ins,
  other_user_names,
  total_rows
FROM listed
WHERE row_rank <= 1000
ORDER BY row_rank
