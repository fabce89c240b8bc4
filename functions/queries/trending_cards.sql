-- trending_cards: which cards are trending: card views in a period against the period before it.
-- Views are events with object_type CARD and action_type VIEWED (any case). The previous period is
-- [prev_from_ts, from_ts), as long as the period itself. One row per card viewed in the period;
-- change_pct is null when the card had no views before. card_name is the latest name seen.
-- params: instance, from_dt, to_dt, from_ts, to_ts, prev_from_dt, prev_from_ts, limit
-- columns: card_id, card_name, views, previous_views, change, change_pct, rank
WITH card_views AS (
  SELECT object_id, object_name, event_id, event_time, event_time_ms
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* prev_from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* prev_from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    -- In any case: Domo's own spelling is upper case, but a view spelt otherwise is still one.
    AND upper(object_type) = 'CARD'
    AND upper(action_type) = 'VIEWED'
    AND object_id IS NOT NULL
),
per_card AS (
  SELECT
    object_id AS card_id,
    max_by(
      object_name,
      CASE WHEN object_name IS NOT NULL THEN lpad(CAST(event_time_ms AS varchar), 15, '0') || event_id END
    ) AS card_name,
    count(*) FILTER (WHERE event_time >= CAST(? /* from_ts */ AS timestamp)) AS views,
    count(*) FILTER (WHERE event_time < CAST(? /* from_ts */ AS timestamp)) AS previous_views
  FROM card_views
  GROUP BY object_id
),
ranked AS (
  SELECT
    card_id,
    card_name,
    views,
    previous_views,
    views - previous_views AS change,
    CASE
      WHEN previous_views = 0 THEN NULL
      ELSE 100 * CAST(views - previous_views AS double) / previous_views
    END AS change_pct,
    row_number() OVER (ORDER BY views DESC, card_id) AS rank
  FROM per_card
  WHERE views > 0
)
SELECT card_id, card_name, views, previous_views, change, change_pct, rank
FROM ranked
WHERE rank <= CAST(? /* limit */ AS integer)
ORDER BY rank
