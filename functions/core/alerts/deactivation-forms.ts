/**
 * How the Activity Log records a user deactivated, deleted or brought back: read by the
 * `activity_after_deactivation` alert (detect-activity-after-deactivation.ts) and, spelled the same,
 * by functions/queries/activity_after_deactivation.sql (test/queries/activity-after-deactivation.test.ts
 * holds the two equal: the SQL holds these patterns, and both read every form alike). Domo documents
 * no such vocabulary; what the forms rest on (docs/alerts.md, "activity_after_deactivation"):
 * - Domo's object types include `USER` and `USER_STATE` ("User State"), as its `objectTypes`
 *   endpoint lists them (domolibrary's ActivityLog_ObjectType);
 * - action types are upper-case past-tense verbs (`VIEWED`, `CREATED`, `DELETED`, `UPDATED`), and
 *   event text is the verb then the object (`Updated Account`, `Downloaded a file version`) or the
 *   object then the verb (`Access token deleted`), as seen in real output.
 * So the forms are tolerant, and unconfirmed for a user:
 * - an event of category `other` on object type `USER` or `USER_STATE` (any letter case), the
 *   object's id the user's;
 * - a reactivation when its action type is a word starting `reactivat`, `activat`, `reenabl`,
 *   `enabl`, `restor` or `undelet`, alone or with the user's kind (`USER_ENABLED`), and its event
 *   text is empty or only names a user, or its event text says one of them of a user (`Reactivated
 *   user`, `Restored a person`, `User state enabled`, `Un-deleted user 42`; any letter case; not
 *   after a letter, so `Deactivated` is not one);
 *   or a deactivation when the same holds of `deactivat`, `delet` or `disabl` (`Deleted user 42`
 *   of user 42): the first form in the words decides (`Deleted enabled user`), a reactivation on a
 *   tie;
 * - read in lower case, any white space a space, a part in quotes or brackets a name taken out
 *   (`Deactivated user "Ann De"`: {@link QUOTED_PATTERN});
 * - none when a whole word says the change was not made (`Cancelled user deletion`,
 *   `DEACTIVATION_CANCELLED`: {@link NOT_DONE_PATTERN}).
 * Not any such word anywhere: a user's own settings are events on the user too (`Disabled email
 * notifications`, `Enabled two-factor authentication`), and read as a deactivation they would
 * raise an alert at that user's next sign-in, or as a reactivation hide a real one.
 * A new form goes here and in the SQL (docs/alerts.md, "activity_after_deactivation").
 */
import type { EventRecord } from '../lake/event-record.ts';
import { sqlLower } from '../sql-lower.ts';
import { sqlUpper } from '../sql-upper.ts';
import { userIdOf } from './user-id.ts';

/** The object types of a user's own state, upper case. */
export const USER_STATE_OBJECT_TYPES = ['USER', 'USER_STATE'] as const;

/**
 * The action type that names nothing but a user's state decides whatever the text says after it
 * (`Deactivated user Jo Bloggs`: a missed deactivation hides the alert, so the one unambiguous
 * action type is not second-guessed): its first word, or a part after an underscore, is `own`
 * (`DEACTIVATED`, `USER_REACTIVATED`). As a regular expression both engines and JavaScript read
 * alike, on the words of {@link wordsOf}.
 */
const ownPattern = (own: string): string => `^([a-z]+_)*(${own})[a-z_]*( |$)`;

/**
 * A state change's other words, as {@link ownPattern} reads them: an action type that is one of
 * `verbs`, alone or with the user's kind (`DELETED`, `USER_DISABLED`; not `DISABLED_NOTIFICATIONS`),
 * with no event text or only the user's kind (`User`, `a person:`), as the action type alone says
 * nothing of what was turned off (`DISABLED` with `Disabled two-factor authentication`, `DELETED`
 * with `Deleted user avatar`: the user's settings, not its state); or event text saying `<verb>
 * user` (`a`, `an` or `the` between allowed, as Domo writes `Downloaded a file version`, and a
 * state as the user's adjective: `Restored deleted user`, `Deleted enabled user`) or `user
 * <verb>`, `user state` (Domo's name of `USER_STATE`) or `person` (its admin pages' word) for
 * `user`, with nothing after but punctuation or `by`: Domo's event text ends with the object's kind
 * (`Updated Account`), and `User disabled notifications` or `Disabled a user notification` are not
 * the user's state. The text's verb follows a space or punctuation, not the start of the words:
 * `ENABLED` with `Deactivated user` is no `Enabled deactivated user`. An apostrophe is not an end:
 * `Deleted user's picture` changes something of the user, not its state (`\x27`, as the SQL string
 * cannot hold a bare quote). No `?` (the catalog's placeholder).
 */
