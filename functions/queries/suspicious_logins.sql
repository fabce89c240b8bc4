-- suspicious_logins: sign-ins from unexpected places or at unusual times.
-- new_network: the first sign-in in the period from an IP network (IPv4 /24, IPv6 /48) the user
-- did not sign in from in the history window [history_from_ts, from_ts), for users with a known
-- network there. unusual_hour: a sign-in when at most 5% of the user's history sign-ins fell within
-- 2 hours of its local hour (circular), for users with at least min_history_logins of them; the
-- 2 hours absorb day-to-day drift. Sign-ins are category login. Each row carries its evidence.
-- params: instance, from_dt, to_dt, from_ts, to_ts, history_from_dt, history_from_ts, time_zone, min_history_logins
-- columns: event_time, user_id, user_name, reason, ip_address, network, local_hour, evidence
WITH login_events AS (
  SELECT
    event_id,
    event_time,
    user_id,
    user_name,
    ip_address,
    lower(trim(ip_address)) AS ip,
    event_time >= CAST(? /* from_ts */ AS timestamp) AS in_period,
    at_timezone(with_timezone(event_time, 'UTC'), CAST(? /* time_zone */ AS varchar)) AS local_time
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* history_from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* history_from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    AND category = 'login'
    AND user_id IS NOT NULL
),
-- An IPv6 address is split at its "::" (if any) to know how many zero groups it stands for.
ip_halves AS (
  SELECT
    login_events.*,
    CASE WHEN strpos(ip, '::') > 0 THEN substr(ip, 1, strpos(ip, '::') - 1) ELSE ip END AS head,
    CASE WHEN strpos(ip, '::') > 0 THEN substr(ip, strpos(ip, '::') + 2) ELSE '' END AS tail
  FROM login_events
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
networks AS (
  SELECT
    event_id,
    event_time,
    user_id,
    user_name,
    ip_address,
    in_period,
    local_time,
    CASE
      WHEN regexp_like(ip, '^(::ffff:)?[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$')
        THEN regexp_extract(ip, '([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})\.[0-9]{1,3}$', 1) || '.0/24'
      WHEN regexp_like(ip, '^[0-9a-f:.]+$')
        AND strpos(ip, ':') > 0
        AND CASE
          WHEN strpos(ip, '::') = 0 THEN head_groups = 8
          ELSE strpos(tail, '::') = 0 AND head_groups + tail_groups <= 7
        END
        AND regexp_like(hextet1, '^[0-9a-f]{1,4}$')
        AND regexp_like(hextet2, '^[0-9a-f]{1,4}$')
        AND regexp_like(hextet3, '^[0-9a-f]{1,4}$')
        THEN regexp_extract(hextet1, '^0*([0-9a-f]+)$', 1) || ':'
          || regexp_extract(hextet2, '^0*([0-9a-f]+)$', 1) || ':'
          || regexp_extract(hextet3, '^0*([0-9a-f]+)$', 1) || '::/48'
    END AS network
  FROM ip_hextets
),
history AS (
  SELECT * FROM networks WHERE NOT in_period
),
period_logins AS (
  SELECT * FROM networks WHERE in_period
),
history_users AS (
  SELECT user_id, count(*) AS history_logins, count(DISTINCT network) AS known_networks
  FROM history
  GROUP BY user_id
),
history_networks AS (
  SELECT DISTINCT user_id, network FROM history WHERE network IS NOT NULL
),
history_hours AS (
  SELECT user_id, hour(local_time) AS local_hour, count(*) AS logins_at_hour
  FROM history
  GROUP BY user_id, hour(local_time)
),
history_days AS (
  SELECT
    CAST(
      floor(
        (to_unixtime(with_timezone(CAST(? /* from_ts */ AS timestamp), 'UTC'))
          - to_unixtime(with_timezone(CAST(? /* history_from_ts */ AS timestamp), 'UTC'))) / 86400
      ) AS bigint
    ) AS days
),
-- History sign-ins within 2 hours of each period sign-in's local hour (circular distance on the clock).
near_hours AS (
  SELECT p.event_id, coalesce(sum(h.logins_at_hour), 0) AS logins_near
  FROM period_logins p
  LEFT JOIN history_hours h
    ON h.user_id = p.user_id
    AND least(abs(h.local_hour - hour(p.local_time)), 24 - abs(h.local_hour - hour(p.local_time))) <= 2
  GROUP BY p.event_id
),
new_networks AS (
  SELECT
    p.*,
    u.known_networks,
    row_number() OVER (PARTITION BY p.user_id, p.network ORDER BY p.event_time, p.event_id) AS nth
  FROM period_logins p
  JOIN history_users u ON u.user_id = p.user_id
  LEFT JOIN history_networks n ON n.user_id = p.user_id AND n.network = p.network
  WHERE p.network IS NOT NULL AND u.known_networks >= 1 AND n.network IS NULL
)
SELECT
  x.event_time,
  x.user_id,
  x.user_name,
  'new_network' AS reason,
  x.ip_address,
  x.network,
  hour(x.local_time) AS local_hour,
  'network ' || x.network || ' not used in the previous ' || CAST(d.days AS varchar) || ' days ('
    || CAST(x.known_networks AS varchar)
    || CASE WHEN x.known_networks = 1 THEN ' network known)' ELSE ' networks known)' END AS evidence
FROM new_networks x
CROSS JOIN history_days d
WHERE x.nth = 1
UNION ALL
SELECT
  p.event_time,
  p.user_id,
  p.user_name,
  'unusual_hour' AS reason,
  p.ip_address,
  p.network,
  hour(p.local_time) AS local_hour,
  'login at ' || lpad(CAST(hour(p.local_time) AS varchar), 2, '0') || ':'
    || lpad(CAST(minute(p.local_time) AS varchar), 2, '0') || ' ' || CAST(? /* time_zone */ AS varchar) || '; '
    || CAST(n.logins_near AS varchar) || ' of ' || CAST(u.history_logins AS varchar)
    || ' logins in the previous ' || CAST(d.days AS varchar) || ' days were within 2 hours of this time of day'
    AS evidence
FROM period_logins p
JOIN history_users u ON u.user_id = p.user_id
JOIN near_hours n ON n.event_id = p.event_id
CROSS JOIN history_days d
WHERE u.history_logins >= CAST(? /* min_history_logins */ AS integer)
  AND n.logins_near * 20 <= u.history_logins
ORDER BY event_time, user_id, reason
