-- uncounted_sign_ins: entries of a period that look like sign-in events but no login count has.
-- source unrecognised: stored events of category other whose action_type or event_text reads like
-- a sign-in, sign-out, lockout or failed authentication (the category rules did not recognise
-- them). source quarantined: entries quarantined in the period's hours whose fields (or, in a shape
-- without them, whose raw text) read so. One row per source and action type, most entries first, at
-- most 10 per source; source_entries: the source's total. example_text: one event text of the row
-- (of a nested quarantined entry, the value that read so).
-- quarantined_entries: on the quarantined rows, every entry quarantined in the period, sign-in or not.
-- params: instance, from_dt, to_dt, from_ts, to_ts
-- columns: source, action_type, example_text, entries, source_entries, quarantined_entries
/* The patterns (docs/queries.md, uncounted_sign_ins, gives examples of what they take and leave):
   an action type holding a sign-in word as a whole token (LOGON, USER_LOGIN, SSO_LOGIN,
   AUTHENTICATION_FAILED, SIGN_IN_REJECTED, SESSION_STARTED), or being one in camel case
   (UserLoggedIn, userLogin), or a failed password or second factor; an event text holding a
   sign-in phrase (Signed in, Logged into Domo, Signing in, Sign-in rejected, Authentication failed,
   invalid password, account locked, Too many failed attempts: a past or -ing form of log or sign
   followed by in, on, out, into or onto as a whole word, not the logging on or off of a feature).
   Left out: administration of sign-ins, by the action type (one starting with unlock, reset or
   clear; or holding a token policy, settings, configuration,
   enabled, disabled, view or a verb that changes, updates, adds, removes, creates, deletes,
   customises, exports or edits, unless it also says fail, denied, reject, blocked or trigger:
   SIGN_IN_BLOCKED_BY_POLICY is a sign-in refused, LOGIN_SETTINGS_UPDATED is administration) or by
   the text (starting with such a verb as a whole word, so that a name such as Chang or Edith is
   not one; naming a sign-in policy or setting; or a thing named after sign-in, as the built-in
   login rule leaves out: Login page customized, Login history exported, unless a failure is told),
   and views, so "Viewed page Login History" is not one. An event text loses its object name first
   when that name alone reads like a sign-in event (an edit of a card named "Failed sign-ins"; not
   "Authentication failed" about the object Authentication). Written for RE2 (DuckDB) and Joni
   (Athena) alike: ASCII letters lower-cased by translate (lower() maps other letters its own way
   on each engine), explicit whitespace, and no question mark outside the placeholders, so that
   no editor that counts them (Athena's console) asks for one too many. Quarantined entries are the
   period's by the hour they were pulled in, as data_health counts them. */
WITH stored AS (
  SELECT
    'unrecognised' AS source,
    CAST(NULL AS varchar) AS entry_key,
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
    quarantine_id,
    nullif(replace(regexp_extract(raw, '"(actionType|action_type|ActionType|ACTION_TYPE)"[ \t\n\r]*:[ \t\n\r]*"((\\.|[^"\\])*)"', 2), '\"', '"'), '') AS action_type,
    nullif(replace(regexp_extract(raw, '"(eventText|event_text|EventText|EVENT_TEXT)"[ \t\n\r]*:[ \t\n\r]*"((\\.|[^"\\])*)"', 2), '\"', '"'), '') AS event_text,
    nullif(replace(regexp_extract(raw, '"(objectName|object_name|ObjectName|OBJECT_NAME)"[ \t\n\r]*:[ \t\n\r]*"((\\.|[^"\\])*)"', 2), '\"', '"'), '') AS object_name,
    regexp_extract_all(raw, '"((\\.|[^"\\])*)"[ \t\n\r]*([,}\]]|$)', 1) AS raw_values,
    count(*) OVER () AS quarantined_entries
  FROM quarantine
  WHERE instance = ? /* instance */
    AND dt BETWEEN ? /* from_dt */ AND ? /* to_dt */
    AND window_start_ms >= CAST(to_unixtime(with_timezone(CAST(? /* from_ts */ AS timestamp), 'UTC')) * 1000 AS bigint)
    AND window_start_ms < CAST(to_unixtime(with_timezone(CAST(? /* to_ts */ AS timestamp), 'UTC')) * 1000 AS bigint)
),
/* An entry with neither field (a nested or renamed shape, the usual reason it was quarantined) is
   judged by the string values of its raw text (raw_values: each string followed by a comma, a
   closing bracket or the end, which a key never is), each value on its own, so that the order of
   the keys makes no difference: counted when one value reads like a sign-in event and that value
   is no administration. Keys are left out, as Domo's authenticationMethod would read as a sign-in
   word. A value is read as an action type only when it has no white space. Such an entry's
   example text is the value that was read so (the report shortens it). */