const stateChangePattern = (verbs: string): string => {
  const kind = '(user( +state){0,1}|person)';
  const user = `((a|an|the) +){0,1}${kind}`;
  const adjective =
    '(((in){0,1}active|(de|re){0,1}activated|(un){0,1}deleted|(re){0,1}enabled|disabled|restored) +){0,1}';
  const end = '( *$|[^a-z \\x27’]| +by([^a-z]|$))';
  return [
    `^((user|state|person)_)*(${verbs})[a-z]*(_(user|state|person))* +($|${user}${end})`,
    `[^a-z_](${verbs})[a-z]* +((a|an|the) +){0,1}${adjective}${kind}${end}`,
    `[^a-z_]${kind} +(${verbs})[a-z]*${end}`,
  ].join('|');
};

/** A reactivation's own action type. */
export const OWN_REACTIVATION_PATTERN = ownPattern('re_{0,1}activat');

/** A deactivation's own action type. */
export const OWN_DEACTIVATION_PATTERN = ownPattern('de_{0,1}activat');

/** A reactivation's words. */
export const REACTIVATION_PATTERN = stateChangePattern(
  're_{0,1}activat|activat|re_{0,1}enabl|enabl|restor|un_{0,1}delet',
);

/** A deactivation's (or deletion's) words. */
export const DEACTIVATION_PATTERN = stateChangePattern('de_{0,1}activat|delet|disabl');

/** The words saying a change was not made, as {@link NOT_DONE_PATTERN} describes them. */
const NOT_DONE_WORDS =
  '(cancel(l){0,1}(ed|ing|ation|s){0,1}|undo(ne|ing|es){0,1}|undid|revert(ed|ing|s){0,1}|revers(e|ed|es|al|ing)|roll(ed|ing|s){0,1}[ _]*back|schedul(e|ed|es|ing)|request(ed|ing|s){0,1}|pending|fail(ed|ure|ing|s){0,1}|den(y|ied|ies|ial)|attempt(ed|ing|s){0,1}|abort(ed|ing|s){0,1}|reject(ed|ion|ing|s){0,1}|unable|not)';

/**
 * A word saying the change was not made (`Cancelled user deletion`, `Failed to deactivate user`,
 * `User reactivation denied`, `DEACTIVATION_CANCELLED`), as a whole word of the action type or
 * the words: the user stays as it was. An undo is read so too (`Undo user deletion`, `Reverted
 * user deactivation`, `DEACTIVATION_REVERSED`, `Rolled back user deletion`): whether it was done
 * is no clearer than in a cancellation, and a missed reactivation only raises an alert an admin
 * can judge, where a wrong one hides a real alert. So is a change scheduled, requested or pending
 * (`DEACTIVATION_SCHEDULED`, `Requested user deactivation`): not made yet, it comes as its own
 * event when it is, and no change read hides none after it.
 * Domo writes `CANCELED` and `FAILED` action types (domo-toolkit's colours of them). In the
 * action type it outweighs the own action type ({@link ownPattern}); in the event text, all but it.
 * Only before the first `.` or `;`: a sentence after the form is a note of its own (`Deactivated
 * user; did not transfer content` is a deactivation, and missed it would hide the alert); of a
 * deactivation's form, only in its own clause: {@link NOT_DONE_CLAUSE_PATTERN}.
 */
export const NOT_DONE_PATTERN = `^[^.;]*(^|[^a-z.;])${NOT_DONE_WORDS}([^a-z]|$)`;

