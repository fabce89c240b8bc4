-- failed_logins_by_ip: addresses that failed to sign in for many users in a period.
-- A password spray tries one or two passwords on many accounts from one address, so each account
-- shows only a failure or two in failed_logins_and_lockouts. One row per IP address whose
-- login_failed events name at least 5 distinct users: a person mistyping fails for one account,
-- a shared office address for a few; 5 is above what a team behind one address reaches in a week.
-- Users are the user id (not white space or 0), else the user name. Place (country, network
-- owner) is the latest placed failure's; null when none was placed. Addresses are compared by
-- the list's first entry that suspicious_logins would key (ports, hops, junk do not count; IPv6
-- by its /64), else by text (trimmed, A-Z lower-cased); shown as the latest failure wrote them.
-- params: instance, from_dt, to_dt, from_ts, to_ts
-- columns: ip_address, users, failed_attempts, first_failure, last_failure, country, asn, org, total_rows
/* At most the first 1000 rows, each with the count of all of them (total_rows). */
WITH failures AS (
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
    /* An id of white space (the ASCII one) or 0 names no user, as in failed_logins_and_lockouts.sql:
       such failures are told apart by their names, or 12 names guessed under id 0 were one user. */
    CASE
      WHEN translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') THEN 'id ' || user_id
      WHEN user_name IS NOT NULL THEN 'name ' || user_name
    END AS user_key,
    /* Orders the failures by time (event id as the tie-break), on both engines alike. */
    lpad(CAST(event_time_ms AS varchar), 15, '0') || event_id AS event_key
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    AND category = 'login_failed'
    /* A text without a dot or a colon (unknown, a dash) is no address either: its key is ''. */
    AND ip_address IS NOT NULL
),
/* raw_entry: the first entry of the list that has a key below (a public address), wherever it
   stands (the alerts' password_spray keys failures alike: ip-network.ts, addressKey), so that a
   spray whose port, proxy hop or junk or non-public first entry changes with each attempt is one
   address; '' when none has. Each entry is read on its own, as the steps below read it (no
   pattern spans the list): linear in the text. One pass over the failures, with no row per entry:
   Athena reads the table again for each reference to a WITH query, and a row per entry carrying
   its text costs entries times length. */
client_raw AS (
  SELECT
    failures.*,
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
  FROM failures
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
      /* A text without a dot or a colon names no address (unknown, a dash): '', as white space. */
      CASE WHEN strpos(ip_text, '.') = 0 AND strpos(ip_text, ':') = 0 THEN '' ELSE ip_text END
    ) AS ip
  FROM client_v6
),
/* The latest placed failure of each address (its event_key), which the address is placed by. */
placed AS (
  SELECT
    client_keys.*,
    max(CASE WHEN ip_country IS NOT NULL THEN event_key END) OVER (PARTITION BY ip) AS place_key
  FROM client_keys
),
/* One row per address that failed for many users. */
addresses AS (
  SELECT
    ip,
    max_by(ip_address, event_key) AS ip_address,
    count(DISTINCT user_key) AS users,
    count(*) AS failed_attempts,
    min(event_time) AS first_failure,
    max(event_time) AS last_failure,
    /* All three from one failure, the latest placed one (from two, an owner could be shown in
       another failure's country), picked by its key: max_by would not do, as DuckDB's passes over
       a row whose value is null (an owner the database lacks) where Trino's takes it. */
    max(CASE WHEN event_key = place_key THEN ip_country END) AS country,
    max(CASE WHEN event_key = place_key THEN ip_asn END) AS asn,
    max(CASE WHEN event_key = place_key THEN ip_org END) AS org
  FROM placed
  WHERE ip <> ''
  GROUP BY ip
  HAVING count(DISTINCT user_key) >= 5
),
/* In their order, with the count of all of them: a spray of a new name from each of many addresses
   is one row per 5 names, which the report must not hold in the hundreds of thousands. */
listed AS (
  SELECT
    addresses.*,
    row_number() OVER (ORDER BY users DESC, failed_attempts DESC, ip) AS row_rank,
    count(*) OVER () AS total_rows
  FROM addresses
)
SELECT ip_address, users, failed_attempts, first_failure, last_failure, country, asn, org, total_rows
FROM listed
/* functions/core/report/report-model.ts, FAILED_ADDRESS_ROWS, says the same number. */
WHERE row_rank <= 1000
ORDER BY row_rank