candidates AS (
  SELECT
    source,
    entry_key,
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
    quarantine_id,
    action_type,
    coalesce(event_text, CASE WHEN action_type IS NULL THEN substr(v.raw_value, 1, 200) END),
    object_name,
    CASE
      WHEN action_type IS NOT NULL OR event_text IS NOT NULL THEN action_type
      WHEN NOT regexp_like(v.raw_value, '[ \t\n\r]') THEN v.raw_value
    END,
    coalesce(event_text, CASE WHEN action_type IS NULL THEN v.raw_value END),
    action_type IS NULL AND event_text IS NULL,
    quarantined_entries
  FROM quarantined_fields
  CROSS JOIN UNNEST(CASE WHEN action_type IS NULL AND event_text IS NULL THEN raw_values ELSE ARRAY[''] END) AS v (raw_value)
),
lowered AS (
  SELECT
    source,
    entry_key,
    action_type,
    event_text,
    from_raw,
    quarantined_entries,
    translate(coalesce(action_read, ''), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS action_lc,
    translate(coalesce(text_read, ''), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS text_lc,
    translate(coalesce(object_name, ''), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS object_lc
  FROM candidates
),
/* The object name's pattern is the event text's (test/queries/uncounted-sign-ins.test.ts checks
   the two are the same). */
read_as AS (
  SELECT
    source,
    entry_key,
    action_type,
    event_text,
    from_raw,
    quarantined_entries,
    action_lc,
    CASE
      WHEN length(object_lc) >= 3
        AND object_lc <> text_lc
        AND regexp_like(object_lc, '(^|[^a-z])(logged[ -]{0,1}(in|on|out|off|into|onto)|logging[ -]{0,1}(in|out|into|onto)|(signed|signing)[ -]{0,1}(in|on|out|into|onto))([^a-z]|$)|^[ \t\n\r]*((user|sso|saml) ){0,1}(log[ -]{0,1}(in|on|out|off|into|onto)|sign[ -]{0,1}(in|on|out|into|onto))([^a-z]|$)|(^|[^a-z])(failed|failure|unsuccessful|invalid|denied|rejected|refused|blocked|incorrect|wrong|bad) (log[ -]{0,1}(in|on)|sign[ -]{0,1}(in|on)|password|credentials|authentication|verification code)|(^|[^a-z])(log[ -]{0,1}(in|on)|sign[ -]{0,1}(in|on)|authentication|mfa|2fa|(2|two)[ -](step|factor)( verification| authentication){0,1})( attempt){0,1}:{0,1} (failed|failure|error|denied|refused|rejected|unsuccessful|blocked|succeeded|successful)|(^|[^a-z])(could not|unable to|failed to) (log[ -]{0,1}(in|on)|sign[ -]{0,1}(in|on)|authenticate)|(^|[^a-z])(locked out|lockout|account (was |has been |is ){0,1}locked|locked (out ){0,1}after [0-9])|(^|[^a-z])authenticated([^a-z]|$)|(^|[^a-z])(invalid|incorrect|wrong|bad) (username|user name|user id|email)( address){0,1} (or|and) password|(^|[^a-z])(password|credentials) (is |was |were ){0,1}(incorrect|invalid|wrong|rejected)|(^|[^a-z])too many (failed|invalid|unsuccessful|incorrect|wrong|bad) ')
        THEN replace(text_lc, object_lc, ' ')
      ELSE text_lc
    END AS text_lc
  FROM lowered
),
/* The nouns and past participles of the last exclusion are the built-in login rule's
   (functions/core/domo/category-rules.ts; a test checks they are the same lists). The two before
   it leave out an admin's work on sign-in failures or lockouts, as the built-in rules call it
   other: an action type with a sign-in, lockout, failure or error word that ends in what an admin
   did (LOGIN_ERRORS_EXPORTED, not a refusal and its reason: LOGIN_FAILED_PASSWORD_CHANGED) or
   names a report, alert, page and so on then a past participle (LOGIN_FAILURE_ALERTS_DISABLED);
   a text Login failure notifications enabled, Failed login alerts enabled (the same lists). */
judged AS (
  SELECT source, entry_key, action_type, event_text, from_raw, quarantined_entries
  FROM read_as
  WHERE (
      regexp_like(action_lc, '(^|[^a-z])(log(ged){0,1}_{0,1}(in|on|out|off)|sign(ed){0,1}_{0,1}(in|on|out)|lock(ed){0,1}_{0,1}out|authenticat[a-z]*)s{0,1}([^a-z]|$)|(^|[^a-z])(log_{0,1}in|log_{0,1}on|sign_{0,1}in|sign_{0,1}on|auth)_{0,1}(fail|error|denied|reject|attempt|success)|^locked$|(^|[^a-z])(account|user)_{0,1}locked([^a-z]|$)|(^|[^a-z])(invalid|incorrect|wrong|bad|failed)_{0,1}(password|credential)|(^|[^a-z])(password|credential)s{0,1}_{0,1}(fail|invalid|incorrect|wrong|mismatch)|(^|[^a-z0-9])(mfa|2fa|2sv|two_{0,1}(factor|step)|otp)(_[a-z]+)*_(fail|denied|reject|invalid)|(^|[^a-z])session_{0,1}(start|started|starts|begin|began)([^a-z]|$)|^(user|account|sso|saml|member){0,1}(log(ged){0,1}(in|on|out|off)|sign(ed){0,1}(in|on|out)|authenticated|lock(ed){0,1}out)(fail(ed|ure){0,1}|denied|rejected){0,1}$')
      OR regexp_like(text_lc, '(^|[^a-z])(logged[ -]{0,1}(in|on|out|off|into|onto)|logging[ -]{0,1}(in|out|into|onto)|(signed|signing)[ -]{0,1}(in|on|out|into|onto))([^a-z]|$)|^[ \t\n\r]*((user|sso|saml) ){0,1}(log[ -]{0,1}(in|on|out|off|into|onto)|sign[ -]{0,1}(in|on|out|into|onto))([^a-z]|$)|(^|[^a-z])(failed|failure|unsuccessful|invalid|denied|rejected|refused|blocked|incorrect|wrong|bad) (log[ -]{0,1}(in|on)|sign[ -]{0,1}(in|on)|password|credentials|authentication|verification code)|(^|[^a-z])(log[ -]{0,1}(in|on)|sign[ -]{0,1}(in|on)|authentication|mfa|2fa|(2|two)[ -](step|factor)( verification| authentication){0,1})( attempt){0,1}:{0,1} (failed|failure|error|denied|refused|rejected|unsuccessful|blocked|succeeded|successful)|(^|[^a-z])(could not|unable to|failed to) (log[ -]{0,1}(in|on)|sign[ -]{0,1}(in|on)|authenticate)|(^|[^a-z])(locked out|lockout|account (was |has been |is ){0,1}locked|locked (out ){0,1}after [0-9])|(^|[^a-z])authenticated([^a-z]|$)|(^|[^a-z])(invalid|incorrect|wrong|bad) (username|user name|user id|email)( address){0,1} (or|and) password|(^|[^a-z])(password|credentials) (is |was |were ){0,1}(incorrect|invalid|wrong|rejected)|(^|[^a-z])too many (failed|invalid|unsuccessful|incorrect|wrong|bad) ')
    )
    AND NOT regexp_like(action_lc, '^(un_{0,1}lock(ed|s){0,1}|resets{0,1}|clear(ed|s){0,1})([^a-z]|$)')
    AND NOT (
      regexp_like(action_lc, '(^|[^a-z])(un_{0,1}lock(ed|s){0,1}|resets{0,1}|clear(ed|s){0,1}|polic(y|ies)|settings{0,1}|config[a-z]*|enabled{0,1}|disabled{0,1}|view(s|ed|ing){0,1}|chang(e|ed|es)|updat(e|ed|es)|add(ed|s){0,1}|remov(e|ed|es)|creat(e|ed|es)|delet(e|ed|es)|customi[sz](e|ed|es)|export(ed|s){0,1}|edit(ed|s){0,1})([^a-z]|$)')
      AND NOT regexp_like(action_lc, 'fail|denied|reject|blocked|trigger')
    )
    AND NOT regexp_like(text_lc, '^[ \t\n\r]*(un-{0,1}lock(ed|s|ing){0,1}|reset(s|ting){0,1}|clear(ed|s|ing){0,1}|updat(e|ed|es|ing)|chang(e|ed|es|ing)|edit(ed|s|ing){0,1}|modif(y|ied|ies|ying)|configur(e|ed|es|ing)|enabl(e|ed|es|ing)|disabl(e|ed|es|ing)|view(ed|s|ing){0,1}|password (was ){0,1}(reset|chang(e|ed)))([^a-z]|$)|(lockout|password|log[ -]{0,1}in|sign[ -]{0,1}in|authentication|sso) (polic|setting|config)')
    AND NOT (
      regexp_like(action_lc, 'log_{0,1}(in|on)|sign_{0,1}(in|on)|lock|fail|error')
      AND (
        regexp_like(action_lc, '(^|_)(pages{0,1}|histor(y|ies)|banners{0,1}|screens{0,1}|reports{0,1}|alerts{0,1}|messages{0,1}|notifications{0,1})_.*(customi[sz]ed|exported|updated|changed|enabled|disabled|added|removed|deleted|modified|edited|configured|renamed|viewed|downloaded)$')
        OR (
          regexp_like(action_lc, '(exported|updated|enabled|customi[sz]ed|changed|configured|edited|modified|renamed|viewed|downloaded)$')
          AND NOT regexp_like(action_lc, '(log_{0,1}(in|on)|sign_{0,1}(in|on)|auth)_{0,1}(failed|denied|rejected|blocked)_|fail(ed){0,1}_{0,1}(log_{0,1}(in|on)|sign_{0,1}(in|on)|auth)_')
        )
      )
    )
    AND NOT regexp_like(text_lc, '^[ \t\n\r]*((user|sso|saml) ){0,1}((failed|unsuccessful|invalid) ){0,1}(log {0,1}in|log {0,1}on|sign[ -]{0,1}in|lockout)s{0,1}( (attempts{0,1}|errors{0,1}|failures{0,1})){0,1}( (pages{0,1}|histor(y|ies)|banners{0,1}|screens{0,1}|reports{0,1}|alerts{0,1}|messages{0,1}|notifications{0,1})){0,1} (customi[sz]ed|exported|updated|changed|enabled|disabled|added|removed|deleted|modified|edited|configured|renamed|viewed|downloaded)([^a-z]|$)')
    AND NOT (
      regexp_like(text_lc, '^[ \t\n\r]*((user|sso|saml) ){0,1}(log|sign)[ -]{0,1}(in|on)([ -]+(pages{0,1}|histor(y|ies)|banners{0,1}|screens{0,1}|settings{0,1}|polic(y|ies)|urls{0,1}|configurations{0,1}|reports{0,1}|timeouts{0,1}|alerts{0,1}|messages{0,1})([ \t\n\r]*$|[ \t\n\r]*[^a-z: \t\n\r]|[ \t\n\r]+[a-z])|([^a-z:][^:]*){0,1}[^a-z:](customi[sz]ed|exported|updated|changed|enabled|disabled|added|removed|deleted|modified|edited|configured|renamed|viewed|downloaded)([^a-z]|$))')
      AND NOT regexp_like(text_lc, 'fail|denied|reject|refused|unsuccessful|invalid|incorrect|blocked|locked')
    )
),
grouped AS (
  SELECT
    source,
    action_type,
    min(event_text) AS example_text,
    count(CASE WHEN NOT from_raw THEN 1 END) + count(DISTINCT CASE WHEN from_raw THEN entry_key END) AS entries,
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
