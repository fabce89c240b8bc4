-- activity_after_deactivation: every event in the name of a user deactivated earlier in a period.
-- Deleted counts as deactivated, a reactivation clears it. A deactivation: category other, object
-- type USER or USER_STATE, object id the user's, action type or event text saying so (Deleted
-- user 42 of 42); Undeleted user brings them back, Cancelled user deletion changes nothing (the
-- forms, unconfirmed: docs/alerts.md). Counted for the user, and the actor acting as another; not
-- failures, lockouts, the state changes. At most max_rows rows; total_rows: all.
-- params: instance, from_dt, to_dt, from_ts, to_ts, max_rows
-- columns: event_time, deactivated_user_id, deactivated_at, deactivated_by, acted_as, user_id, user_name, actor_id, actor_name, category, action_type, event_text, object_type, object_id, object_name, ip_address, country, authentication_method, event_id, deactivation_event_id, total_rows
WITH period AS (
  SELECT
    event_id,
    event_time,
    event_time_ms,
    user_id,
    user_name,
    actor_id,
    actor_name,
    category,
    action_type,
    event_text,
    object_type,
    object_id,
    object_name,
    ip_address,
    ip_country,
    /* Not a column of the table: Domo sends it on some entries only (PASSWORD, SSO, DEV_TOKEN). */
    json_extract_scalar(raw, '$.authenticationMethod') AS authentication_method,
    /* An event on a user's state, whose forms are read (deactivation-forms.ts, userStateChange). */
    category = 'other' AND upper(object_type) IN ('USER', 'USER_STATE')
      AND translate(object_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') AS of_user
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
),
/* What a state change's forms read (deactivation-forms.ts, wordsOf), of an event on a user's
   state only: lower case, white space as a space, parts in quotes or brackets out (a name,
   whatever it says), a space after; less the object's id and name (its id when none or a form's
   word) after a space and before a space or punctuation (not out of a longer word; with the space
   before a parenthesis, which then ends the form), and no hyphen: see worded. */
spelled AS (
  SELECT
    period.*,
    CASE WHEN of_user THEN lower(coalesce(action_type, '')) || array_join(filter(regexp_extract_all(lower(translate(' ' || coalesce(event_text, ''),
        chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(133) || chr(160) || chr(5760) ||
        chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) ||
        chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288), '                        ')),
      ' *("[^"]*"|“[^”]*”|‘[^’]*’|\[[^\]]*\])| +\x27[^\x27]*\x27|[^ "“‘\[]+|["“‘\[ ]'),
      piece -> NOT regexp_like(piece, '^( *("[^"]*"|“[^”]*”|‘[^’]*’|\[[^\]]*\])| +\x27[^\x27]*\x27)$')), '') || ' ' END
      AS state_text,
    CASE WHEN of_user THEN array_join(filter(regexp_extract_all(lower(translate(coalesce(object_name, ''),
        chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(133) || chr(160) || chr(5760) ||
        chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) ||
        chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288), '                        ')),
      ' *("[^"]*"|“[^”]*”|‘[^’]*’|\[[^\]]*\])| +\x27[^\x27]*\x27|[^ "“‘\[]+|["“‘\[ ]'),
      piece -> NOT regexp_like(piece, '^( *("[^"]*"|“[^”]*”|‘[^’]*’|\[[^\]]*\])| +\x27[^\x27]*\x27)$')), '') END AS name_words
  FROM period
),
named AS (
  SELECT
    spelled.*,
    ' ' || lower(object_id) AS state_id,
    ' ' || coalesce(CASE WHEN name_words <> '' AND NOT regexp_like(name_words,
      '^(user|person|(re|de|un){0,1}(activat|enabl|restor|delet|disabl)(e|ed|ion|ing){0,1})$')
      THEN name_words END, lower(object_id)) AS state_name
  FROM spelled
),
worded AS (
  SELECT
    named.*,
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(state_text,
      state_id || ' (', '('), state_id || ' ', ' '), state_id || '.', '.'), state_id || ',', ','),
      state_id || ':', ':'), state_id || ';', ';'), state_name || ' (', '('), state_name || ' ', ' '),
      state_name || '.', '.'), state_name || ',', ','), state_name || ':', ':'), state_name || ';', ';'),
      '-', '') AS state_words
  FROM named
),
/* Where the first reactivation and deactivation forms start (strpos; 0: none): the first decides,
   its verb acting on the user and a later one the user's adjective (Deleted enabled user). */
