-- failed_logins_and_lockouts: who failed to sign in or got locked out in a period.
-- One row per user with a login_failed or lockout event: counts, distinct source IPs
-- over those events, first and last failure, last lockout (null when none). Failures
-- without a user_id (or of white space or 0: null) are grouped by the user name they carry.
-- Source IPs are told apart as failed_logins_by_ip tells them (the list's first entry that
-- suspicious_logins would key, IPv6 by its /64, else the trimmed, A-Z lower-cased text): one
-- client through a proxy is one IP; a text without a dot or a colon is none. At most max_rows
-- rows (1000 by default), each with the count of all and the figures of all failures without a user_id.
-- params: instance, from_dt, to_dt, from_ts, to_ts, max_rows
-- columns: user_id, user_name, failed_attempts, lockouts, distinct_ips, ips, first_failure, last_failure, last_lockout, total_rows, no_user_names, no_user_failures, no_user_ips, no_user_first_failure, no_user_last_failure
WITH failures AS (
  SELECT
    /* An id of white space (the ASCII one) or 0 names no user: Domo writes 0 for none in an actor
       id. Kept as one, it made every such failure one user's (functions/core/alerts/detection.ts,
       userIdOf, drops it alike; failed_logins_by_ip.sql too). chr: no escapes in SQL texts. */
    CASE
      WHEN translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') THEN user_id
    END AS user_id,
    user_name,
    event_id,
    event_time,
    event_time_ms,
    ip_address,
    category,
    /* Only A-Z lower-cased, whitespace the ASCII one: see suspicious_logins.sql why, on both engines. */
    translate(ip_address, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS lowered_ip,
    translate(
      regexp_extract(ip_address, '^[ \t\n\r\f]*([^ \t\n\r\f]*([ \t\n\r\f]+[^ \t\n\r\f]+)*)[ \t\n\r\f]*$', 1),
      'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      'abcdefghijklmnopqrstuvwxyz'
    ) AS ip_text
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    AND category IN ('login_failed', 'lockout')
),
/* The address key of failed_logins_by_ip.sql, its steps copied word for word (each catalog query
   stands alone on Athena; test/core/alerts/ip-network.test.ts holds the copies to one text). */
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
/* The grouping of the rows below: a failure without a user_id (as read above) by the name typed. */
client_users AS (
  SELECT
    client_keys.*,
    user_id IS NULL AS no_user,
    CASE WHEN user_id IS NULL THEN user_name END AS typed_name
  FROM client_keys
),
/* One row per user and per name typed without a user_id, and, from the same scan (a second
   reference to a WITH query is a second read of the table on Athena), one row of all failures with
   and one of all without a user_id (no_user set, which is null on the per-user rows). */
grouped AS (
  SELECT
    user_id,
    max_by(
      user_name,
      CASE WHEN user_name IS NOT NULL THEN lpad(CAST(event_time_ms AS varchar), 15, '0') || event_id END
    ) AS user_name,
    count(*) FILTER (WHERE category = 'login_failed') AS failed_attempts,
    count(*) FILTER (WHERE category = 'lockout') AS lockouts,
    /* '' is a text without a dot or a colon: no address, as failed_logins_by_ip leaves it out. */
    count(DISTINCT CASE WHEN ip <> '' THEN ip END) AS distinct_ips,
    /* ips: the first 3 of those IPs in text order, separated by chr(31); null when none. The
       report names a user's addresses, so a lockout from one address does not read as part of
       a spray from another: 3 of them, bounded whatever the user's count. The unit separator
       (chr 31) is in no address text, where a comma is (a text with no key is kept whole). */
    array_join(slice(array_sort(array_agg(DISTINCT ip) FILTER (WHERE ip <> '')), 1, 3), chr(31)) AS ips,
    min(CASE WHEN category = 'login_failed' THEN event_time END) AS first_failure,
    max(CASE WHEN category = 'login_failed' THEN event_time END) AS last_failure,
    max(CASE WHEN category = 'lockout' THEN event_time END) AS last_lockout,
    no_user
  FROM client_users
  GROUP BY GROUPING SETS ((user_id, typed_name), (no_user))
),
/* The per-user rows ranked (the order is total: one row per user id, and per name without one),
   with the figures of all of them on each. A credential-stuffing week types a new name with each
   attempt: hundreds of thousands of rows, which the report must not hold, while these figures say
   what the week was. */
ranked AS (
  SELECT
    grouped.*,
    row_number() OVER (
      PARTITION BY no_user IS NULL
      ORDER BY lockouts DESC, failed_attempts DESC, user_id NULLS LAST, user_name NULLS LAST
    ) AS row_rank,
    count(CASE WHEN no_user IS NULL THEN 1 END) OVER () AS total_rows,
    count(CASE WHEN no_user IS NULL AND user_id IS NULL THEN 1 END) OVER () AS no_user_names,
    coalesce(max(CASE WHEN no_user THEN failed_attempts END) OVER (), 0) AS no_user_failures,
    coalesce(max(CASE WHEN no_user THEN distinct_ips END) OVER (), 0) AS no_user_ips,
    max(CASE WHEN no_user THEN first_failure END) OVER () AS no_user_first_failure,
    max(CASE WHEN no_user THEN last_failure END) OVER () AS no_user_last_failure
  FROM grouped
)
SELECT
  user_id,
  user_name,
  failed_attempts,
  lockouts,
  distinct_ips,
  ips,
  first_failure,
  last_failure,
  last_lockout,
  total_rows,
  no_user_names,
  no_user_failures,
  no_user_ips,
  no_user_first_failure,
  no_user_last_failure
FROM ranked
/* max_rows: 1000 by default. The report shows 20 rows and archives the first
   functions/core/report/report-model.ts FAILED_LOGIN_ROWS (1000), which it passes: the bound keeps
   its memory whatever the week held; more to read every row of a credential-stuffing week. */
WHERE no_user IS NULL AND row_rank <= CAST(? /* max_rows */ AS bigint)
ORDER BY row_rank
