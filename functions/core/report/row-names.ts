/**
 * What a list's rows call a user, card or page: its name, else its id, clipped to the room there
 * is, with the id added where a name cut short or a namesake (one that reads the same, look-alike
 * letters and invisible characters aside) would leave two rows looking like one.
 */

import { endingLeftToRight } from '../display-width.ts';
import { visibleText } from '../visible-text.ts';
import { CHARACTERS, type Ruler } from './text-ruler.ts';

/**
 * What shows of nothing but these: white space, format characters (zero-width space, joiners,
 * word joiner, BOM, soft hyphen…) and the other default-ignorable code points (Hangul fillers,
 * variation selectors). A name of only these would render as a blank cell.
 */
const VISIBLE = /[^\s\p{Cf}\p{Default_Ignorable_Code_Point}]/u;

/** Whether any of `text` shows once rendered: after {@link visibleText}, which both renderings apply. */
const shows = (text: string | null): text is string => text !== null && VISIBLE.test(visibleText(text));

/** What to call a user, card or page: its name, else its id, else that it is unknown. */
export const displayName = (name: string | null, id: string | null, kind: string): string =>
  shows(name) ? name : shows(id) ? `${kind} ${id}` : `unknown ${kind}`;

/**
 * What to call a user, card or page in a row of at most `max` characters (as `ruler` counts them):
 * {@link displayName} of the {@link visibleText}, clipped. A name cut short keeps its id after it,
 * `Quarterly revenue by regi… (9001)`, so two whose names share a long start still read as two
 * different rows; so does one that `withId` asks for, a namesake or a user ({@link rowNames}). A
 * right-to-left name before its id ends with a left-to-right mark ({@link endingLeftToRight}),
 * the only direction mark the result holds: the name's own were removed with the rest of what
 * {@link visibleText} removes, so the HTML may keep this one ({@link LEFT_TO_RIGHT_MARK}).
 */
export function rowName(
  name: string | null,
  id: string | null,
  kind: string,
  max: number,
  ruler: Ruler = CHARACTERS,
  withId = false,
): string {
  const shown = name === null ? null : visibleText(name);
  const shownId = id === null ? null : visibleText(id);
  const full = displayName(shown, shownId, kind);
  // A name that does not show is named by its id already (`user 42`).
  if ((!withId && ruler.width(full) <= max) || full !== shown || !shownId?.trim())
    return ruler.clip(full, max);
  // The id gets at most half the room, so the name keeps a readable start.
  const suffix = ` (${ruler.clip(shownId, Math.floor(max / 2))})`;
  return `${endingLeftToRight(ruler.clip(shown, Math.max(1, max - ruler.width(suffix))))}${suffix}`;
}

/** The mark {@link rowName} may put after a right-to-left name: U+200E (display-width.ts, shared with the alerts mail). */

/**
 * Characters that show as a blank without being white space: the braille blank (U+2800) and the
 * Hangul fillers (U+3164, its half-width U+FFA0, which NFKC makes U+3164, and the jamo U+1160).
 * `Maria\u3164Admin` reads as `Maria Admin`, so they count as a space, not as nothing.
 */
const BLANKS = /[\u1160\u2800\u3164\uffa0]/gu;

/**
 * Nothing of these shows: format characters (U+200B, U+FEFF, joiners, soft hyphens...) and the
 * other default-ignorable code points (the combining grapheme joiner, variation selectors), as
 * {@link VISIBLE} has it.
 */
const IGNORABLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * Cyrillic and Greek letters drawn as a Latin one in common fonts, each with that letter: a small
 * skeleton in the manner of Unicode TR39's confusables, enough that `M\u0430ria Admin` (a Cyrillic
 * `а`) reads as `Maria Admin`. Both cases are listed where both look Latin (`Н` is `H`, `н` is
 * not `h`): the small letters are mapped first, then every letter upper-cased and the capitals
 * mapped, so names that differ only in case (`Нина`, `НИНА`) read the same, as Latin ones do.
 */
const LATIN_LOOKALIKES = new Map(
  [
    // Cyrillic capitals and small letters, then Greek ones: each above the Latin letter it shows as.
    ['АВЕКМНОРСТУХЅІЈҮӀԚԜ', 'ABEKMHOPCTYXSIJYIQW'],
    ['аеорсухѕіјԁһүӏԛԝ', 'aeopcyxsijdhylqw'],
    ['ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ', 'ABEZHIKMNOPTYX'],
    ['αινορ', 'aivop'],
  ].flatMap(([from, to]) => [...(from ?? '')].map((char, i): [string, string] => [char, to?.[i] ?? char])),
);
const LOOKALIKE = new RegExp(`[${[...LATIN_LOOKALIKES.keys()].join('')}]`, 'gu');
const lookalike = (char: string): string => LATIN_LOOKALIKES.get(char) ?? char;

/**
 * What a reader can tell of a name: {@link visibleText} in NFKC (a full-width `Ｍ` is `M`), blanks
 * as spaces, without what does not show, Latin look-alikes as their Latin letter, white space
 * collapsed, case folded. `Maria Admin`, `maria  admin`, `Maria\u200B Admin`, `Mari\u034Fa Admin`,
 * `Maria\u3164Admin` and `M\u0430ria Admin` read the same.
 */
export const nameKey = (text: string): string =>
  visibleText(text)
    .normalize('NFKC')
    .replace(BLANKS, ' ')
    .replace(IGNORABLE, '')
    .replace(LOOKALIKE, lookalike)
    .toUpperCase()
    .replace(LOOKALIKE, lookalike)
    .replace(/\s+/gu, ' ')
    .trim()
    .toLowerCase();

/**
 * Kinds whose every row ends with its id, namesake or not: a user, as the alerts mail names one
 * (`Ann (42)`). An investigator's next step from the mail is the user's events, which
 * `user_activity` finds by id, not by name; and two users of one name are then two rows on sight
 * (review R-INVEST L1). Cards and pages keep their names alone unless cut short or namesakes.
 */
const ID_ALWAYS: ReadonlySet<string> = new Set(['user']);

/** A row of a list as {@link rowNames} names it. */
export interface NamedRow {
  name: string | null;
  id: string | null;
}

/**
 * What to call each row of one list ({@link rowName}). Rows whose names read the same
 * ({@link nameKey}) but are different cards or pages (different ids) get their ids, as a name cut
 * short does: namesakes would otherwise show as one row twice. Rows of the same id stay as they
 * are. A user's row always has its id ({@link ID_ALWAYS}), so a user who took an admin's display
 * name shows another id than the admin's, in whichever of the mail's lists each stands.
 */
export function rowNames(
  rows: readonly NamedRow[],
  kind: string,
  max: number,
  ruler: Ruler = CHARACTERS,
): string[] {
  const keys = rows.map((r) => nameKey(displayName(r.name, r.id, kind)));
  const ids = new Map<string, Set<string | null>>();
  rows.forEach((r, i) => {
    const key = keys[i] ?? '';
    ids.set(key, (ids.get(key) ?? new Set()).add(r.id));
  });
  return rows.map((r, i) => {
    const namesakes = (ids.get(keys[i] ?? '')?.size ?? 0) > 1;
    return rowName(r.name, r.id, kind, max, ruler, namesakes || ID_ALWAYS.has(kind));
  });
}
