-- login_after_spray: sign-ins from where a password spray came, new to the user.
-- The alerts' login_after_spray, judged hour by hour as they are: a sign-in from an address, its
-- /24 or /48 or its owner whose failures made a spray in the hour before it or a window after it
-- in its hour (spray_users users within burst_minutes from the address, 3 times as many from the
-- network or owner, twice as many from the address in 60 minutes), unless the place is among the
-- user's placed sign-ins before its hour. One row per user, address and hour: its first.
-- params: instance, history_from_dt, to_dt, history_from_ts, to_ts, lookback_from_ts, spray_users, burst_minutes, from_ts
-- columns: event_time, user_id, user_name, ip_address, level, grp, failed_attempts, failures_after, more_sign_ins, last_sign_in, event_id
/* Time units, written as numbers: SQL cannot import functions/core/time-units.ts, and Athena
   takes a parameter only in a WHERE clause (test/architecture/time-units.test.ts holds each
   to its unit): 3600000 is an hour in ms, 3599999 is an hour in ms less 1 (the last
   ms of an hour), 60000 is a minute in ms. */
/* Named failures for the address key's steps below, copied word for word: sign-ins, the period's
   and the history's, are read too. */
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
    ip_country,
    ip_asn,
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
    AND dt BETWEEN ? /* history_from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* history_from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    AND (
      category = 'login'
      OR (category = 'login_failed' AND event_time >= CAST(? /* lookback_from_ts */ AS timestamp))
    )
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
/* The key two sign-ins are the same address by (own_ip): the steps client_raw, client_entries
   and client_keys of suspicious_logins.sql with the very patterns, renamed beside the ones above
   (ip-network.ts, clientAddressKey): what the user's known addresses are. */
own_raw AS (
  SELECT
    client_keys.*,
    split_part(
      substr(lowered_ip, length(regexp_extract(lowered_ip, '^(([^.:,]*|[ \t\n\r\f]*((0|10|127|22[4-9]|23[0-9]|24[0-9]|25[0-5])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|169\.254\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|172\.(1[6-9]|2[0-9]|3[01])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|192\.168\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|192\.0\.[02]\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|198\.1[89]\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|198\.51\.100\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|203\.0\.113\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))(:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])){0,1}[ \t\n\r\f]*),)*', 0)) + 1),
      ',',
      1
    ) AS own_raw_entry
  FROM client_keys
),
own_entries AS (
  SELECT
    own_raw.*,
    CASE
      WHEN regexp_like(own_raw_entry, '^[ \t\n\r\f]*\[([^\]: \t\n\r\f]*:[^\] \t\n\r\f]*)\](:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])){0,1}[ \t\n\r\f]*$')
        THEN regexp_extract(own_raw_entry, '^[ \t\n\r\f]*\[([^\]: \t\n\r\f]*:[^\] \t\n\r\f]*)\](:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])){0,1}[ \t\n\r\f]*$', 1)
      WHEN regexp_like(own_raw_entry, '^[ \t\n\r\f]*([^: \t\n\r\f]*)(:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))[ \t\n\r\f]*$')
        THEN regexp_extract(own_raw_entry, '^[ \t\n\r\f]*([^: \t\n\r\f]*)(:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))[ \t\n\r\f]*$', 1)
      ELSE regexp_extract(own_raw_entry, '^[ \t\n\r\f]*([^ \t\n\r\f]*([ \t\n\r\f]+[^ \t\n\r\f]+)*)[ \t\n\r\f]*$', 1)
    END AS own_entry
  FROM own_raw
),
own_keys AS (
  SELECT
    own_entries.*,
    CASE
      WHEN regexp_like(own_entry, '^(::ffff:){0,1}((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))$')
        AND NOT regexp_like(regexp_extract(own_entry, '^(::ffff:){0,1}((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))$', 2), '^((0|10|127|22[4-9]|23[0-9]|24[0-9]|25[0-5])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|169\.254\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|172\.(1[6-9]|2[0-9]|3[01])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|192\.168\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|192\.0\.[02]\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|198\.1[89]\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|198\.51\.100\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])|203\.0\.113\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))$')
        THEN regexp_extract(own_entry, '^(::ffff:){0,1}((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))$', 2)
      WHEN regexp_like(own_entry, '^[23][0-9a-f]{3}((:[0-9a-f]{1,4}){7}|::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,5}){0,1}|(:[0-9a-f]{1,4}){1}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,4}){0,1}|(:[0-9a-f]{1,4}){2}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,3}){0,1}|(:[0-9a-f]{1,4}){3}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,2}){0,1}|(:[0-9a-f]{1,4}){4}::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,1}){0,1}|(:[0-9a-f]{1,4}){5}::([0-9a-f]{1,4}){0,1}|(:[0-9a-f]{1,4}){6}::)$') AND NOT regexp_like(own_entry, '^(2001:(0{0,4}|0{0,1}db8):|2002:|3fff:)')
        THEN own_entry
    END AS own_ip
  FROM own_entries
),
/* The settings as columns: Athena takes a parameter in a WHERE clause only, and the steps below
   read them in their windows. One row each, of the digits that make it. */
