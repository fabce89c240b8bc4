import { GEO_ATTRIBUTION, GEO_ATTRIBUTION_LINKS } from './country-names.ts';
import { geoReleaseDate } from './geo-db-version.ts';

/**
 * What a mail that shows places says of the geo data: which releases placed its sign-ins, then the
 * data's attribution. Addresses move between countries and network owners from month to month, so
 * a reader judging a surprising place needs to know how old the data that placed it was.
 */

/** Dates listed one by one up to this many; more are given as their range. */
const LISTED_RELEASES = 3;

/** A version of another form is named as it is, but no longer than this (it comes from the lake). */
const VERSION_CHARS = 80;

const clipped = (version: string): string =>
  version.length > VERSION_CHARS ? `${version.slice(0, VERSION_CHARS - 1)}…` : version;

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * A journey's two sign-ins' geo databases: the departure's (the user's previous sign-in) may have
 * been placed by an older release than the arrival's (enriched before a geo data update).
 */
interface JourneyReleases {
  departure: string;
  arrival: string;
}

type Role = 'departure' | 'arrival';

/** How a version is shown: its release date, or its name when it has none. */
const shownAs = (version: string): { date: string } | { name: string } => {
  const date = geoReleaseDate(version);
  return date === undefined ? { name: clipped(version) } : { date };
};

const keyOf = (shown: { date: string } | { name: string }): string =>
  'date' in shown ? `d ${shown.date}` : `n ${shown.name}`;

/**
 * The roles each shown release plays in the journeys whose departure and arrival are shown as two
 * releases (by {@link keyOf}); none when every journey's two are shown alike, as one release.
 */
function journeyRoles(journeys: readonly JourneyReleases[]): Map<string, Set<Role>> {
  const roles = new Map<string, Set<Role>>();
  const add = (key: string, role: Role) => roles.set(key, (roles.get(key) ?? new Set()).add(role));
  for (const { departure, arrival } of journeys) {
    // An arrival no release is known for: the departure's release still says which end it placed.
    if (arrival === '') {
      add(keyOf(shownAs(departure)), 'departure');
      continue;
    }
    const [from, to] = [keyOf(shownAs(departure)), keyOf(shownAs(arrival))];
    if (from === to) continue;
    add(from, 'departure');
    add(to, 'arrival');
  }
  return roles;
}

/** `2026-06-01 (departure)`: a release with the roles it played in a journey, if any. */
const labelled = (text: string, roles: ReadonlySet<Role> | undefined): string => {
  if (roles === undefined) return text;
  const named = (['departure', 'arrival'] as const).filter((role) => roles.has(role));
  return `${text} (${named.join(' and ')})`;
};

function datesPhrase(dates: readonly string[], roles: ReadonlyMap<string, Set<Role>>): string | undefined {
  if (dates.length === 0) return undefined;
  if (dates.length <= LISTED_RELEASES)
    return `released ${listed(dates.map((date) => labelled(date, roles.get(`d ${date}`))))}`;
  return `released ${dates[0]} to ${dates.at(-1)} (${dates.length} releases)`;
}

function othersPhrase(others: readonly string[], roles: ReadonlyMap<string, Set<Role>>): string | undefined {
  if (others.length === 0) return undefined;
  const shown = others.map((name) => labelled(name, roles.get(`n ${name}`)));
  if (others.length <= LISTED_RELEASES) return listed(shown);
  const named = shown.slice(0, LISTED_RELEASES - 1);
  return `${named.join(', ')} and ${others.length - named.length} other versions`;
}

/**
 * `Places from geo data released 2026-06-01.` for the `geo_db_version`s of the sign-ins placed (in
 * any order, repeats allowed); the releases by their date (the version's oldest source, as `status`
 * dates the installed database), a version without a dated source by its name. Undefined when none
 * was placed: then there is nothing to date. With `journeys` (impossible travel), a departure
 * placed by another release than its arrival is dated too and each release says which end it
 * placed: `released 2026-06-01 (departure) and 2026-09-01 (arrival)`.
 */
export function geoReleasesNote(
  versions: readonly string[],
  journeys: readonly JourneyReleases[] = [],
): string | undefined {
  const dates = new Set<string>();
  const others = new Set<string>();
  const all = [...versions, ...journeys.flatMap((j) => [j.departure, j.arrival])];
  for (const version of all) {
    if (version === '') continue;
    const shown = shownAs(version);
    if ('date' in shown) dates.add(shown.date);
    else others.add(shown.name);
  }
  const roles = journeyRoles(journeys.filter((j) => j.departure !== ''));
  const phrases = [datesPhrase([...dates].sort(), roles), othersPhrase([...others].sort(), roles)].filter(
    (phrase): phrase is string => phrase !== undefined,
  );
  return phrases.length === 0 ? undefined : `Places from geo data ${phrases.join(' and ')}.`;
}

/** {@link geoReleasesNote} of `versions` and `journeys`, when there is one, then {@link GEO_ATTRIBUTION}. */
export const geoCredit = (versions: readonly string[], journeys: readonly JourneyReleases[] = []): string =>
  [geoReleasesNote(versions, journeys), GEO_ATTRIBUTION].filter((part) => part !== undefined).join(' ');

/**
 * {@link geoCredit} for an HTML part, escaped by the mail's `esc` (geo knows no mail): each source
 * of the attribution a link to its address (`<a href="https://db-ip.com">DB-IP</a>`), as DB-IP's
 * terms ask of a page that shows its data. The only links of the mails: fixed addresses of this
 * code, never a Domo string (docs/report.md).
 */
export function geoCreditHtml(
  esc: (text: string) => string,
  versions: readonly string[],
  journeys: readonly JourneyReleases[] = [],
): string {
  // Linked inside the fixed attribution only: a version read from the lake comes first and may
  // hold the same text (review R-LOOKB F2).
  let attribution = esc(GEO_ATTRIBUTION);
  for (const { name, url } of GEO_ATTRIBUTION_LINKS) {
    attribution = attribution.replace(esc(`${name} (${url})`), `<a href="${esc(url)}">${esc(name)}</a>`);
  }
  const releases = geoReleasesNote(versions, journeys);
  return releases === undefined ? attribution : `${esc(releases)} ${attribution}`;
}