/**
 * A not-done word in a deactivation's own clause, read on the words up to the form's first
 * character: none of `.`, `;` or `,` between the word and the form (`Failed to delete user`). A
 * clause before it is a note of its own (`Transfer failed; deleted user Bob`,
 * `Content not transferred, deleted user`: missed, the deactivation would hide the alert), as is
 * one after it (`Deactivated user, did not transfer content`), which the words read never reach.
 */
export const NOT_DONE_CLAUSE_PATTERN = `(^|[^a-z])${NOT_DONE_WORDS}([^a-z.;,][^.;,]*){0,1}$`;

const OWN_REACTIVATION = new RegExp(OWN_REACTIVATION_PATTERN, 'u');
const OWN_DEACTIVATION = new RegExp(OWN_DEACTIVATION_PATTERN, 'u');
const NOT_DONE = new RegExp(NOT_DONE_PATTERN, 'u');
const NOT_DONE_CLAUSE = new RegExp(NOT_DONE_CLAUSE_PATTERN, 'u');
const REACTIVATION = new RegExp(REACTIVATION_PATTERN, 'u');
const DEACTIVATION = new RegExp(DEACTIVATION_PATTERN, 'u');

/**
 * The first of `pattern`'s forms in `words` and where it starts, from 1, as the SQL finds it
 * (`strpos` of what `regexp_extract` matched); 0 for none. The first form decides: its verb is the
 * one acting on the user, a later one the user's adjective (`Deleted enabled user`, `Restored
 * deleted user`).
 */
const formIn = (pattern: RegExp, words: string): { form: string; at: number } => {
  const form = pattern.exec(words)?.[0] ?? '';
  return { form, at: form === '' ? 0 : words.indexOf(form) + 1 };
};

/** The fields a state change is read from; without the object's name, its id stands for it. */
type StateFields = Pick<
  EventRecord,
  'category' | 'object_type' | 'object_id' | 'action_type' | 'event_text'
> &
  Partial<Pick<EventRecord, 'object_name'>>;

/** A user's state changed: `off` deactivated or deleted, `on` brought back; `userId` as written. */
export interface UserStateChange {
  state: 'off' | 'on';
  userId: string;
}

/**
 * A name that is one of the forms' own words, left in: a user named `User` is not taken out of
 * `Deleted user`, nor one named `Deleted` out of `Deleted user Deleted` (both taken out, the
 * deletion read as nothing). Both engines read this expression alike; no `?` (the catalog's
 * placeholder).
 */
export const FORM_WORD_NAME =
  '^(user|person|(re|de|un){0,1}(activat|enabl|restor|delet|disabl)(e|ed|ion|ing){0,1})$';

const FORM_WORD = new RegExp(FORM_WORD_NAME, 'u');

/**
 * The code points read as a space: Unicode's white space but the space itself (a tab, a line
 * break, a no-break space U+00A0, a thin space U+2009), which `Deleted\tuser` or a name pasted
 * from a page carry. The SQL's `translate` maps each to a space, `chr` by `chr`.
 */
export const OTHER_SPACES: readonly number[] = [
  9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232,
  8233, 8239, 8287, 12288,
];

const OTHER_SPACE = new Set(OTHER_SPACES);

/**
 * A part in quotes or brackets, with the spaces before it: a name, whatever it says (`Deactivated
 * user "Ann De"`, `Deleted user [Bob]`, `‘Jo’`), taken out of the words so that no word of it is
 * read as a form's (`[Failed Restore]`). A straight single quote opens one only after a space, as
 * `user's` holds an apostrophe. Parentheses are not: they hold a note as often (`(2FA)`).
 */
export const QUOTED_PATTERN = ' *("[^"]*"|“[^”]*”|‘[^’]*’|\\[[^\\]]*\\])| +\\x27[^\\x27]*\\x27';

/**
 * A text's pieces for `regexp_extract_all`: a quoted part ({@link QUOTED_PATTERN}), a run of
 * anything but a space and an opening quote or bracket, one such left unclosed, or a space.
 */
export const PIECE_PATTERN = `${QUOTED_PATTERN}|[^ "“‘\\[]+|["“‘\\[ ]`;

const QUOTED = new RegExp(`^(${QUOTED_PATTERN})$`, 'u');
const PIECE = new RegExp(PIECE_PATTERN, 'gu');

