/**
 * `alerts-state/instance=<i>/user-states.json`: the users the alerts runs saw deactivated or
 * deleted (deactivation-forms.ts), each with the latest deactivation and the latest reactivation
 * seen, so the `activity_after_deactivation` alert knows of a deactivation made days before the
 * hour it judges without reading those days again (detect-activity-after-deactivation.ts). Every
 * hour a run reads notes the changes it holds ({@link noteUserStates}): those it evaluates, and
 * those it reads only to fold the login profile or to look for late lockouts. A run keeps the
 * changes of the last {@link USER_STATES_DAYS} days, fewer under a shorter `retention.maxDays`
 * ({@link keptDays}), at most {@link MAX_USER_STATES} users (those deactivated first:
 * {@link prunedUserStates}), and reads and writes this one small object. Lost or unreadable, it starts empty: the deactivations before are then known
 * only from the hour judged and the hour before it.
 */
import * as z from 'zod';
import { alertsStateKey } from '../lake/layout.ts';
import type { ObjectStore } from '../ports.ts';
import { DAY_MS } from '../time-units.ts';
import type { AlertEvent } from './alert-event.ts';
import { userStateChange } from './deactivation-forms.ts';

/** The most days a deactivation is remembered; {@link keptDays} shortens it to `retention.maxDays`. */
export const USER_STATES_DAYS = 90;

/**
 * The days a change is kept: {@link USER_STATES_DAYS}, or `maxDays` (`retention.maxDays`) when
 * shorter: the user ids and the admin's name are personal data, which ends at `maxDays` as the
 * lake's hours do (docs/privacy.md).
 */
export const keptDays = (maxDays: number | undefined): number =>
  maxDays === undefined ? USER_STATES_DAYS : Math.min(USER_STATES_DAYS, maxDays);

/** The most users remembered: those deactivated first, the newest first ({@link prunedUserStates}). */
export const MAX_USER_STATES = 10_000;

const userState = z.object({
  /** The latest deactivation seen: when, its event, and who made it (the event's user name). */
  off: z.object({ ms: z.number(), event_id: z.string(), by: z.string().nullable() }).optional(),
  /**
   * The latest reactivation seen. Kept without a deactivation too: hours are not read in time
   * order (a rebuild or a late pass reads older hours after newer ones), and a reactivation
   * dropped for want of its deactivation left that one, read next, in force for good.
   */
  on_ms: z.number().optional(),
});

const userStatesFile = z.object({
  version: z.literal(1),
  users: z.record(z.string(), userState),
});

export type UserState = z.infer<typeof userState>;

/** By `id:<the user id as written>` (never an object's own key, whatever the id). */
export type UserStates = Record<string, UserState>;

export const userStateKey = (userId: string): string => `id:${userId}`;

/** Notes one change in `states`: the latest deactivation and the latest reactivation, whatever the order. */
function noteChange(states: UserStates, key: string, state: 'off' | 'on', event: AlertEvent): void {
  const held = states[key] ?? {};
  const ms = event.event_time_ms;
  if (state === 'on') {
    if (ms > (held.on_ms ?? Number.NEGATIVE_INFINITY)) states[key] = { ...held, on_ms: ms };
    return;
  }
  if (held.off !== undefined && ms <= held.off.ms) return;
  states[key] = { ...held, off: { ms, event_id: event.event_id, by: event.user_name } };
}

/** Notes the deactivations and reactivations among `events` in `states`: the latest of each. */
export function noteUserStates(states: UserStates, events: readonly AlertEvent[]): void {
  for (const event of events) {
    const change = userStateChange(event);
    if (change !== null) noteChange(states, userStateKey(change.userId), change.state, event);
  }
}

/** The time of a state's latest change. */
const latestMs = (state: UserState): number =>
  Math.max(state.off?.ms ?? Number.NEGATIVE_INFINITY, state.on_ms ?? Number.NEGATIVE_INFINITY);

/**
 * Which the cap keeps first: 0, a deactivation in force (no reactivation at or after it, as the
 * detector reads them); 1, a deactivation since undone; 2, a reactivation alone. A reactivation
 * raises nothing and only guards against a deactivation read later, so a wave of them (a bulk
 * re-enable, an SSO sync), or of users deactivated and re-enabled, must not push out the users
 * still deactivated, whose activity the alert is for.
 */
const keptTier = (state: UserState): number => {
  if (state.off === undefined) return 2;
  return state.off.ms > (state.on_ms ?? Number.NEGATIVE_INFINITY) ? 0 : 1;
};

/** Of two states, the one the cap keeps first: the lower {@link keptTier}, then the newer. */
const keptFirst = (a: UserState, b: UserState): number =>
  keptTier(a) - keptTier(b) || latestMs(b) - latestMs(a);

/**
 * `states` without the changes older than {@link keptDays} before `nowMs` (a user left with none
 * goes), at most {@link MAX_USER_STATES} users: those still deactivated, then those deactivated
 * and since brought back, then those only reactivated ({@link keptTier}), the newest first in each.
 */
export function prunedUserStates(states: Readonly<UserStates>, nowMs: number, maxDays?: number): UserStates {
  const fromMs = nowMs - keptDays(maxDays) * DAY_MS;
  const kept = Object.entries(states)
    .map(([key, state]): [string, UserState] => [
      key,
      {
        ...(state.off !== undefined && state.off.ms >= fromMs ? { off: state.off } : {}),
        ...(state.on_ms !== undefined && state.on_ms >= fromMs ? { on_ms: state.on_ms } : {}),
      },
    ])
    .filter(([, state]) => latestMs(state) >= fromMs)
    .sort(([, a], [, b]) => keptFirst(a, b))
    .slice(0, MAX_USER_STATES);
  return Object.fromEntries(kept);
}

const KEY = (instance: string) => alertsStateKey(instance, 'user-states.json');

/** The states stored for `instance`; empty when none is stored or it does not read. */
export async function loadUserStates(store: ObjectStore, instance: string): Promise<UserStates> {
  const stored = await store.get(KEY(instance));
  if (!stored) return {};
  try {
    const parsed = userStatesFile.safeParse(JSON.parse(new TextDecoder().decode(stored.body)));
    return parsed.success ? parsed.data.users : {};
  } catch {
    return {};
  }
}

/**
 * Stores `states`, pruned as of `nowMs` ({@link prunedUserStates}, `maxDays` the deployment's
 * `retention.maxDays`), unless that is what the run read (`read`, as loaded): a change older than
 * {@link keptDays} goes on the first run after, whether or not the run saw a change, so the object
 * never keeps one longer than its stated bound. Returns whether it wrote.
 */
export async function saveUserStates(
  store: ObjectStore,
  instance: string,
  states: Readonly<UserStates>,
  read: Readonly<UserStates>,
  nowMs: number,
  maxDays?: number,
): Promise<boolean> {
  const users = prunedUserStates(states, nowMs, maxDays);
  if (JSON.stringify(users) === JSON.stringify(read)) return false;
  const body = JSON.stringify({ version: 1, users });
  await store.put(KEY(instance), new TextEncoder().encode(body), { contentType: 'application/json' });
  return true;
}