spray_setting AS (
  SELECT hundreds.d * 100 + tens.d * 10 + units.d + 1000 * thousands.d AS spray_users
  FROM (VALUES (0), (1)) AS thousands (d)
  CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS hundreds (d)
  CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS tens (d)
  CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS units (d)
  WHERE thousands.d * 1000 + hundreds.d * 100 + tens.d * 10 + units.d = CAST(? /* spray_users */ AS integer)
),
burst_setting AS (
  SELECT (tens.d * 10 + units.d) * 60000 AS burst_ms
  FROM (VALUES (0), (1), (2), (3)) AS tens (d)
  CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS units (d)
  WHERE tens.d * 10 + units.d = CAST(? /* burst_minutes */ AS integer)
),
/* The history's length in whole hours, from history_from_ts to from_ts: each sign-in is judged
   against the hours that long before its own, as the alerts judge each hour. */
history_setting AS (
  SELECT CAST(max(thousands.d * 1000 + hundreds.d * 100 + tens.d * 10 + units.d) AS bigint) * 3600000 AS history_ms
  FROM (VALUES (0), (1), (2)) AS thousands (d)
  CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS hundreds (d)
  CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS tens (d)
  CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS units (d)
  WHERE CAST(? /* history_from_ts */ AS timestamp) + (thousands.d * 1000 + hundreds.d * 100 + tens.d * 10 + units.d) * INTERVAL '1' HOUR
    <= CAST(? /* from_ts */ AS timestamp)
),
/* Each event's groups (spray-groups.ts, sprayGroupOf; as failed_logins_by_network.sql): the
   address key, the /24 or /48 of a keyed address and its owner; and what its sign-in is judged
   by: user_key, whom a failure is about (its user id, else its name as one key of its spellings
   as far as both engines read alike, as login_after_failures.sql folds it), and the hour it is
   evaluated in. */
grouped_events AS (
  SELECT
    own_keys.*,
    CASE WHEN ip <> '' THEN ip END AS address,
    CASE
      WHEN coalesce(raw_entry, '') = '' THEN NULL
      WHEN ip LIKE '%::/64' THEN split_part(ip, ':', 1) || ':' || split_part(ip, ':', 2) || ':' || split_part(ip, ':', 3) || '::/48'
      ELSE split_part(ip, '.', 1) || '.' || split_part(ip, '.', 2) || '.' || split_part(ip, '.', 3) || '.0/24'
    END AS network,
    CASE WHEN coalesce(raw_entry, '') <> '' AND ip_asn IS NOT NULL THEN 'AS' || CAST(ip_asn AS varchar) END AS owner,
    CASE
      WHEN user_id IS NOT NULL THEN 'id ' || user_id
      ELSE 'name ' || array_join(
        filter(
          split(
            translate(coalesce(user_name, ''), chr(9) || chr(10) || chr(13) || chr(12) || 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '    abcdefghijklmnopqrstuvwxyz'),
            ' '
          ),
          word -> word <> ''
        ),
        ' '
      )
    END AS user_key,
    event_time_ms - mod(event_time_ms, 3600000) AS hour_ms
  FROM own_keys
  WHERE category = 'login_failed' OR user_id IS NOT NULL
),
/* Each step below whose windows are all partitioned also numbers its rows over the whole read
   (planned_ and the step's name, read by no one): DuckDB's filter pushdown plans what lies under
   such a step twice over, so a chain of them planned the file list 2, 4, 8... times, as
   login_after_failures.sql says. Neither engine pays for it: DuckDB streams a row_number() OVER (),
   and Trino drops a window whose value no one reads. */
/* The latest hour before a sign-in's own in which the user signed in, placed, from its address,
   its owner, or its network: windows over the sign-ins, each hour's known from the hours before.
   A known address's network is the one its sign-in is grouped by, an IPv4 /24 or an IPv6 /48 as
   the spray's (detect-login-after-spray.ts, knownPlace; spray-groups.ts, sprayNetworkOf): a keyed
   own_ip is the first keyed entry of its list, the one network is cut from. */
