/**
 * The kinds of privileged change, gravest first, and the order a list of them is cut in: one
 * classification shared by the weekly report (privileged-change-rank.ts) and the alerts
 * (privileged-change-order.ts), so the two never rank a change differently. The alerts listed
 * their privileged changes newest first, and 500 routine changes (group edits, tokens) in the hour
 * of a role raise pushed the raise off the message, only counted (2026-12-06).
 */
import { actedAsAnother, actorOf, type ChangePeople, namesSomeone } from './privileged-change-actor.ts';
import { sqlLower } from './sql-lower.ts';
import { sqlUpper } from './sql-upper.ts';

/** What a privileged change's kind is read from: who, and what it changed. */
export interface ChangeFacts extends ChangePeople {
  actionType: string | null;
  objectType: string | null;
  /** The object's id: a user's own id when the change was to their own account. */
  objectId: string | null;
  objectName: string | null;
  /** Domo's comment on the event: often the one place that says what changed. */
  comment: string | null;
}

/**
 * The kinds of privileged change, gravest first (docs/report.md, "Privileged changes"): tied to a
 * suspicious sign-in of the week (the weekly report's, privileged-change-rank.ts); done as another
 * user; about admin power (a role, an authority, or a change whose object, comment or action names
 * admin: a role raised to Admin, a user added to an admins' group); to the actor's own account; to
 * the sign-in settings; an access token made (it outlives a password reset); any other. A change of
 * several kinds ranks as its gravest.
 */
export const CHANGE_KINDS = [
  'suspicious_sign_in',
  'as_another',
  'admin',
  'own_account',
  'sign_in_settings',
  'token_made',
  'other',
] as const;

export type ChangeKind = (typeof CHANGE_KINDS)[number];

/**
 * White space as Athena's `trim` (Trino's, Java's `Character.isWhitespace`) removes it: tabs, line
 * ends, the ASCII separators and the Unicode spaces, not the no-break ones (U+00A0, U+2007,
 * U+202F) nor the byte order mark (U+FEFF), which JavaScript's `trim` removes. DuckDB's `trim`
 * removes the Unicode space separators alone, no-break ones too, and no tab nor line end: where
 * the engines differ this follows the deployed one (docs/decisions.md, 2026-12-07).
 */
const ATHENA_WHITE_SPACE = new Set([
  ...'\t\n\v\f\r\u001C\u001D\u001E\u001F \u1680\u2028\u2029\u205F\u3000',
  ...'\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200A',
]);

/** `trim(text)` as Athena trims it. */
function sqlTrim(text: string): string {
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  while (start < end && ATHENA_WHITE_SPACE.has(chars[start] ?? '')) start += 1;
  while (end > start && ATHENA_WHITE_SPACE.has(chars[end - 1] ?? '')) end -= 1;
  return chars.slice(start, end).join('');
}

const upper = (text: string | null) => sqlUpper(sqlTrim(text ?? ''));

/** `lower(text) LIKE '%admin%'`, as the SQL lowers it (functions/core/sql-lower.ts). */
const namesAdmin = (text: string): boolean => sqlLower(text).includes('admin');

function isAdmin(c: ChangeFacts): boolean {
  const type = upper(c.objectType);
  if (type === 'ROLE' || type === 'AUTHORITY') return true;
  return [c.objectName, c.comment, c.actionType].some((t) => t !== null && namesAdmin(t));
}

/** The change's kind by what it did: the first of {@link CHANGE_KINDS} after the suspicious tie. */
export function kindOfChange(c: ChangeFacts): ChangeKind {
  const type = upper(c.objectType);
  if (actedAsAnother(c)) return 'as_another';
  if (isAdmin(c)) return 'admin';
  const actor = actorOf(c).id;
  if (type === 'USER' && namesSomeone(actor) && c.objectId === actor) return 'own_account';
  if (type === 'LOGIN_SETTINGS' || type === 'SSO_PAGE') return 'sign_in_settings';
  if (type === 'ACCESS_TOKEN' && upper(c.actionType) === 'CREATED') return 'token_made';
  return 'other';
}

/** Each kind in a few words, for the caption that tells the reader the order. */
const KIND_WORDS = {
  suspicious_sign_in: 'tied to a suspicious sign-in',
  as_another: 'done as another user',
  admin: 'about admin power',
  own_account: "to the actor's own account",
  sign_in_settings: 'to sign-in settings',
  token_made: 'a token made',
  other: 'the rest',
} as const satisfies Record<ChangeKind, string>;

/** `tied to a suspicious sign-in, done as another user, …, the rest`: the kinds in rank order. */
export const KINDS_IN_ORDER = CHANGE_KINDS.map((kind) => KIND_WORDS[kind]).join(', ');

const counted = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** `2 changes done as another user`, `1 token made`: a kind's changes counted, for a left-out line. */
export function kindCounted(kind: ChangeKind, n: number): string {
  switch (kind) {
    case 'token_made':
      return counted(n, 'token made', 'tokens made');
    case 'other':
      return counted(n, 'other change');
    default:
      return `${counted(n, 'change')} ${KIND_WORDS[kind]}`;
  }
}

/** `1 token made, 2 other changes`: changes of these kinds counted by kind, gravest first. */
export function kindsCounted(kinds: readonly ChangeKind[]): string {
  const counts = new Map<ChangeKind, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return CHANGE_KINDS.filter((k) => counts.has(k))
    .map((k) => kindCounted(k, counts.get(k) ?? 0))
    .join(', ');
}

/**
 * The order a list of changes is cut in: `ranked` (gravest first, ties as the caller orders them),
 * each actor's first (`actorKey`) before anyone's second, so one actor's many changes push no other
 * actor off the list. The first `max` of it are listed.
 */
export function eachActorsGravestFirst<T>(ranked: readonly T[], actorKey: (c: T, i: number) => string): T[] {
  const seen = new Set<string>();
  const firsts: T[] = [];
  const seconds: T[] = [];
  ranked.forEach((c, i) => {
    const key = actorKey(c, i);
    (seen.has(key) ? seconds : firsts).push(c);
    seen.add(key);
  });
  return [...firsts, ...seconds];
}

/** The actor's key: id, else name (a change naming neither, `i`th of a list, is its own). */
export const changeActorKey = (c: ChangePeople, i: number): string => {
  const { name, id } = actorOf(c);
  return namesSomeone(id) ? `id:${id}` : name ? `name:${name}` : `row:${i}`;
};