formed AS (
  SELECT
    worded.*,
    CASE WHEN of_user THEN coalesce(regexp_extract(state_words, '^((user|state|person)_)*(re_{0,1}activat|activat|re_{0,1}enabl|enabl|restor|un_{0,1}delet)[a-z]*(_(user|state|person))* +($|((a|an|the) +){0,1}(user( +state){0,1}|person)( *$|[^a-z \x27’]| +by([^a-z]|$)))|[^a-z_](re_{0,1}activat|activat|re_{0,1}enabl|enabl|restor|un_{0,1}delet)[a-z]* +((a|an|the) +){0,1}(((in){0,1}active|(de|re){0,1}activated|(un){0,1}deleted|(re){0,1}enabled|disabled|restored) +){0,1}(user( +state){0,1}|person)( *$|[^a-z \x27’]| +by([^a-z]|$))|[^a-z_](user( +state){0,1}|person) +(re_{0,1}activat|activat|re_{0,1}enabl|enabl|restor|un_{0,1}delet)[a-z]*( *$|[^a-z \x27’]| +by([^a-z]|$))'), '') END AS on_form,
    CASE WHEN of_user THEN coalesce(regexp_extract(state_words, '^((user|state|person)_)*(de_{0,1}activat|delet|disabl)[a-z]*(_(user|state|person))* +($|((a|an|the) +){0,1}(user( +state){0,1}|person)( *$|[^a-z \x27’]| +by([^a-z]|$)))|[^a-z_](de_{0,1}activat|delet|disabl)[a-z]* +((a|an|the) +){0,1}(((in){0,1}active|(de|re){0,1}activated|(un){0,1}deleted|(re){0,1}enabled|disabled|restored) +){0,1}(user( +state){0,1}|person)( *$|[^a-z \x27’]| +by([^a-z]|$))|[^a-z_](user( +state){0,1}|person) +(de_{0,1}activat|delet|disabl)[a-z]*( *$|[^a-z \x27’]| +by([^a-z]|$))'), '') END AS off_form
  FROM worded
),
/* A user's state change: none when a word says it was not made (Cancelled user deletion), but
   for the action type's own verb, read first; else the first form, a reactivation on a tie, and
   a deactivation's not-done word only in the form's own clause, read up to the form's start
   (Transfer failed; deleted user and Deleted user, not reversible are deactivations). */
