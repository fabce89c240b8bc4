-- uncounted_sign_ins: entries of a period that look like sign-in events but no login count has.
-- source unrecognised: stored events of category other whose action_type or event_text reads like
-- a sign-in, sign-out, lockout or failed authentication (the category rules did not recognise
-- them). source quarantined: entries quarantined in the period's hours whose fields (or, in a shape
-- without them, whose raw text) read so. One row per source and action type, most entries first, at
-- most 10 per source; source_entries: the source's total. example_text: one event text of the row.
-- quarantined_entries: on the quarantined rows, every entry quarantined in the period, sign-in or not.
-- params: instance, from_dt, to_dt, from_ts, to_ts
-- columns: source, action_type, example_text, entries, source_entries, quarantined_entries
/* The patterns (docs/queries.md, uncounted_sign_ins, gives examples of what they take and leave):
   an action type holding a sign-in word as a whole token (LOGON, USER_LOGIN, SSO_LOGIN,
   AUTHENTICATION_FAILED, SIGN_IN_REJECTED) or a failed password or second factor; an event text
   holding a sign-in phrase (Signed in, Sign-in rejected, Authentication failed, invalid password,
   account locked). Left out: administration of sign-ins (unlocking, resetting, clearing, policies,
   settings, configuration, enabling or disabling, and an action type that changes, updates, adds,
   removes, creates, deletes, customises, exports or edits; each verb a whole word, so a text
   starting with a name such as Chang or Edith is not one) and views, so "Viewed page Login History" is not
   one; an event text loses its object name first when that name holds a sign-in word (an edit of a
   card named "Failed sign-ins"). Written for RE2 (DuckDB) and Joni (Athena) alike: ASCII letters
   lower-cased by translate (lower() maps other letters its own way on each engine), explicit
   whitespace, and no question mark outside the placeholders, so that no editor that counts them
   (Athena's console) asks for one too many. Quarantined entries are the period's by the hour they
   were pulled in, as data_health counts them. */
WITH stored AS (
  SELECT
    'unrecognised' AS source,
    action_type,
    event_text,
    object_name,
    action_type AS action_read,
    event_text AS text_read
  FROM activity_log
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND event_time >= CAST(? /* from_ts */ AS timestamp)
    AND event_time < CAST(? /* to_ts */ AS timestamp)
    AND category = 'other'
),
/* A quarantined entry's fields as Domo named them, flat or in snake case, at any depth; null when
   absent (regexp_extract gives null on Athena, an empty string on DuckDB: nullif makes both null).
   A value runs past escaped characters to its closing quote, an escaped quote read as a quote. */
quarantined_fields AS (
  SELECT
    raw,
    nullif(replace(regexp_extract(raw, '"(actionType|action_type|ActionType|ACTION_TYPE)"[ \t\n\r]*:[ \t\n\r]*"((\\.|[^"\\])*)"', 2), '\"', '"'), '') AS action_type,
    nullif(replace(regexp_extract(raw, '"(eventText|event_text|EventText|EVENT_TEXT)"[ \t\n\r]*:[ \t\n\r]*"((\\.|[^"\\])*)"', 2), '\"', '"'), '') AS event_text,
    nullif(replace(regexp_extract(raw, '"(objectName|object_name|ObjectName|OBJECT_NAME)"[ \t\n\r]*:[ \t\n\r]*"((\\.|[^"\\])*)"', 2), '\"', '"'), '') AS object_name,
    array_join(regexp_extract_all(raw, '"((\\.|[^"\\])*)"[ \t\n\r]*([,}\]]|$)', 1), ' ') AS raw_values,
    count(*) OVER () AS quarantined_entries
  FROM quarantine
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND window_start_ms >= CAST(to_unixtime(with_timezone(CAST(? /* from_ts */ AS timestamp), 'UTC')) * 1000 AS bigint)
    AND window_start_ms < CAST(to_unixtime(with_timezone(CAST(? /* to_ts */ AS timestamp), 'UTC')) * 1000 AS bigint)
),
/* An entry with neither field (a nested or renamed shape, the usual reason it was quarantined) is
   judged by the string values of its raw text (raw_values: each string followed by a comma, a
   closing bracket or the end, which a key never is), against both patterns. Keys are left out, as
   Domo's authenticationMethod would read as a sign-in word; and so is the action type's
   exclusion, which a word anywhere among the values (settings, enabled) would otherwise meet. */
