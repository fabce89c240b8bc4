/**
 * `activity_after_deactivation`: something acting in the name of a user deactivated or deleted
 * before (deactivation-forms.ts): a sign-in, a privileged change or an export (those the run
 * reads: alert-event.ts) whose user, or whose actor acting as another, is that user, with no
 * reactivation of them in between. An access token, a scheduled export, an API client or a session
 * that outlived the offboarding is what security wants to know of at once, and no other kind says
 * it: the leaver's token made the day before looked like any other of their changes.
 *
 * The deactivation is known from the period and the hour before it, and from what earlier hours
 * noted (user-states.ts: the last 90 days, fewer under a shorter `retention.maxDays`, kept by the
 * alerts runs): no query, one small object a run. The state changes themselves are not activity
 * (Domo's record of one may carry the user).
 *
 * One alert per user, deactivation and UTC day of the activity: its id is the deactivation's event
 * id and that day's, so a recheck, the next hour of the same day and the next run all find the same
 * alert (taken in once); activity that goes on is told again the next day. An hour whose user had
 * such activity in the hour before, on the same day, raises nothing: that hour raised it.
 */
import { lakeTimestamp, utcDate } from '../lake/layout.ts';
import { clip } from '../mail/clip.ts';
import { DAY_MS } from '../time-units.ts';
import { type Alert, alertId } from './alert.ts';
import { alertAddresses } from './alert-addresses.ts';
import type { AlertEvent } from './alert-event.ts';
import { userStateChange } from './deactivation-forms.ts';
import { placedIpList } from './detect-failed-logins.ts';
import { byTime, type DetectionInput, declaredDetector, inPeriod } from './detection.ts';
import { oneLine } from './one-line.ts';
import { userIdOf } from './user-id.ts';
import { keptDays, type UserState, type UserStates, userStateKey } from './user-states.ts';

/**
 * What the detector reads: a period's input, the user states earlier hours noted, and the
 * deployment's `retention.maxDays` (user-states.ts, {@link keptDays}).
 */
export type DeactivationInput = DetectionInput & {
  userStates?: Readonly<UserStates>;
  maxDays?: number | undefined;
};

/** Events the evidence names before `and N more`. */
const NAMED_EVENTS = 5;

/** Characters of each Domo text the evidence holds (the alert waits in the checkpoint until sent). */
const TEXT_CHARS = 80;

const text = (value: string | null): string => clip(oneLine(value), TEXT_CHARS);

/** One change of a user's state, in time. */
interface Change {
  ms: number;
  state: 'off' | 'on';
  eventId: string;
  by: string | null;
}

/** Each user's state changes, from the earlier hours' record and the view, in time order. */
function timelines(view: readonly AlertEvent[], states: Readonly<UserStates>): Map<string, Change[]> {
  const lines = new Map<string, Change[]>();
  const add = (key: string, change: Change) => {
    const line = lines.get(key);
    if (line === undefined) lines.set(key, [change]);
    else line.push(change);
  };
  for (const [key, state] of Object.entries(states) as [string, UserState][]) {
    if (state.off !== undefined)
      add(key, { ms: state.off.ms, state: 'off', eventId: state.off.event_id, by: state.off.by });
    if (state.on_ms !== undefined) add(key, { ms: state.on_ms, state: 'on', eventId: '', by: null });
  }
  for (const event of view) {
    const change = userStateChange(event);
    if (change === null) continue;
    const { state, userId } = change;
    add(userStateKey(userId), {
      ms: event.event_time_ms,
      state,
      eventId: event.event_id,
      by: event.user_name,
    });
  }
  // A reactivation at the same millisecond as a deactivation is taken as after it.
  for (const line of lines.values())
    line.sort((a, b) => a.ms - b.ms || (a.state === b.state ? 0 : a.state === 'off' ? -1 : 1));
  return lines;
}

/**
 * The deactivation in force at `ms` (the latest change before it is one, made at `keptFromMs` or
 * later), or undefined.
 */
function offAt(line: readonly Change[] | undefined, ms: number, keptFromMs: number): Change | undefined {
  let last: Change | undefined;
  for (const change of line ?? []) {
    if (change.ms >= ms) break;
    last = change;
  }
  return last?.state === 'off' && last.ms >= keptFromMs ? last : undefined;
}