known AS (
  SELECT
    grouped_events.*,
    row_number() OVER () AS planned_known,
    max(CASE WHEN category = 'login' AND ip_country IS NOT NULL AND own_ip IS NOT NULL THEN hour_ms END)
      OVER (PARTITION BY CASE WHEN category = 'login' THEN user_id END, own_ip ORDER BY hour_ms RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS address_known_ms,
    max(CASE WHEN category = 'login' AND ip_country IS NOT NULL AND ip_asn IS NOT NULL THEN hour_ms END)
      OVER (PARTITION BY CASE WHEN category = 'login' THEN user_id END, ip_asn ORDER BY hour_ms RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS owner_known_ms,
    max(CASE WHEN category = 'login' AND ip_country IS NOT NULL AND own_ip IS NOT NULL THEN hour_ms END)
      OVER (PARTITION BY CASE WHEN category = 'login' THEN user_id END, network ORDER BY hour_ms RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS network_known_ms
  FROM grouped_events
),
/* One row per event and group it is in; sign-ins of the period only (the history's are read for
   the steps above). */
in_groups AS (
  SELECT
    known.*,
    split_part(grp_key, ' ', 1) AS kind,
    substr(grp_key, strpos(grp_key, ' ') + 1) AS grp,
    spray_users,
    burst_ms,
    history_ms
  FROM known
  CROSS JOIN UNNEST(ARRAY['address ' || address, 'network ' || network, 'owner ' || owner]) AS g (grp_key)
  CROSS JOIN spray_setting
  CROSS JOIN burst_setting
  CROSS JOIN history_setting
  WHERE grp_key IS NOT NULL
    AND (category = 'login_failed' OR event_time >= CAST(? /* from_ts */ AS timestamp))
),
/* Each failure's next one of its user in the group: the user counts among a window's until then. */
next_failures AS (
  SELECT
    in_groups.*,
    row_number() OVER () AS planned_next_failures,
    lead(event_time_ms)
      OVER (PARTITION BY kind, grp, CASE WHEN category = 'login_failed' THEN user_key END ORDER BY event_time_ms, event_id) AS next_ms
  FROM in_groups
),
/* The users failing in each group, one last failure each. A group with fewer than its level's
   users (spray_users from the address, 3 times as many from a network or owner) holds no window
   that sprays: its events place no markers below, and its sign-ins' levels read none sprayed, as
   they would. Most sign-ins' groups hold no failure at all: this keeps the windows below to the
   groups a spray can come from. */
group_users AS (
  SELECT
    next_failures.*,
    row_number() OVER () AS planned_group_users,
    sum(CASE WHEN category = 'login_failed' AND next_ms IS NULL THEN 1 ELSE 0 END)
      OVER (PARTITION BY kind, grp) AS failing_users
  FROM next_failures
),
/* The users of a window ending at an instant are those whose last failure up to it lies within
   it: counted as a running sum of +1 at each failure and -1 when its user leaves the window (at
   its next failure or a window's length after, whichever is first), for a window of
   burst_minutes and of 60 minutes, and of each less a millisecond (the open end of the hour
   before a sign-in). A sign-in places probes where it reads them: the hour before it, the first
   window of it, and the end of its tallies (a window after it, within its hour). */
markers AS (
  SELECT
    group_users.*,
    m.marker,
    CASE m.marker
      WHEN 0 THEN event_time_ms
      WHEN 1 THEN least(coalesce(next_ms, event_time_ms + burst_ms), event_time_ms + burst_ms)
      WHEN 2 THEN least(coalesce(next_ms, event_time_ms + 3600000), event_time_ms + 3600000)
      WHEN 3 THEN least(coalesce(next_ms, event_time_ms + burst_ms - 1), event_time_ms + burst_ms - 1)
      WHEN 4 THEN least(coalesce(next_ms, event_time_ms + 3599999), event_time_ms + 3599999)
      WHEN 5 THEN event_time_ms - 3600000 + burst_ms - 1
      WHEN 6 THEN event_time_ms - 1
      WHEN 7 THEN event_time_ms - 3600000
      WHEN 8 THEN least(event_time_ms + burst_ms, hour_ms + 3600000) - 1
      ELSE hour_ms + 3600000 - 1
    END AS marker_ms,
    CASE WHEN category = 'login_failed' AND m.marker = 0 THEN 1 ELSE 0 END AS failed
  FROM group_users
  CROSS JOIN UNNEST(ARRAY[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) AS m (marker)
  WHERE ((category = 'login_failed' AND m.marker <= 4) OR (category = 'login' AND (m.marker = 0 OR m.marker >= 5)))
    AND failing_users >= spray_users * CASE WHEN kind = 'address' THEN 1 ELSE 3 END
),
tallies AS (
  SELECT
    markers.*,
    row_number() OVER () AS planned_tallies,
    sum(failed - CASE WHEN marker = 1 THEN 1 ELSE 0 END)
      OVER (PARTITION BY kind, grp ORDER BY marker_ms RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS users_burst,
    sum(failed - CASE WHEN marker = 2 THEN 1 ELSE 0 END)
      OVER (PARTITION BY kind, grp ORDER BY marker_ms RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS users_hour,
    sum(failed - CASE WHEN marker = 3 THEN 1 ELSE 0 END)
      OVER (PARTITION BY kind, grp ORDER BY marker_ms RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS users_burst_open,
    sum(failed - CASE WHEN marker = 4 THEN 1 ELSE 0 END)
      OVER (PARTITION BY kind, grp ORDER BY marker_ms RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS users_hour_open,
    sum(failed)
      OVER (PARTITION BY kind, grp ORDER BY marker_ms RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS failures_so_far
  FROM markers
),
/* A failure that ends a window holding the level's users: spray_users from the address within
   burst_minutes, 3 times as many from a network or an owner; twice as many from the address
   within 60 minutes. */
ends AS (
  SELECT
    tallies.*,
    CASE
      WHEN failed = 1 AND users_burst >= spray_users * CASE WHEN kind = 'address' THEN 1 ELSE 3 END THEN marker_ms
    END AS burst_end,
    CASE WHEN failed = 1 AND kind = 'address' AND users_hour >= spray_users * 2 THEN marker_ms END AS hour_end
  FROM tallies
),
/* For a sign-in at t: the latest such failure up to t and the first from t on. A window within the
   hour before and a window after t (in its hour) ending at a failure from t - 60 minutes + the
   window's length on holds it whole; one ending before then, the failures from the hour before
   to that instant hold. */
reach AS (
  SELECT
    ends.*,
    row_number() OVER () AS planned_reach,
    max(burst_end) OVER (PARTITION BY kind, grp ORDER BY marker_ms RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS burst_end_before,
    min(burst_end) OVER (PARTITION BY kind, grp ORDER BY marker_ms RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS burst_end_after,
    max(hour_end) OVER (PARTITION BY kind, grp ORDER BY marker_ms RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS hour_end_before,
    min(hour_end) OVER (PARTITION BY kind, grp ORDER BY marker_ms RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS hour_end_after
  FROM ends
),
/* Each sign-in's levels, its probes read back into one row. */
levels AS (
  SELECT
    event_id,
    arbitrary(event_time) AS event_time,
    arbitrary(event_time_ms) AS event_time_ms,
    arbitrary(hour_ms) AS hour_ms,
    arbitrary(user_id) AS user_id,
    arbitrary(user_name) AS user_name,
    arbitrary(ip_address) AS ip_address,
    arbitrary(coalesce(own_ip, ip_address)) AS link_key,
    arbitrary(address_known_ms >= hour_ms - history_ms) AS address_known,
    arbitrary(network_known_ms >= hour_ms - history_ms) AS network_known,
    arbitrary(owner_known_ms >= hour_ms - history_ms) AS owner_known,
    max(CASE WHEN kind = 'address' THEN grp END) AS address,
    max(CASE WHEN kind = 'network' THEN grp END) AS network,
    max(CASE WHEN kind = 'owner' THEN grp END) AS owner,
    /* Whether each level sprayed: a window from the hour before to the probe, or one whole. */
    max(CASE
      WHEN marker = 5 AND users_burst_open >= spray_users * CASE WHEN kind = 'address' THEN 1 ELSE 3 END THEN kind
      WHEN marker = 0 AND (burst_end_before >= event_time_ms - 3600000 + burst_ms OR burst_end_after <= least(event_time_ms + burst_ms, hour_ms + 3600000) - 1) THEN kind
    END) FILTER (WHERE kind = 'address') AS address_sprayed,
    max(CASE
      WHEN marker = 5 AND users_burst_open >= spray_users * 3 THEN kind
      WHEN marker = 0 AND (burst_end_before >= event_time_ms - 3600000 + burst_ms OR burst_end_after <= least(event_time_ms + burst_ms, hour_ms + 3600000) - 1) THEN kind
    END) FILTER (WHERE kind = 'network') AS network_sprayed,
    max(CASE
      WHEN marker = 5 AND users_burst_open >= spray_users * 3 THEN kind
      WHEN marker = 0 AND (burst_end_before >= event_time_ms - 3600000 + burst_ms OR burst_end_after <= least(event_time_ms + burst_ms, hour_ms + 3600000) - 1) THEN kind
    END) FILTER (WHERE kind = 'owner') AS owner_sprayed,
    max(CASE
      WHEN marker = 6 AND users_hour_open >= spray_users * 2 THEN kind
      WHEN marker = 0 AND (hour_end_before >= event_time_ms OR hour_end_after <= hour_ms + 3600000 - 1) THEN kind
    END) FILTER (WHERE kind = 'address') AS slow_sprayed,
    /* The failures counted at the probes, per level: to the hour before, to t, to a window after. */
    max(CASE WHEN marker = 7 THEN failures_so_far END) FILTER (WHERE kind = 'address') AS address_before,
    max(CASE WHEN marker = 7 THEN failures_so_far END) FILTER (WHERE kind = 'network') AS network_before,
    max(CASE WHEN marker = 7 THEN failures_so_far END) FILTER (WHERE kind = 'owner') AS owner_before,
    max(CASE WHEN marker = 0 THEN failures_so_far END) FILTER (WHERE kind = 'address') AS address_at,
    max(CASE WHEN marker = 0 THEN failures_so_far END) FILTER (WHERE kind = 'network') AS network_at,
    max(CASE WHEN marker = 0 THEN failures_so_far END) FILTER (WHERE kind = 'owner') AS owner_at,
    max(CASE WHEN marker = 8 THEN failures_so_far END) FILTER (WHERE kind = 'address') AS address_burst_to,
    max(CASE WHEN marker = 8 THEN failures_so_far END) FILTER (WHERE kind = 'network') AS network_burst_to,
    max(CASE WHEN marker = 8 THEN failures_so_far END) FILTER (WHERE kind = 'owner') AS owner_burst_to,
    max(CASE WHEN marker = 9 THEN failures_so_far END) FILTER (WHERE kind = 'address') AS address_hour_to
  FROM reach
  WHERE category = 'login'
  GROUP BY event_id
),
/* The narrowest level that sprayed from a place not the user's (knownPlace): none where the
   address is theirs. */
linked AS (
  SELECT
    levels.*,
    CASE
      WHEN coalesce(address_known, false) THEN NULL
      WHEN address_sprayed IS NOT NULL THEN 'address'
      WHEN network_sprayed IS NOT NULL AND NOT coalesce(network_known, false) THEN 'network'
      WHEN owner_sprayed IS NOT NULL AND NOT coalesce(owner_known, false) THEN 'owner'
      WHEN slow_sprayed IS NOT NULL THEN 'slow address'
    END AS level
  FROM levels
),
/* A user's linked sign-ins of an hour from one address are one finding, its first. */
folded AS (
  SELECT
    linked.*,
    row_number() OVER () AS planned_folded,
    row_number() OVER (PARTITION BY user_id, link_key, hour_ms ORDER BY event_time_ms, event_id) AS nth,
    count(*) OVER (PARTITION BY user_id, link_key, hour_ms) - 1 AS more_sign_ins,
    max(event_time) OVER (PARTITION BY user_id, link_key, hour_ms) AS last_sign_in
  FROM linked
  WHERE level IS NOT NULL
)
SELECT
  event_time,
  user_id,
  user_name,
  ip_address,
  level,
  CASE level WHEN 'network' THEN network WHEN 'owner' THEN owner ELSE address END AS grp,
  CASE level
    WHEN 'address' THEN address_burst_to - address_before
    WHEN 'network' THEN network_burst_to - network_before
    WHEN 'owner' THEN owner_burst_to - owner_before
    ELSE address_hour_to - address_before
  END AS failed_attempts,
  CASE level
    WHEN 'address' THEN address_burst_to - address_at
    WHEN 'network' THEN network_burst_to - network_at
    WHEN 'owner' THEN owner_burst_to - owner_at
    ELSE address_hour_to - address_at
  END AS failures_after,
  more_sign_ins,
  CASE WHEN more_sign_ins > 0 THEN last_sign_in END AS last_sign_in,
  event_id
FROM folded
WHERE nth = 1
ORDER BY event_time, user_id, event_id
