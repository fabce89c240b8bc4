/**
 * Which of the week's privileged changes the mail lists, and in what order: the gravest first, and
 * every actor's gravest change kept before a second change of anyone's. Listed first in time, an
 * admin pushed their own change off the mail with ten harmless ones on the Monday (review
 * R-INSIDER M1: the demo's leaver made the week's 14th change, its token, unlisted). A change tied
 * to one of the week's suspicious sign-ins ranks first of all: it is how a taken-over account
 * stays in.
 */
import { parseLakeTimestamp } from '../lake/layout.ts';
import { plural } from './number-format.ts';
import { actedAsAnother, actorOf, namesSomeone } from './privileged-change-actor.ts';
import type { PrivilegedChange, SuspiciousLogin } from './report-model.ts';

/**
 * The kinds of privileged change, gravest first (docs/report.md, "Privileged changes"): tied to a
 * suspicious sign-in of the week ({@link suspiciousTie}); done as another user; about admin power
 * (a role, an authority, or a change whose object, comment or action names admin: a role raised
 * to Admin, a user added to an admins' group); to the actor's own account; to the sign-in
 * settings; an access token made (it outlives a password reset); any other. A change of several
 * kinds ranks as its gravest; those tied to a suspicious sign-in rank among themselves by the kind
 * they would be without it.
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

const upper = (text: string | null) => (text ?? '').trim().toUpperCase();

const ADMIN = /admin/i;

function isAdmin(c: PrivilegedChange): boolean {
  const type = upper(c.objectType);
  if (type === 'ROLE' || type === 'AUTHORITY') return true;
  return [c.objectName, c.comment, c.actionType].some((t) => t !== null && ADMIN.test(t));
}

/**
 * What the week's suspicious sign-ins flag (the findings the model holds): the addresses of those
 * flagged for where they came from (an unusual hour alone says nothing of the address: it may be
 * the office's), and each flagged user's first flagged sign-in (ms; NaN when its time is unread).
 */
export interface SuspiciousSignIns {
  addresses: ReadonlySet<string>;
  users: ReadonlyMap<string, number>;
}

export const NO_SUSPICIOUS_SIGN_INS: SuspiciousSignIns = { addresses: new Set(), users: new Map() };

const addressKey = (ip: string | null): string => (ip ?? '').trim().toLowerCase();

/** The addresses and users the week's suspicious logins flag ({@link SuspiciousSignIns}). */
export function suspiciousSignIns(logins: readonly SuspiciousLogin[]): SuspiciousSignIns {
  const addresses = new Set<string>();
  const users = new Map<string, number>();
  for (const s of logins) {
    const ip = addressKey(s.ipAddress);
    if (ip !== '' && s.reason !== 'unusual_hour') addresses.add(ip);
    if (!namesSomeone(s.userId)) continue;
    const ms = parseLakeTimestamp(s.eventTime);
    const before = users.get(s.userId);
    if (before === undefined || ms < before) users.set(s.userId, ms);
  }
  return { addresses, users };
}

/**
 * How a change is tied to a suspicious sign-in of the week: made from the address of one
 * (`address`), or by a user one was flagged for, at or after it (`user`; any time when either
 * time is unread); else nothing.
 */
export function suspiciousTie(
  c: PrivilegedChange,
  flagged: SuspiciousSignIns,
): 'address' | 'user' | undefined {
  const ip = addressKey(c.ipAddress);
  if (ip !== '' && flagged.addresses.has(ip)) return 'address';
  const actor = actorOf(c).id;
  const since = namesSomeone(actor) ? flagged.users.get(actor) : undefined;
  if (since === undefined) return undefined;
  const at = parseLakeTimestamp(c.eventTime);
  return Number.isNaN(since) || Number.isNaN(at) || at >= since ? 'user' : undefined;
}

/** Why a change ranks first: `from the address of a suspicious sign-in`, or nothing. */
export function suspiciousWhy(c: PrivilegedChange, flagged: SuspiciousSignIns): string | undefined {
  switch (suspiciousTie(c, flagged)) {
    case 'address':
      return 'from the address of a suspicious sign-in';
    case 'user':
      return 'after a suspicious sign-in of this user';
    default:
      return undefined;
  }
}

/** The change's kind by what it did: the first of {@link CHANGE_KINDS} after the suspicious tie. */
function kindOfChange(c: PrivilegedChange): ChangeKind {
  const type = upper(c.objectType);
  if (actedAsAnother(c)) return 'as_another';
  if (isAdmin(c)) return 'admin';
  const actor = actorOf(c).id;
  if (type === 'USER' && namesSomeone(actor) && c.objectId === actor) return 'own_account';
  if (type === 'LOGIN_SETTINGS' || type === 'SSO_PAGE') return 'sign_in_settings';
  if (type === 'ACCESS_TOKEN' && upper(c.actionType) === 'CREATED') return 'token_made';
  return 'other';
}

/** The change's kind: the first of {@link CHANGE_KINDS} it is. */
export const changeKind = (c: PrivilegedChange, flagged = NO_SUSPICIOUS_SIGN_INS): ChangeKind =>
  suspiciousTie(c, flagged) !== undefined ? 'suspicious_sign_in' : kindOfChange(c);

/** Each kind in a few words, for the caption that tells the reader the order (privileged-change-figures.ts). */
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

/** `2 changes done as another user`, `1 token made`: a kind's changes counted, for the Listed line. */
export function kindCounted(kind: ChangeKind, n: number): string {
  switch (kind) {
    case 'suspicious_sign_in':
      return `${plural(n, 'change')} tied to a suspicious sign-in`;
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

/**
 * Gravest kind first, those tied to a suspicious sign-in before all others and ranked among
 * themselves by what they did, then earlier first (the query's order, kept for ties).
 */
function ranked(changes: readonly PrivilegedChange[], flagged: SuspiciousSignIns): PrivilegedChange[] {
  const rank = (c: PrivilegedChange) =>
    (suspiciousTie(c, flagged) === undefined ? CHANGE_KINDS.length : 0) +
    CHANGE_KINDS.indexOf(kindOfChange(c));
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
 * of those read. `flagged`: what the week's suspicious sign-ins flag (none by default).
 */
export function changesToList(
  changes: readonly PrivilegedChange[],
  max: number,
  flagged = NO_SUSPICIOUS_SIGN_INS,
): { shown: PrivilegedChange[]; leftOut: PrivilegedChange[] } {
  const order = ranked(changes, flagged);
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
export function leftOutByKind(
  leftOut: readonly PrivilegedChange[],
  flagged = NO_SUSPICIOUS_SIGN_INS,
): string {
  const counts = new Map<ChangeKind, number>();
  for (const c of leftOut) {
    const kind = changeKind(c, flagged);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return CHANGE_KINDS.filter((k) => counts.has(k))
    .map((k) => kindCounted(k, counts.get(k) ?? 0))
    .join(', ');
}
