/**
 * The place alerts already taken in (`new_country`, `new_network`, `impossible_travel`), by alert
 * id: what place each named ({@link placeOf}). The alerts checkpoint keeps them for the hours a
 * recheck may evaluate again, so that a place a late, earlier sign-in moved to itself is
 * recognised as one already sent. Such a sign-in (a second sign-in from DE at 08:10, stored after
 * the 08:30 one was alerted) becomes the user's first from the country, the owner and the journey:
 * the recheck finds all three again under its id and no longer finds those of 08:30. Compact on
 * purpose: the id and a short place (`c DE u1`), about 50 bytes of JSON per alert; place alerts
 * are few.
 */
import { floorHour } from '../time-units.ts';
import type { Alert } from './alert.ts';

/** {@link placeOf} by the id of the alert taken in. */
type RaisedPlaces = Record<string, string>;

/*
 * The places as detect-suspicious-logins.ts words the evidence (the SQL's words, which a test
 * compares with it): `first login from DE in …`, `first login from network owner AS3320 (…`,
 * `US to DE: 7861 km in 10 min; …`. A journey was `US -> DE: …` before it read well aloud, and
 * alerts taken in then are still held, in checkpoints and in lakes' archives: both are places.
 */
const NEW_COUNTRY = /^first login from (\S+) in /;
const NEW_OWNER = /^first login from network owner AS(\d+) /;
const JOURNEY = /^(\S+) (?:to|->) (\S+): /;

/**
 * What a place alert is about, with its kind and user: `c DE u1` (country), `n 3320 u1` (owner),
 * `t US DE u1` (journey). Undefined for the other kinds, and for evidence worded otherwise (such
 * an alert is sent as before, never held back).
 */
export function placeOf(alert: Alert): string | undefined {
  const user = alert.user_id ?? '';
  if (alert.kind === 'new_country') {
    const country = NEW_COUNTRY.exec(alert.evidence)?.[1];
    return country === undefined ? undefined : `c ${country} ${user}`;
  }
  if (alert.kind === 'new_network') {
    const asn = NEW_OWNER.exec(alert.evidence)?.[1];
    return asn === undefined ? undefined : `n ${asn} ${user}`;
  }
  if (alert.kind !== 'impossible_travel') return undefined;
  const journey = JOURNEY.exec(alert.evidence);
  return journey ? `t ${journey[1]} ${journey[2]} ${user}` : undefined;
}

/** What a recheck tells of the place alerts taken in before it. */
interface PlaceRecheck {
  /** The place alerts taken in, by id, and the hour of each ({@link AlertCheckpoint} `recent`). */
  places: Readonly<RaisedPlaces>;
  recent: Readonly<Record<string, number>>;
  /** Hours the evaluation judged again in full (a recheck cut short judged none). */
  evaluated: ReadonlyMap<number, string>;
  /** Ids of every alert the evaluation found. */
  found: ReadonlySet<string>;
}

/**
 * Whether `alert`, under an id not taken in, is a place already sent that a late sign-in moved:
 * one of the same kind, user and place was taken in for its hour or a later one, that hour was
 * judged again, and the alert taken in was no longer found there, and sent: one the
 * expected-activity list quieted is recorded apart ({@link QUIETED_PLACE}). A place alert taken in that is
 * still found is another finding (the user went back and came again: a second journey), so what
 * is new beside it is sent.
 */
export function isMovedPlace(alert: Alert, recheck: PlaceRecheck): boolean {
  const place = placeOf(alert);
  if (place === undefined) return false;
  const hour = floorHour(alert.event_time_ms);
  return Object.entries(recheck.places).some(([id, held]) => {
    const heldHour = recheck.recent[id];
    return (
      held === place &&
      heldHour !== undefined &&
      heldHour >= hour &&
      recheck.evaluated.has(heldHour) &&
      !recheck.found.has(id)
    );
  });
}

/**
 * How a place whose alert the expected-activity list quieted is recorded: `c DE u1 quieted`. It
 * was not sent, so a place a late sign-in moved from it is not "already sent": it is judged
 * against the list again (review R-MUTE M3), where it may no longer match (a sign-in from an
 * address the rule does not cover) and is then sent. Never equal to a {@link placeOf}.
 */
const QUIETED_PLACE = ' quieted';

/** Records the place alerts among `alerts` (taken in) in `places`, those in `quieted` marked so. */
export function recordRaisedPlaces(
  places: RaisedPlaces,
  alerts: readonly Alert[],
  quieted: { has(id: string): boolean },
): void {
  for (const alert of alerts) {
    const place = placeOf(alert);
    if (place !== undefined) places[alert.id] = quieted.has(alert.id) ? `${place}${QUIETED_PLACE}` : place;
  }
}

/** The places whose alert the checkpoint still holds among the recent ones (the others are not rechecked). */
export const raisedPlacesIn = (
  places: Readonly<RaisedPlaces>,
  recent: Readonly<Record<string, number>>,
): RaisedPlaces => Object.fromEntries(Object.entries(places).filter(([id]) => Object.hasOwn(recent, id)));
