/**
 * The order of a message's privileged changes: the gravest first, by the weekly report's ranking
 * (privileged-change-kind.ts), each actor's gravest before anyone's second, then newest first.
 * Newest first alone, an insider's 500 routine changes (group edits, tokens) in the hour around a
 * role raise pushed the raise off the 50 rows a message lists: it was only counted (2026-12-06).
 */
import {
  CHANGE_KINDS,
  type ChangeKind,
  changeActorKey,
  eachActorsGravestFirst,
  kindCounted,
} from '../privileged-change-kind.ts';
import type { Alert } from './alert.ts';

const OTHER = CHANGE_KINDS.indexOf('other');

/**
 * The alert's kind of change ({@link Alert.change_kind}); `other` for one taken in before it was
 * recorded, or of a kind this release does not know (a later one's, after a rollback).
 */
export const changeKindOf = (alert: Alert): ChangeKind => {
  const kind = CHANGE_KINDS.find((k) => k === alert.change_kind);
  return kind ?? 'other';
};

/** Where the alert's kind of change ranks, gravest 0; every other kind of alert after all of them. */
export const changeRank = (alert: Alert): number =>
  alert.kind === 'privileged_change' ? CHANGE_KINDS.indexOf(changeKindOf(alert)) : OTHER + 1;

/** Who made the change, as the report keys them: the actor acting as another, else the user. */
const actorKey = (alert: Alert, i: number): string =>
  changeActorKey(
    {
      userId: alert.user_id,
      userName: alert.user_name,
      actorId: alert.actor_id ?? null,
      actorName: alert.actor_name ?? null,
    },
    i,
  );

/**
 * `changes` (newest first) in the order they get rows: gravest first, each actor's gravest before
 * anyone's second, newest first among equals.
 */
export function gravestChangesFirst(changes: readonly Alert[]): Alert[] {
  const ranked = changes
    .map((alert, i) => ({ alert, i, rank: changeRank(alert) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map(({ alert }) => alert);
  return eachActorsGravestFirst(ranked, actorKey);
}

/**
 * `1 change about admin power, 479 other changes`: the privileged changes of `alerts` by kind, and
 * those of a count record (`folded`: how many of each kind of change, an unknown one as other),
 * gravest first; empty for none.
 */
export function changeKindCounts(
  alerts: readonly Alert[],
  folded: Readonly<Record<string, number>> = {},
): string {
  const counts = new Map<ChangeKind, number>();
  const add = (kind: ChangeKind, n: number) => counts.set(kind, (counts.get(kind) ?? 0) + n);
  for (const alert of alerts) if (alert.kind === 'privileged_change') add(changeKindOf(alert), 1);
  for (const [kind, n] of Object.entries(folded)) add(CHANGE_KINDS.find((k) => k === kind) ?? 'other', n);
  return CHANGE_KINDS.filter((k) => counts.has(k))
    .map((k) => kindCounted(k, counts.get(k) ?? 0))
    .join(', ');
}