/**
 * `text` as the forms read it, as the SQL's `array_join(filter(regexp_extract_all(…)))` makes it:
 * lower case, each of {@link OTHER_SPACES} a space, the quoted parts out (`user "Ann De".` reads
 * `user.`).
 */
const textWords = (text: string): string => {
  const spaced = [...sqlLower(text)].map((c) => (OTHER_SPACE.has(c.codePointAt(0) ?? 0) ? ' ' : c));
  return (spaced.join('').match(PIECE) ?? []).filter((piece) => !QUOTED.test(piece)).join('');
};

/** The object's name as {@link wordsOf} takes it out: none when empty, or one of the forms' words. */
const nameOf = (event: StateFields): string | null => {
  const name = textWords(event.object_name ?? '');
  return name === '' || FORM_WORD.test(name) ? null : name;
};

/**
 * What ends the object's id or name where {@link wordsOf} takes it out: a space (the words end in
 * one), or punctuation. Not a letter or digit: taken out of a longer word, a name would change it
 * (a user named `De` turned `Deactivated user De` into `activated user`, a reactivation). A
 * parenthesis after a space is left right after the user, where it ends the form: a note on the
 * user named (`Deactivated user Bob (reactivation pending)`); after the user's kind alone it does
 * not, as it may say what of the user's was changed (`Deleted user (notifications)`).
 */
const NAME_ENDS = [' (', ' ', '.', ',', ':', ';'];

/**
 * What the forms read, as the SQL reads it: `lower(action_type) || <' ' || event_text, its quoted
 * parts out> || ' '` ({@link textWords}: the space lets a quote open the text), a missing one as
 * empty; the object's id and name
 * ({@link nameOf}, else its id) taken out after a space and before one of {@link NAME_ENDS}, as
 * text naming the user the event is on (`Deleted user 42`, `Deleted user Jo Bloggs by Ann`) says
 * its state as `Deleted user` does, and another user's id or name, unquoted, still follows the
 * user (`Deleted user avatar` may be one); then without hyphens, so `Un-deleted`, `Re-enabled`
 * and `De-activated` read as one word (`De-activated` is no `activat`).
 */
const wordsOf = (event: StateFields, userId: string): string =>
  [sqlLower(userId), nameOf(event) ?? sqlLower(userId)]
    .flatMap((name) => NAME_ENDS.map((end) => [` ${name}${end}`, end.replace(' (', '(')] as const))
    .reduce(
      (words, [named, end]) => words.replaceAll(named, end),
      `${sqlLower(event.action_type ?? '')}${textWords(` ${event.event_text ?? ''}`)} `,
    )
    .replaceAll('-', '');

/**
 * The state the text's first form says, after the own action types: a reactivation on a tie, none
 * when a word says it was not made.
 */
const formState = (words: string): UserStateChange['state'] | null => {
  const on = formIn(REACTIVATION, words);
  const off = formIn(DEACTIVATION, words);
  if (on.at > 0 && (off.at === 0 || on.at <= off.at)) return NOT_DONE.test(words) ? null : 'on';
  // In the form's own clause only: before or after it a note (`Transfer failed; deleted user`,
  // `Deleted user, not reversible`), and a deactivation missed hides the alert; a reactivation's
  // not-done word counts anywhere in the sentence, above.
  if (off.at === 0 || NOT_DONE_CLAUSE.test(words.slice(0, off.at))) return null;
  return 'off';
};

/** The change of a user's state `event` records, or null when it records none. */
export function userStateChange(event: StateFields): UserStateChange | null {
  if (event.category !== 'other') return null;
  const type = sqlUpper(event.object_type ?? '');
  if (!(USER_STATE_OBJECT_TYPES as readonly string[]).includes(type)) return null;
  const userId = event.object_id === null ? null : userIdOf({ user_id: event.object_id });
  if (userId === null) return null;
  if (NOT_DONE.test(sqlLower(event.action_type ?? ''))) return null;
  const words = wordsOf(event, userId);
  if (OWN_REACTIVATION.test(words)) return { state: 'on', userId };
  if (OWN_DEACTIVATION.test(words)) return { state: 'off', userId };
  const state = formState(words);
  return state === null ? null : { state, userId };
}
