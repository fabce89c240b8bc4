import { geoCredit, geoCreditHtml } from '../geo/geo-credit.ts';
import { esc } from '../mail/html-escape.ts';
import { unlinked } from '../mail/mail-links.ts';
import type { Alert, AlertKind } from './alert.ts';
import type { Note } from './message-note.ts';

/**
 * When a kind's evidence names places (countries, network owners) from the geo data, so that the
 * message credits it: a sign-in's place kinds always; the failure kinds when the geo data placed
 * any of their addresses (they carry the release that did only then: detect-failed-logins.ts); the
 * hour of a sign-in never. A record of every kind, so a new kind does not compile without the
 * choice (review R-CONTRIB H1).
 */
const NAMES_PLACES = {
  impossible_travel: 'always',
  new_country: 'always',
  new_network: 'always',
  lockout: 'when placed',
  failed_login_burst: 'when placed',
  password_spray: 'when placed',
  login_after_failures: 'when placed',
  login_after_spray: 'when placed',
  unusual_hour: 'never',
  privileged_change: 'when placed',
  bulk_export: 'when placed',
  activity_after_deactivation: 'when placed',
} as const satisfies Record<AlertKind, 'always' | 'when placed' | 'never'>;

/** Whether `alert`'s evidence names places ({@link NAMES_PLACES}). */
const namesPlaces = (alert: Alert): boolean =>
  NAMES_PLACES[alert.kind] === 'always' ||
  (NAMES_PLACES[alert.kind] === 'when placed' && alert.geo_db_version !== undefined);

/**
 * The geo data's credit when a listed alert names a place: the releases that placed those alerts'
 * sign-ins or failures (a place is only as current as its release), with a journey's departure when another
 * release placed it, then the attribution (its licence, CC BY 4.0, asks for it wherever the data
 * is shown, as the weekly report's footer gives it).
 */
export function geoNote(listed: readonly Alert[]): Note | undefined {
  const placed = listed.filter(namesPlaces);
  if (placed.length === 0) return undefined;
  // Versions are read from the lake, shown as they are when they do not parse: defanged as any
  // text from there (review R-LOOKB F2), so only the attribution carries a link.
  const journeys = placed.flatMap(({ kind, geo_db_version: arrival, departure_geo_db_version: departure }) =>
    kind === 'impossible_travel' && departure !== undefined
      ? [{ departure: unlinked(departure), arrival: unlinked(arrival ?? '') }]
      : [],
  );
  const versions = placed.flatMap((alert) =>
    alert.geo_db_version === undefined ? [] : [unlinked(alert.geo_db_version)],
  );
  return { text: geoCredit(versions, journeys), html: geoCreditHtml(esc, versions, journeys) };
}
