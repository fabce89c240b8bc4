/**
 * Which of the week's privileged changes the mail lists, and in what order: the gravest first, and
 * every actor's gravest change kept before a second change of anyone's. Listed first in time, an
 * admin pushed their own change off the mail with ten harmless ones on the Monday (review
 * R-INSIDER M1: the demo's leaver made the week's 14th change, its token, unlisted). A change tied
 * to one of the week's suspicious sign-ins ranks first of all: it is how a taken-over account
 * stays in.
 */
import { parseLakeTimestamp } from '../lake/layout.ts';
import { actorOf, namesSomeone } from '../privileged-change-actor.ts';
import {
  CHANGE_KINDS,
  type ChangeKind,
  changeActorKey,
  eachActorsGravestFirst,
  kindOfChange,
  kindsCounted,
} from '../privileged-change-kind.ts';
import type { PrivilegedChange, SuspiciousLogin } from './report-model.ts';

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

/** The change's kind: the first of {@link CHANGE_KINDS} it is. */
export const changeKind = (c: PrivilegedChange, flagged = NO_SUSPICIOUS_SIGN_INS): ChangeKind =>
  suspiciousTie(c, flagged) !== undefined ? 'suspicious_sign_in' : kindOfChange(c);

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
  const picked = new Set(eachActorsGravestFirst(order, changeActorKey).slice(0, Math.max(0, max)));
  return {
    shown: order.filter((c) => picked.has(c)),
    leftOut: order.filter((c) => !picked.has(c)),
  };
}

/** `1 token made, 2 other changes`: the changes left out, by kind, gravest first. */
export const leftOutByKind = (
  leftOut: readonly PrivilegedChange[],
  flagged = NO_SUSPICIOUS_SIGN_INS,
): string => kindsCounted(leftOut.map((c) => changeKind(c, flagged)));
