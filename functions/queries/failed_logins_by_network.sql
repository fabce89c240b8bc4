-- failed_logins_by_network: networks and network owners that failed to sign in for many users.
-- The wider groups of the alerts' password_spray, over a period: one row per IPv4 /24 or IPv6 /48
-- network, per network owner (ASN) and one of the failures under names of no user from any
-- address, each naming at least 5 distinct users, with the sign-ins from that network or owner.
-- Users and addresses are told as failed_logins_by_ip tells them; only an address it keys (a
-- public one) has a network or an owner. At most limit rows of each kind, most users first, each
-- with the count of its kind's rows.
-- params: instance, from_dt, to_dt, from_ts, to_ts, limit
-- columns: kind, grp, org, users, failed_attempts, addresses, first_failure, last_failure, sign_ins, signed_in_users, kind_rows
/* Named failures for the address key's steps below, copied word for word: sign-ins are read too. */
WITH failures AS (
  SELECT
    /* An id of white space (the ASCII one) or 0 names no user, as in failed_logins_and_lockouts.sql. */
    CASE
      WHEN translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') THEN user_id
    END AS user_id,
    user_name,
    event_time,
    ip_asn,
    ip_org,
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
    AND category IN ('login', 'login_failed')
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
/* Each event's groups (spray-groups.ts, sprayGroupOf): the /24 or /48 of a keyed address (raw_entry
   holds the entry it was keyed by: '' or null when the key is a whole text), its owner, and for a
   failure naming no user the one group of any address. */
grouped_events AS (
  SELECT
    client_keys.*,
    CASE
      WHEN coalesce(raw_entry, '') = '' THEN NULL
      WHEN ip LIKE '%::/64' THEN split_part(ip, ':', 1) || ':' || split_part(ip, ':', 2) || ':' || split_part(ip, ':', 3) || '::/48'
      ELSE split_part(ip, '.', 1) || '.' || split_part(ip, '.', 2) || '.' || split_part(ip, '.', 3) || '.0/24'
    END AS network,
    CASE WHEN coalesce(raw_entry, '') <> '' AND ip_asn IS NOT NULL THEN 'AS' || CAST(ip_asn AS varchar) END AS owner,
    CASE
      WHEN translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') THEN 'id ' || user_id
      WHEN user_name IS NOT NULL THEN 'name ' || user_name
    END AS user_key
  FROM client_keys
),
/* One row per event and group it is in. */
in_groups AS (
  SELECT grouped_events.*, split_part(grp_key, ' ', 1) AS kind, substr(grp_key, strpos(grp_key, ' ') + 1) AS grp
  FROM grouped_events
  CROSS JOIN UNNEST(
    ARRAY[
      'network ' || network,
      'owner ' || owner,
      CASE WHEN category = 'login_failed' AND user_id IS NULL THEN 'no_user any address' END
    ]
  ) AS g (grp_key)
  WHERE grp_key IS NOT NULL
),
groups AS (
  SELECT
    kind,
    grp,
    /* The owner's name as the geo data gave it (the greatest text, should two releases differ). */
    max(CASE WHEN kind = 'owner' THEN ip_org END) AS org,
    count(DISTINCT CASE WHEN category = 'login_failed' THEN user_key END) AS users,
    count(*) FILTER (WHERE category = 'login_failed') AS failed_attempts,
    count(DISTINCT CASE WHEN category = 'login_failed' AND ip <> '' THEN ip END) AS addresses,
    min(CASE WHEN category = 'login_failed' THEN event_time END) AS first_failure,
    max(CASE WHEN category = 'login_failed' THEN event_time END) AS last_failure,
    count(*) FILTER (WHERE category = 'login' AND user_id IS NOT NULL) AS sign_ins,
    count(DISTINCT CASE WHEN category = 'login' THEN user_id END) AS signed_in_users
  FROM in_groups
  GROUP BY kind, grp
  HAVING count(DISTINCT CASE WHEN category = 'login_failed' THEN user_key END) >= 5
),
listed AS (
  SELECT
    groups.*,
    row_number() OVER (PARTITION BY kind ORDER BY users DESC, failed_attempts DESC, grp) AS row_rank,
    count(*) OVER (PARTITION BY kind) AS kind_rows
  FROM groups
)
SELECT kind, grp, org, users, failed_attempts, addresses, first_failure, last_failure, sign_ins, signed_in_users, kind_rows
FROM listed
WHERE row_rank <= CAST(? /* limit */ AS integer)
ORDER BY CASE kind WHEN 'network' THEN 1 WHEN 'owner' THEN 2 ELSE 3 END, row_rank
