-- popular_pages: which pages are viewed most in a period, and by how many people.
-- Views are events with object_type PAGE and action_type VIEWED (any case); viewers are distinct
-- user ids naming someone (not one that without its white space is empty or 0, Domo's none), whose
-- views still count in views.
-- Ranked by views, then page id. page_name is the latest name seen.
-- params: instance, from_dt, to_dt, from_ts, to_ts, limit
-- columns: page_id, page_name, views, viewers, rank
WITH page_views AS (
  SELECT
    object_id,
    object_name,
    CASE WHEN translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') THEN user_id END AS user_id,
    event_id,
    event_time_ms
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    -- In any case: Domo's own spelling is upper case, but a view spelt otherwise is still one.
    AND upper(object_type) = 'PAGE'
    AND upper(action_type) = 'VIEWED'
    AND object_id IS NOT NULL
),
per_page AS (
  SELECT
    object_id AS page_id,
    max_by(
      object_name,
      CASE WHEN object_name IS NOT NULL THEN lpad(CAST(event_time_ms AS varchar), 15, '0') || event_id END
    ) AS page_name,
    count(*) AS views,
    count(DISTINCT user_id) AS viewers
  FROM page_views
  GROUP BY object_id
),
ranked AS (
  SELECT page_id, page_name, views, viewers, row_number() OVER (ORDER BY views DESC, page_id) AS rank
  FROM per_page
)
SELECT page_id, page_name, views, viewers, rank
FROM ranked
WHERE rank <= CAST(? /* limit */ AS integer)
ORDER BY rank
