/**
 * What a list's rows call a user, card or page: its name, else its id, clipped to the room there
 * is, with the id added where a name cut short or a namesake (one that reads the same, look-alike
 * letters and invisible characters aside) would leave two rows looking like one.
 */

import { visibleText } from '../visible-text.ts';
import type { WeeklyReportModel } from './report-model.ts';
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
 * {@link displayName}, clipped. A name cut short keeps its id after it, `Quarterly revenue by
 * regi… (9001)`, so two whose names share a long start still read as two different rows; so does
 * one that `withId` asks for, a namesake ({@link rowNames}).
 */
export function rowName(
  name: string | null,
  id: string | null,
  kind: string,
  max: number,
  ruler: Ruler = CHARACTERS,
  withId = false,
): string {
  const full = displayName(name, id, kind);
  // A name that does not show is named by its id already (`user 42`).
  if ((!withId && ruler.width(full) <= max) || full !== name || !id?.trim()) return ruler.clip(full, max);
  // The id gets at most half the room, so the name keeps a readable start.
  const suffix = ` (${ruler.clip(id, Math.floor(max / 2))})`;
  return `${ruler.clip(name, Math.max(1, max - ruler.width(suffix)))}${suffix}`;
}

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

/** A row of a list as {@link rowNames} names it. */
export interface NamedRow {
  name: string | null;
  id: string | null;
}

/**
 * What to call each row of one list ({@link rowName}). Rows whose names read the same
 * ({@link nameKey}) but are different users, cards or pages (different ids) get their ids, as a
 * name cut short does: namesakes, or a user who took an admin's display name, would otherwise show
 * as one row twice. Rows of the same id (one user's several suspicious logins) stay as they are.
 * `others` are rows the mail shows elsewhere ({@link shownUsers}): a namesake there counts too, so
 * an impostor's suspicious login does not read as the admin's of the top users.
 */
export function rowNames(
  rows: readonly NamedRow[],
  kind: string,
  max: number,
  ruler: Ruler = CHARACTERS,
  others: readonly NamedRow[] = [],
): string[] {
  const keys = rows.map((r) => nameKey(displayName(r.name, r.id, kind)));
  const ids = new Map<string, Set<string | null>>();
  rows.forEach((r, i) => {
    const key = keys[i] ?? '';
    ids.set(key, (ids.get(key) ?? new Set()).add(r.id));
  });
  for (const r of others) {
    // Only names this list shows: another list's namesakes among themselves are its own to mark.
    const known = ids.get(nameKey(displayName(r.name, r.id, kind)));
    known?.add(r.id);
  }
  return rows.map((r, i) => {
    const namesakes = (ids.get(keys[i] ?? '')?.size ?? 0) > 1;
    return rowName(r.name, r.id, kind, max, ruler, namesakes);
  });
}

/**
 * The users every list of users of the mail shows (suspicious logins, failed logins, most active
 * users), as capped by `caps`: each list's names are told apart from all of them ({@link rowNames}).
 */
export const shownUsers = (
  model: Pick<WeeklyReportModel, 'suspiciousLogins' | 'failedLogins' | 'topUsers'>,
  caps: { suspiciousLogins: number; failedLogins: number; topList: number },
): NamedRow[] =>
  [
    ...model.suspiciousLogins.slice(0, caps.suspiciousLogins),
    ...model.failedLogins.slice(0, caps.failedLogins),
    ...model.topUsers.slice(0, caps.topList),
  ].map((u) => ({ name: u.userName, id: u.userId }));
