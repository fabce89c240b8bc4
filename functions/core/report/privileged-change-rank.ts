/**
 * Which of the week's privileged changes the mail lists, and in what order: the gravest first, and
 * every actor's gravest change kept before a second change of anyone's. Listed first in time, an
 * admin pushed their own change off the mail with ten harmless ones on the Monday (review
 * R-INSIDER M1: the demo's leaver made the week's 14th change, its token, unlisted).
 */
import { plural } from './number-format.ts';
import { actedAsAnother, actorOf, namesSomeone } from './privileged-change-actor.ts';
import type { PrivilegedChange } from './report-model.ts';

/**
 * The kinds of privileged change, gravest first (docs/report.md, "Privileged changes"): done as
 * another user; about admin power (a role, an authority, or a change whose object, comment or
 * action names admin: a role raised to Admin, a user added to an admins' group); to the actor's
 * own account; to the sign-in settings; an access token made (it outlives a password reset); any
 * other. A change of several kinds ranks as its gravest.
 */
export const CHANGE_KINDS = [
  'as_another',
  'admin',
  'own_account',
  'sign_in_settings',
  'token_made',
  'other',
] as const;

export type ChangeKind = (typeof CHANGE_KINDS)[number];

const upper = (text: string | null) => (text ?? '').trim().toUpperCase();

const ADMIN = /admin/i;

function isAdmin(c: PrivilegedChange): boolean {
  const type = upper(c.objectType);
  if (type === 'ROLE' || type === 'AUTHORITY') return true;
  return [c.objectName, c.comment, c.actionType].some((t) => t !== null && ADMIN.test(t));
}

/** The change's kind: the first of {@link CHANGE_KINDS} it is. */
export function changeKind(c: PrivilegedChange): ChangeKind {
  const type = upper(c.objectType);
  if (actedAsAnother(c)) return 'as_another';
  if (isAdmin(c)) return 'admin';
  const actor = actorOf(c).id;
  if (type === 'USER' && namesSomeone(actor) && c.objectId === actor) return 'own_account';
  if (type === 'LOGIN_SETTINGS' || type === 'SSO_PAGE') return 'sign_in_settings';
  if (type === 'ACCESS_TOKEN' && upper(c.actionType) === 'CREATED') return 'token_made';
  return 'other';
}

/** `2 changes done as another user`, `1 token made`: a kind's changes counted, for the Listed line. */
export function kindCounted(kind: ChangeKind, n: number): string {
  switch (kind) {
    case 'as_another':
      return `${plural(n, 'change')} done as another user`;
    case 'admin':
      return `${plural(n, 'change')} about admin power`;
    case 'own_account':
      return `${plural(n, 'change')} to the actor's own account`;
    case 'sign_in_settings':
      return `${plural(n, 'change')} to sign-in settings`;
    case 'token_made':
      return plural(n, 'token made', 'tokens made');
    default:
      return plural(n, 'other change');
  }
}

/** Gravest kind first, then earlier first (the query's order, kept for ties). */
function ranked(changes: readonly PrivilegedChange[]): PrivilegedChange[] {
  const rank = (c: PrivilegedChange) => CHANGE_KINDS.indexOf(changeKind(c));
  return changes
    .map((c, i) => ({ c, i, r: rank(c) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map(({ c }) => c);
}

/** The actor's key: id, else name (a change naming neither is its own). */
const actorKey = (c: PrivilegedChange, i: number): string => {
  const { name, id } = actorOf(c);
  return namesSomeone(id) ? `id:${id}` : name ? `name:${name}` : `row:${i}`;
};

/**
 * The changes the mail lists, at most `max`, gravest first ({@link CHANGE_KINDS}, then time):
 * each actor's gravest change first, the gravest of those first, then the others in the same
 * order, so one actor's many changes push no other actor off the list. `leftOut` holds the rest
 * of those read.
 */
export function changesToList(
  changes: readonly PrivilegedChange[],
  max: number,
): { shown: PrivilegedChange[]; leftOut: PrivilegedChange[] } {
  const order = ranked(changes);
  const seen = new Set<string>();
  const firsts: PrivilegedChange[] = [];
  const seconds: PrivilegedChange[] = [];
  order.forEach((c, i) => {
    const key = actorKey(c, i);
    (seen.has(key) ? seconds : firsts).push(c);
    seen.add(key);
  });
  const picked = new Set([...firsts, ...seconds].slice(0, Math.max(0, max)));
  return {
    shown: order.filter((c) => picked.has(c)),
    leftOut: order.filter((c) => !picked.has(c)),
  };
}

/** `1 token made, 2 other changes`: the changes left out, by kind, gravest first. */
export function leftOutByKind(leftOut: readonly PrivilegedChange[]): string {
  const counts = new Map<ChangeKind, number>();
  for (const c of leftOut) counts.set(changeKind(c), (counts.get(changeKind(c)) ?? 0) + 1);
  return CHANGE_KINDS.filter((k) => counts.has(k))
    .map((k) => kindCounted(k, counts.get(k) ?? 0))
    .join(', ');
}
