/**
 * `privileged_change`: one alert per change to who may do what, the events `query admin_changes`
 * lists (privileged-objects.ts): a role raised, a user added to a group, an access token made, a
 * sign-in or SSO setting changed. Every other kind watches sign-ins: a Domo admin who signed in as
 * usual and then made themselves a token raised nothing (review R-INSIDER, 2026-12-06). One event
 * each, its id the event's, like `lockout`: a recheck finds the same alert, and old hours an
 * ingest rewrote are looked at too. When another user acted as the event's user (Domo's actor), the
 * evidence names who acted, and the alert carries them ({@link Alert.actor_id}).
 */

import { lakeTimestamp } from '../lake/layout.ts';
import { clip } from '../mail/clip.ts';
import { actedAsAnother } from '../privileged-change-actor.ts';
import { kindOfChange } from '../privileged-change-kind.ts';
import { type Alert, alertId } from './alert.ts';
import { alertAddresses } from './alert-addresses.ts';
import type { AlertEvent } from './alert-event.ts';
import { isPlaced, placeText } from './detect-failed-logins.ts';
import { byTime, type DetectionInput, declaredDetector, inPeriod } from './detection.ts';
import { oneLine } from './one-line.ts';
import { isPrivilegedChange } from './privileged-objects.ts';
import { userIdOf } from './user-id.ts';

/**
 * Characters of each Domo text the evidence holds: an alert waits in the checkpoint until sent, and
 * a name or comment may be long. The event in the lake has them whole.
 */
const TEXT_CHARS = 160;

const text = (value: string | null): string => clip(oneLine(value), TEXT_CHARS);

/**
 * Who acted as the event's user, when someone else did: Domo writes `0` (or nothing) for nobody.
 * Told as admin_changes.sql and the weekly report tell it (privileged-change-actor.ts,
 * `actedAsAnother`: the ids compared exactly), and the actor's id kept as written, the id the
 * report's doer and its `doer_id` filter carry. Until 2026-12-07 both ids were compared after
 * JavaScript's `trim()` and the actor's kept trimmed: an actor ` 7` acting as user `7` was done as
 * another to the report (and to the alert's own `change_kind`), and by the user to the evidence.
 */
export function actorOf(event: AlertEvent): { id: string; name: string | null } | undefined {
  const people = {
    userId: event.user_id,
    userName: event.user_name,
    actorId: event.actor_id,
    actorName: event.actor_name,
  };
  if (!actedAsAnother(people) || event.actor_id === null) return undefined;
  return { id: event.actor_id, name: event.actor_name === '' ? null : event.actor_name };
}

/** `ACCESS_TOKEN "Yara sync" (id 922471)`: the object changed. */
function objectText(event: AlertEvent): string {
  const name = text(event.object_name);
  const id = text(event.object_id);
  return [text(event.object_type), name === '' ? '' : `"${name}"`, id === '' ? '' : `(id ${id})`]
    .filter((part) => part !== '')
    .join(' ');
}

/**
 * `Access token created: ACCESS_TOKEN "Yara sync" (id 922471); Domo's comment: "…"; by Ann Lee
 * (42) acting as this user; from IP 88.72.181.75 (DE, AS3320 Deutsche Telekom AG)`.
 */
function evidenceOf(event: AlertEvent): string {
  const what = text(event.event_text) || text(event.action_type) || 'changed';
  const comment = text(event.additional_comment);
  const actor = actorOf(event);
  const actorText =
    actor === undefined ? '' : `; by ${text(actor.name) || 'user'} (${text(actor.id)}) acting as this user`;
  const ip = text(event.ip_address);
  const place = placeText(event);
  const from = ip === '' ? '; no recorded IP address' : `; from IP ${ip}${place === '' ? '' : ` (${place})`}`;
  return `${what}: ${objectText(event)}${comment === '' ? '' : `; Domo's comment: "${comment}"`}${actorText}${from}`;
}

/**
 * The change's kind, read as the weekly report reads it (privileged-change-kind.ts): the message
 * lists the gravest first. From the whole fields, not the clipped evidence.
 */
const changeKindOf = (event: AlertEvent) =>
  kindOfChange({
    userId: event.user_id,
    userName: event.user_name,
    actorId: event.actor_id,
    actorName: event.actor_name,
    actionType: event.action_type,
    objectType: event.object_type,
    objectId: event.object_id,
    objectName: event.object_name,
    comment: event.additional_comment,
  });

/** A twin's id: the first copy's 64 hex digits, then `-k` (twin-entries.ts). */
const TWIN_ID = /^([0-9a-f]{64})-[0-9]+$/;

/**
 * The period's changes, each with the twins Domo served of it (`X-1`, `X-2`, … of `X`: entries
 * byte for byte alike, so one change). A twin whose first copy is not among them stands alone.
 */
function foldTwins(events: readonly AlertEvent[]): { event: AlertEvent; twins: string[] }[] {
  const byId = new Map(events.map((event) => [event.event_id, { event, twins: [] as string[] }]));
  const folded: { event: AlertEvent; twins: string[] }[] = [];
  for (const event of events) {
    const first = byId.get(TWIN_ID.exec(event.event_id)?.[1] ?? '');
    if (first === undefined) folded.push(byId.get(event.event_id) ?? { event, twins: [] });
    else first.twins.push(event.event_id);
  }
  return folded;
}

/** The evidence's note of a change Domo served more than once. */
const twinNote = (eventId: string, twins: readonly string[]): string =>
  twins.length === 0
    ? ''
    : `; Domo served it ${twins.length + 1} times (event ${eventId.slice(0, 12)}… and its twin${twins.length > 1 ? 's' : ''} ${twins.map((id) => id.slice(64)).join(', ')})`;

/**
 * The alert of one change. Its id is the first copy's alone, as before twins were folded: an alert
 * raised for it before the upgrade is recognised; the twins' ids are among its events.
 */
function alertOf(input: DetectionInput, event: AlertEvent, twins: readonly string[] = []): Alert {
  const actor = actorOf(event);
  return {
    id: alertId(input.instance, 'privileged_change', [event.event_id]),
    instance: input.instance,
    kind: 'privileged_change',
    user_id: userIdOf(event),
    user_name: event.user_name,
    event_time: lakeTimestamp(event.event_time_ms),
    event_time_ms: event.event_time_ms,
    evidence: `${evidenceOf(event)}${twinNote(event.event_id, twins)}`,
    change_kind: changeKindOf(event),
    ip_address: event.ip_address,
    event_ids: [event.event_id, ...twins],
    ...(isPlaced(event) && event.geo_db_version !== null ? { geo_db_version: event.geo_db_version } : {}),
    ...(actor === undefined
      ? {}
      : { actor_id: actor.id, ...(actor.name === null ? {} : { actor_name: actor.name }) }),
    // What an expected-activity rule's `ip` and `country` must hold (quiet-alerts.ts).
    ...alertAddresses([event]),
  };
}

/** One alert per privileged change of the period, a change Domo served twice (`X`, `X-1`) once. */
export const detectPrivilegedChanges = declaredDetector(
  { kinds: ['privileged_change'], reads: ['other'], readsProfile: false, inOldHours: true },
  (input: DetectionInput): Alert[] =>
    foldTwins(
      input.events.filter((event) => isPrivilegedChange(event) && inPeriod(event, input)).sort(byTime),
    ).map(({ event, twins }) => alertOf(input, event, twins)),
);