/** Who `event` acts as: its user, and its actor when one other than the user is named. */
function namesOf(event: AlertEvent): { id: string; name: string | null; asActor: boolean }[] {
  const user = userIdOf(event);
  const actor = event.actor_id === null ? null : userIdOf({ user_id: event.actor_id });
  const names = user === null ? [] : [{ id: user, name: event.user_name, asActor: false }];
  if (actor !== null && actor !== user)
    names.push({ id: actor, name: event.actor_name === '' ? null : event.actor_name, asActor: true });
  return names;
}

/** One user's activity after one deactivation on one UTC day. */
interface Found {
  userId: string;
  userName: string | null;
  off: Change;
  day: string;
  events: AlertEvent[];
  asActor: boolean[];
}

/** `10:05 UTC sign-in`, `10:20 UTC CREATED ACCESS_TOKEN "Yara sync" (as actor)`. */
function eventText(event: AlertEvent, asActor: boolean): string {
  const at = `${lakeTimestamp(event.event_time_ms).slice(11, 16)} UTC`;
  const what =
    event.category === 'login'
      ? 'sign-in'
      : [
          text(event.action_type),
          text(event.object_type),
          event.object_name ? `"${text(event.object_name)}"` : '',
        ]
          .filter((part) => part !== '')
          .join(' ');
  return `${at} ${what}${asActor ? ' (acting as another user)' : ''}`;
}

function alertOf(input: DetectionInput, found: Found): Alert {
  const events = found.events;
  const first = events[0] as AlertEvent;
  const named = events.slice(0, NAMED_EVENTS).map((e, i) => eventText(e, found.asActor[i] ?? false));
  const more = events.length > NAMED_EVENTS ? ` and ${events.length - NAMED_EVENTS} more` : '';
  const by = found.off.by === null || found.off.by === '' ? '' : ` by ${text(found.off.by)}`;
  const from = placedIpList(events);
  return {
    id: alertId(input.instance, 'activity_after_deactivation', [found.off.eventId, `day:${found.day}`]),
    instance: input.instance,
    kind: 'activity_after_deactivation',
    user_id: found.userId,
    user_name: found.userName,
    event_time: lakeTimestamp(first.event_time_ms),
    event_time_ms: first.event_time_ms,
    evidence: `deactivated or deleted at ${lakeTimestamp(found.off.ms).slice(0, 16)} UTC${by}, yet ${events.length} event${events.length === 1 ? '' : 's'} in this user's name since: ${named.join(', ')}${more}; from ${from.text}`,
    ip_address: first.ip_address,
    event_ids: [found.off.eventId, ...events.map((e) => e.event_id)],
    ...(from.geoDbVersion === undefined ? {} : { geo_db_version: from.geoDbVersion }),
    // What an expected-activity rule's `ip` and `country` must hold (quiet-alerts.ts).
    ...alertAddresses(events),
  };
}

/** The activity after a deactivation in the view, by user, deactivation and UTC day. */
function findings(input: DeactivationInput): Map<string, Found & { before: boolean }> {
  const view = [...input.before, ...input.events].sort(byTime);
  const lines = timelines(view, input.userStates ?? {});
  // A deactivation older than the days the states keep is forgotten as the hourly runs forget it
  // (pruned when saved): a run over many hours, a first catch-up or a local run alike.
  const keptFromMs = input.fromMs - keptDays(input.maxDays) * DAY_MS;
  const found = new Map<string, Found & { before: boolean }>();
  for (const event of view) {
    if (userStateChange(event) !== null) continue;
    for (const { id, name, asActor } of namesOf(event)) {
      const off = offAt(lines.get(userStateKey(id)), event.event_time_ms, keptFromMs);
      if (off === undefined) continue;
      const day = utcDate(event.event_time_ms);
      const key = JSON.stringify([id, off.eventId, day]);
      const group = found.get(key) ?? {
        userId: id,
        userName: name,
        off,
        day,
        events: [],
        asActor: [],
        before: false,
      };
      if (!inPeriod(event, input)) group.before = true;
      else {
        group.events.push(event);
        group.asActor.push(asActor);
        group.userName = name ?? group.userName;
      }
      found.set(key, group);
    }
  }
  return found;
}

/** One alert per user, deactivation and day with activity in the period and none in the hour before. */
export const detectActivityAfterDeactivation = declaredDetector(
  {
    kinds: ['activity_after_deactivation'],
    reads: ['login', 'other'],
    readsProfile: false,
    inOldHours: false,
  },
  (input: DeactivationInput): Alert[] =>
    [...findings(input).values()]
      .filter((group) => !group.before && group.events.length > 0)
      .map((group) => alertOf(input, group)),
);