candidates AS (
  SELECT
    source,
    action_type,
    event_text,
    object_name,
    action_read,
    text_read,
    false AS from_raw,
    CAST(NULL AS bigint) AS quarantined_entries
  FROM stored
  UNION ALL
  SELECT
    'quarantined',
    action_type,
    event_text,
    object_name,
    coalesce(action_type, CASE WHEN event_text IS NULL THEN raw_values END),
    coalesce(event_text, CASE WHEN action_type IS NULL THEN raw_values END),
    action_type IS NULL AND event_text IS NULL,
    quarantined_entries
  FROM quarantined_fields
),
lowered AS (
  SELECT
    source,
    action_type,
    event_text,
    from_raw,
    quarantined_entries,
    translate(coalesce(action_read, ''), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS action_lc,
    translate(coalesce(text_read, ''), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS text_lc,
    translate(coalesce(object_name, ''), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS object_lc
  FROM candidates
),
read_as AS (
  SELECT
    source,
    action_type,
    event_text,
    from_raw,
    quarantined_entries,
    action_lc,
    CASE
      WHEN length(object_lc) >= 3
        AND object_lc <> text_lc
        AND regexp_like(object_lc, '(^|[^a-z])(log|sign)[ _-]{0,1}(in|on|out)|(^|[^a-z])(authenticat|lockout|locked out)')
        THEN replace(text_lc, object_lc, ' ')
      ELSE text_lc
    END AS text_lc
  FROM lowered
),
judged AS (
  SELECT source, action_type, event_text, quarantined_entries
  FROM read_as
  WHERE (
      regexp_like(action_lc, '(^|[^a-z])(log(ged){0,1}_{0,1}(in|on|out|off)|sign(ed){0,1}_{0,1}(in|on|out)|lock(ed){0,1}_{0,1}out|authenticat[a-z]*)s{0,1}([^a-z]|$)|(^|[^a-z])(log_{0,1}in|log_{0,1}on|sign_{0,1}in|sign_{0,1}on|auth)_{0,1}(fail|error|denied|reject|attempt|success)|^locked$|(^|[^a-z])(account|user)_{0,1}locked([^a-z]|$)|(^|[^a-z])(invalid|incorrect|wrong|bad|failed)_{0,1}(password|credential)|(^|[^a-z])(password|credential)s{0,1}_{0,1}(fail|invalid|incorrect|wrong|mismatch)|(^|[^a-z0-9])(mfa|2fa|two_{0,1}factor|otp)(_[a-z]+)*_(fail|denied|reject|invalid)')
      OR regexp_like(text_lc, '(^|[^a-z])(logged[ -]{0,1}(in|on|out|off)|signed[ -]{0,1}(in|on|out))([^a-z]|$)|^[ \t\n\r]*(log[ -]{0,1}(in|on|out|off)|sign[ -]{0,1}(in|on|out))([^a-z]|$)|(^|[^a-z])(failed|failure|unsuccessful|invalid|denied|rejected|refused|blocked|incorrect|wrong|bad) (log[ -]{0,1}(in|on)|sign[ -]{0,1}(in|on)|password|credentials|authentication|verification code)|(^|[^a-z])(log[ -]{0,1}(in|on)|sign[ -]{0,1}(in|on)|authentication|mfa|2fa|two-factor authentication)( attempt){0,1}:{0,1} (failed|failure|error|denied|refused|rejected|unsuccessful|blocked)|(^|[^a-z])(could not|unable to|failed to) (log[ -]{0,1}(in|on)|sign[ -]{0,1}(in|on)|authenticate)|(^|[^a-z])(locked out|lockout|account (was |has been |is ){0,1}locked)|(^|[^a-z])authenticated([^a-z]|$)')
    )
    AND (from_raw OR NOT regexp_like(action_lc, '(^|[^a-z])(un_{0,1}lock(ed|s){0,1}|resets{0,1}|clear(ed|s){0,1}|polic(y|ies)|settings{0,1}|config[a-z]*|enabled{0,1}|disabled{0,1}|view(s|ed|ing){0,1}|chang(e|ed|es)|updat(e|ed|es)|add(ed|s){0,1}|remov(e|ed|es)|creat(e|ed|es)|delet(e|ed|es)|customi[sz](e|ed|es)|export(ed|s){0,1}|edit(ed|s){0,1})([^a-z]|$)'))
    AND NOT regexp_like(text_lc, '^[ \t\n\r]*(un-{0,1}lock(ed|s|ing){0,1}|reset(s|ting){0,1}|clear(ed|s|ing){0,1}|updat(e|ed|es|ing)|chang(e|ed|es|ing)|edit(ed|s|ing){0,1}|modif(y|ied|ies|ying)|configur(e|ed|es|ing)|enabl(e|ed|es|ing)|disabl(e|ed|es|ing)|view(ed|s|ing){0,1})([^a-z]|$)|(lockout|password|log[ -]{0,1}in|sign[ -]{0,1}in|authentication|sso) (polic|setting|config)')
),
grouped AS (
  SELECT
    source,
    action_type,
    min(event_text) AS example_text,
    count(*) AS entries,
    max(quarantined_entries) AS quarantined_entries
  FROM judged
  GROUP BY source, action_type
),
ranked AS (
  SELECT
    grouped.*,
    sum(entries) OVER (PARTITION BY source) AS source_entries,
    row_number() OVER (PARTITION BY source ORDER BY entries DESC, action_type NULLS LAST) AS place
  FROM grouped
)
SELECT source, action_type, example_text, entries, source_entries, quarantined_entries
FROM ranked
WHERE place <= 10
ORDER BY source DESC, place