changed AS (
  SELECT
    formed.*,
    CASE
      WHEN of_user THEN CASE
        WHEN regexp_like(lower(action_type), '^[^.;]*(^|[^a-z.;])(cancel(l){0,1}(ed|ing|ation|s){0,1}|undo(ne|ing|es){0,1}|undid|revert(ed|ing|s){0,1}|revers(e|ed|es|al|ing)|roll(ed|ing|s){0,1}[ _]*back|schedul(e|ed|es|ing)|request(ed|ing|s){0,1}|pending|fail(ed|ure|ing|s){0,1}|den(y|ied|ies|ial)|attempt(ed|ing|s){0,1}|abort(ed|ing|s){0,1}|reject(ed|ion|ing|s){0,1}|unable|not)([^a-z]|$)') THEN NULL
        WHEN regexp_like(state_words, '^([a-z]+_)*(re_{0,1}activat)[a-z_]*( |$)') THEN 'on'
        WHEN regexp_like(state_words, '^([a-z]+_)*(de_{0,1}activat)[a-z_]*( |$)') THEN 'off'
        WHEN on_form <> '' AND (off_form = '' OR strpos(state_words, on_form) <= strpos(state_words, off_form))
          THEN CASE WHEN NOT regexp_like(state_words, '^[^.;]*(^|[^a-z.;])(cancel(l){0,1}(ed|ing|ation|s){0,1}|undo(ne|ing|es){0,1}|undid|revert(ed|ing|s){0,1}|revers(e|ed|es|al|ing)|roll(ed|ing|s){0,1}[ _]*back|schedul(e|ed|es|ing)|request(ed|ing|s){0,1}|pending|fail(ed|ure|ing|s){0,1}|den(y|ied|ies|ial)|attempt(ed|ing|s){0,1}|abort(ed|ing|s){0,1}|reject(ed|ion|ing|s){0,1}|unable|not)([^a-z]|$)') THEN 'on' END
        WHEN off_form <> '' AND NOT regexp_like(substr(state_words, 1, strpos(state_words, off_form)),
          '(^|[^a-z])(cancel(l){0,1}(ed|ing|ation|s){0,1}|undo(ne|ing|es){0,1}|undid|revert(ed|ing|s){0,1}|revers(e|ed|es|al|ing)|roll(ed|ing|s){0,1}[ _]*back|schedul(e|ed|es|ing)|request(ed|ing|s){0,1}|pending|fail(ed|ure|ing|s){0,1}|den(y|ied|ies|ial)|attempt(ed|ing|s){0,1}|abort(ed|ing|s){0,1}|reject(ed|ion|ing|s){0,1}|unable|not)([^a-z.;,][^.;,]*){0,1}$') THEN 'off'
      END
    END AS state
  FROM formed
),
/* Each event once for each user it concerns: a state change for the user it changes; any other
   event but failures and lockouts as an act of its user, and of its actor acting as another (an
   id of white space or 0 names nobody). One read of the table: Athena runs a WITH query again at
   each mention. */
concerns AS (
  SELECT
    changed.*,
    r.role,
    CASE r.role WHEN 'change' THEN object_id WHEN 'user' THEN user_id ELSE actor_id END AS subject,
    CASE WHEN r.role = 'change' THEN event_time_ms * 2 + CASE state WHEN 'on' THEN 1 ELSE 0 END END
      AS change_key
  FROM changed
  CROSS JOIN UNNEST(ARRAY['change', 'user', 'actor']) AS r (role)
  WHERE CASE r.role
    WHEN 'change' THEN state IS NOT NULL
    WHEN 'user' THEN state IS NULL AND category NOT IN ('login_failed', 'lockout')
      AND translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0')
    ELSE state IS NULL AND category NOT IN ('login_failed', 'lockout')
      AND translate(actor_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0')
      AND (user_id IS NULL OR actor_id <> user_id)
  END
),
/* The latest state change of the user acted as, before each act (an earlier millisecond; a
   reactivation at the same millisecond as a deactivation is taken as after it). */
placed AS (
  SELECT
    concerns.*,
    max_by(state, change_key)
      OVER (PARTITION BY subject ORDER BY event_time_ms RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS last_state,
    max_by(event_time, change_key)
      OVER (PARTITION BY subject ORDER BY event_time_ms RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS state_time,
    max_by(user_name, change_key)
      OVER (PARTITION BY subject ORDER BY event_time_ms RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS state_by,
    max_by(event_id, change_key)
      OVER (PARTITION BY subject ORDER BY event_time_ms RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS state_event_id
  FROM concerns
),
listed AS (
  SELECT
    placed.*,
    row_number() OVER (ORDER BY event_time_ms, event_id, role DESC) AS row_rank,
    count(*) OVER () AS total_rows
  FROM placed
  WHERE role <> 'change' AND last_state = 'off'
)
SELECT
  event_time,
  subject AS deactivated_user_id,
  state_time AS deactivated_at,
  state_by AS deactivated_by,
  role AS acted_as,
  user_id,
  user_name,
  actor_id,
  actor_name,
  category,
  action_type,
  event_text,
  object_type,
  object_id,
  object_name,
  ip_address,
  ip_country AS country,
  authentication_method,
  event_id,
  state_event_id AS deactivation_event_id,
  total_rows
FROM listed
/* max_rows: 1000 unless given; the CLI tells when total_rows is more. */
WHERE row_rank <= CAST(? /* max_rows */ AS bigint)
ORDER BY row_rank
