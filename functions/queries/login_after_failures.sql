-- login_after_failures: sign-ins right after failed logins or a lockout of the same user.
-- The alerts' login_after_failures: a sign-in after failures_before_login failed logins of the
-- user (4 by default) or a lockout, in the hour before it and since the user's last sign-in from
-- one of the failing IPs; one from another IP raises again only after that many more failures or
-- a lockout. Failures without a user_id (or of white space or 0) count for the users who signed
-- in under the name they carry. IPs are told apart as failed_logins_by_ip tells them. Reads from
-- the hour before the period, as the alerts do. One row per such sign-in, oldest first.
-- params: instance, lookback_from_dt, to_dt, lookback_from_ts, to_ts, failures_before_login, from_ts, max_rows
-- columns: event_time, user_id, user_name, ip_address, failed_attempts, lockouts, first_failure, last_failure, from_failing_ip, event_id, user_rows, total_rows
/* Time units, written as numbers: SQL cannot import functions/core/time-units.ts, and Athena
   takes a parameter only in a WHERE clause (test/architecture/time-units.test.ts holds each
   to its unit): 3600000 is an hour in ms, 3599999 is an hour in ms less 1 (a frame of
   the hour before a row, that row included). */
/* At most the first max_rows rows (1000 by default), each user's first sign-in before any second
   one, each with the count of all rows (total_rows) and of its user's (user_rows). */
/* Named failures for the address key's steps below, copied word for word: sign-ins are read too. */
WITH failures AS (
  SELECT
    /* An id of white space (the ASCII one) or 0 names no user, as in failed_logins_and_lockouts.sql. */
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
    AND dt BETWEEN ? /* lookback_from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* lookback_from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    AND category IN ('login', 'login_failed', 'lockout')
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
/* name_key: the name as one key of its spellings, as far as both engines read alike: A-Z
   lower-cased, ASCII white space trimmed and each run one space (the detector, detection.ts nameKey,
   also folds other letters' case and NFKC forms). event_key orders events as the detector does:
   time, then event id. */
named AS (
  SELECT
    client_keys.*,
    array_join(
      filter(
        split(
          translate(coalesce(user_name, ''), chr(9) || chr(10) || chr(13) || chr(12) || 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '    abcdefghijklmnopqrstuvwxyz'),
          ' '
        ),
        word -> word <> ''
      ),
      ' '
    ) AS name_key,
    lpad(CAST(event_time_ms AS varchar), 15, '0') || event_id AS event_key
  FROM client_keys
),
/* Each step below whose windows are all partitioned also numbers its rows over the whole timeline
   (planned_ and the step's name, read by no one). DuckDB's filter pushdown plans what lies under a
   step whose every window has a PARTITION BY twice over, so the 13 such steps in a row planned the
   lake's file list 8,192 times (1.4 s of CPU on two weeks of hourly files, for a run of 0.02 s),
   doubling with each step and growing with the files. One window with no partition in the step
   makes it plan once. Neither engine pays for it: DuckDB streams a row_number() OVER (), and Trino
   drops a window whose value no one reads. */
/* owners: whose timeline an event is on: its user's; a failure or lockout naming no user, every
   user who signed in under its name in what is read (a name of nothing is no one's). */
owned AS (
  SELECT
    named.*,
    row_number() OVER () AS planned_owned,
    CASE
      WHEN user_id IS NOT NULL OR category = 'login' THEN filter(ARRAY[user_id], id -> id IS NOT NULL)
      ELSE array_distinct(
        filter(
          array_agg(CASE WHEN category = 'login' AND user_id IS NOT NULL AND name_key <> '' THEN user_id END)
            OVER (PARTITION BY name_key),
          id -> id IS NOT NULL
        )
      )
    END AS owners
  FROM named
),
/* failures_before_login as a column: Athena takes a parameter in a WHERE clause only, and the
   steps below read it in their windows. One row, the digits of 0 to 1999 that make it. */
threshold AS (
  SELECT thousands.d * 1000 + hundreds.d * 100 + tens.d * 10 + units.d AS failures_before_login
  FROM (VALUES (0), (1)) AS thousands (d)
  CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS hundreds (d)
  CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS tens (d)
  CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS units (d)
  WHERE thousands.d * 1000 + hundreds.d * 100 + tens.d * 10 + units.d = CAST(? /* failures_before_login */ AS integer)
),
/* Only what the steps below read: each window step carries every column along. */
timeline AS (
  SELECT
    owner,
    user_id,
    user_name,
    event_id,
    event_time,
    event_time_ms,
    event_key,
    ip_address,
    ip,
    category,
    CASE WHEN category = 'login_failed' THEN 1 ELSE 0 END AS failed,
    CASE WHEN category = 'lockout' THEN 1 ELSE 0 END AS locked,
    failures_before_login
  FROM owned
  CROSS JOIN UNNEST(owners) AS o (owner)
  CROSS JOIN threshold
),
/* Each event's reach: the latest failure from its IP (by its key, which orders as the detector
   does), the failures and lockouts so far and in the hour before, the next failure after it. */
reach AS (
  SELECT
    timeline.*,
    row_number() OVER () AS planned_reach,
    max(CASE WHEN category <> 'login' THEN event_key END)
      OVER (PARTITION BY owner, ip ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS ip_failure_key,
    max(CASE WHEN category <> 'login' THEN event_time_ms END)
      OVER (PARTITION BY owner, ip ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS ip_failure_ms,
    sum(failed) OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS failed_so_far,
    sum(locked) OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS locked_so_far,
    sum(failed) OVER (PARTITION BY owner ORDER BY event_time_ms RANGE BETWEEN 3599999 PRECEDING AND CURRENT ROW) AS failed_in_hour,
    sum(locked) OVER (PARTITION BY owner ORDER BY event_time_ms RANGE BETWEEN 3599999 PRECEDING AND CURRENT ROW) AS locked_in_hour,
    min(CASE WHEN category <> 'login' THEN event_time END)
      OVER (PARTITION BY owner ORDER BY event_time_ms RANGE BETWEEN 3599999 PRECEDING AND CURRENT ROW) AS first_in_hour,
    max(CASE WHEN category <> 'login' THEN event_time END)
      OVER (PARTITION BY owner ORDER BY event_time_ms RANGE BETWEEN 3599999 PRECEDING AND CURRENT ROW) AS last_failure,
    min(CASE WHEN category <> 'login' THEN event_time END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_failure
  FROM timeline
),
/* A sign-in closes the user's episode of failures when one of them, since the last sign-in that
   closed it and in the hour before, came from its IP: when its IP's latest failure (in the hour
   before) is later than that sign-in. Which sign-ins closed it depends on which closed it before,
   which SQL without recursion (Athena's stops at 10 levels) takes in turns: first any sign-in
   with a failure from its IP in the hour before (may_close), then, 5 times, those whose IP's
   failure is later than the last one the turn before found closing (closedN). Each turn settles
   one more sign-in of a chain of them each within an hour of the one before. */
turn0 AS (
  SELECT
    reach.*,
    category = 'login' AND ip <> '' AND ip_failure_ms > event_time_ms - 3600000 AS may_close
  FROM reach
),
turn1 AS (
  SELECT
    turn0.*,
    row_number() OVER () AS planned_turn1,
    max(CASE WHEN may_close THEN event_key END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS closed0
  FROM turn0
),
turn2 AS (
  SELECT
    turn1.*,
    row_number() OVER () AS planned_turn2,
    max(CASE WHEN may_close AND (closed0 IS NULL OR ip_failure_key > closed0) THEN event_key END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS closed1
  FROM turn1
),
turn3 AS (
  SELECT
    turn2.*,
    row_number() OVER () AS planned_turn3,
    max(CASE WHEN may_close AND (closed1 IS NULL OR ip_failure_key > closed1) THEN event_key END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS closed2
  FROM turn2
),
turn4 AS (
  SELECT
    turn3.*,
    row_number() OVER () AS planned_turn4,
    max(CASE WHEN may_close AND (closed2 IS NULL OR ip_failure_key > closed2) THEN event_key END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS closed3
  FROM turn3
),
turn5 AS (
  SELECT
    turn4.*,
    row_number() OVER () AS planned_turn5,
    max(CASE WHEN may_close AND (closed3 IS NULL OR ip_failure_key > closed3) THEN event_key END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS closed4
  FROM turn4
),
/* The failures and lockouts so far at the last sign-in that closed the episode, and the time of
   the first failure after it (monotone in time, so the latest closing sign-in's are the maxima). */
closed AS (
  SELECT
    turn5.*,
    row_number() OVER () AS planned_closed,
    coalesce(may_close AND (closed4 IS NULL OR ip_failure_key > closed4), false) AS from_failing_ip,
    max(CASE WHEN may_close AND (closed4 IS NULL OR ip_failure_key > closed4) THEN failed_so_far END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS failed_at_close,
    max(CASE WHEN may_close AND (closed4 IS NULL OR ip_failure_key > closed4) THEN locked_so_far END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS locked_at_close,
    max(CASE WHEN may_close AND (closed4 IS NULL OR ip_failure_key > closed4) THEN next_failure END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS first_after_close
  FROM turn5
),
/* A sign-in's failures and lockouts: since the last closing sign-in and in the hour before, the
   shorter of two tails of the same timeline. */
counted AS (
  SELECT
    closed.*,
    least(failed_in_hour, failed_so_far - coalesce(failed_at_close, 0)) AS failures,
    least(locked_in_hour, locked_so_far - coalesce(locked_at_close, 0)) AS lockouts,
    CASE WHEN first_after_close > first_in_hour THEN first_after_close ELSE first_in_hour END AS first_failure
  FROM closed
),
/* A sign-in from another IP raises only on failures since the last one that raised in the episode
   (the detector's told ones), which too depends on the ones before: first every such sign-in with
   enough failures is taken as raising, then, 3 times, those with enough since the last one the
   turn before found raising. A tally at a sign-in before the last closing one counts no less than
   the closing one's, so the shorter tail is the episode's. */
telling0 AS (
  SELECT
    counted.*,
    row_number() OVER () AS planned_telling0,
    max(CASE WHEN category = 'login' AND NOT from_failing_ip AND (failures >= failures_before_login OR lockouts > 0) THEN failed_so_far END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS failed_at_told0,
    max(CASE WHEN category = 'login' AND NOT from_failing_ip AND (failures >= failures_before_login OR lockouts > 0) THEN locked_so_far END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS locked_at_told0
  FROM counted
),
telling1 AS (
  SELECT
    telling0.*,
    row_number() OVER () AS planned_telling1,
    max(CASE WHEN category = 'login' AND NOT from_failing_ip AND (
      least(failures, failed_so_far - coalesce(failed_at_told0, 0)) >= failures_before_login
      OR least(lockouts, locked_so_far - coalesce(locked_at_told0, 0)) > 0
    ) THEN failed_so_far END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS failed_at_told1,
    max(CASE WHEN category = 'login' AND NOT from_failing_ip AND (
      least(failures, failed_so_far - coalesce(failed_at_told0, 0)) >= failures_before_login
      OR least(lockouts, locked_so_far - coalesce(locked_at_told0, 0)) > 0
    ) THEN locked_so_far END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS locked_at_told1
  FROM telling0
),
telling2 AS (
  SELECT
    telling1.*,
    row_number() OVER () AS planned_telling2,
    max(CASE WHEN category = 'login' AND NOT from_failing_ip AND (
      least(failures, failed_so_far - coalesce(failed_at_told1, 0)) >= failures_before_login
      OR least(lockouts, locked_so_far - coalesce(locked_at_told1, 0)) > 0
    ) THEN failed_so_far END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS failed_at_told2,
    max(CASE WHEN category = 'login' AND NOT from_failing_ip AND (
      least(failures, failed_so_far - coalesce(failed_at_told1, 0)) >= failures_before_login
      OR least(lockouts, locked_so_far - coalesce(locked_at_told1, 0)) > 0
    ) THEN locked_so_far END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS locked_at_told2
  FROM telling1
),
telling3 AS (
  SELECT
    telling2.*,
    row_number() OVER () AS planned_telling3,
    max(CASE WHEN category = 'login' AND NOT from_failing_ip AND (
      least(failures, failed_so_far - coalesce(failed_at_told2, 0)) >= failures_before_login
      OR least(lockouts, locked_so_far - coalesce(locked_at_told2, 0)) > 0
    ) THEN failed_so_far END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS failed_at_told3,
    max(CASE WHEN category = 'login' AND NOT from_failing_ip AND (
      least(failures, failed_so_far - coalesce(failed_at_told2, 0)) >= failures_before_login
      OR least(lockouts, locked_so_far - coalesce(locked_at_told2, 0)) > 0
    ) THEN locked_so_far END)
      OVER (PARTITION BY owner ORDER BY event_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS locked_at_told3
  FROM telling2
),
/* The sign-ins the detector raises. */
raised AS (
  SELECT
    event_time,
    event_time_ms,
    user_id,
    user_name,
    ip_address,
    failures AS failed_attempts,
    lockouts,
    first_failure,
    last_failure,
    from_failing_ip,
    event_id
  FROM telling3
  WHERE category = 'login'
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND CASE
      WHEN from_failing_ip THEN failures >= failures_before_login OR lockouts > 0
      ELSE (
          least(failures, failed_so_far - coalesce(failed_at_told3, 0)) >= failures_before_login
          OR least(lockouts, locked_so_far - coalesce(locked_at_told3, 0)) > 0
        )
    END
),
/* user_nth: the row's place among its user's, in time then event id (unique per sign-in). */
users_nth AS (
  SELECT
    raised.*,
    row_number() OVER () AS planned_users_nth,
    count(*) OVER (PARTITION BY user_id) AS user_rows,
    row_number() OVER (PARTITION BY user_id ORDER BY event_time_ms, event_id) AS user_nth
  FROM raised
),
/* Each user's first sign-in before any second one, then in time: one account signing in after
   failures all week must not push the other users' rows out of the ones kept. */
listed AS (
  SELECT
    users_nth.*,
    row_number() OVER (ORDER BY user_nth, event_time, user_id, event_id) AS row_rank,
    count(*) OVER () AS total_rows
  FROM users_nth
)
SELECT
  event_time,
  user_id,
  user_name,
  ip_address,
  failed_attempts,
  lockouts,
  first_failure,
  last_failure,
  from_failing_ip,
  event_id,
  user_rows,
  total_rows
FROM listed
/* max_rows: 1000 by default, as the report keeps every catalog query to; more to read every row
   of a busy week. */
WHERE row_rank <= CAST(? /* max_rows */ AS bigint)
ORDER BY event_time, user_id, event_id
