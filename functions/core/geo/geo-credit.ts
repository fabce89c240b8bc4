import { GEO_ATTRIBUTION } from './country-names.ts';
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

function datesPhrase(dates: readonly string[]): string | undefined {
  if (dates.length === 0) return undefined;
  if (dates.length <= LISTED_RELEASES) return `released ${listed(dates)}`;
  return `released ${dates[0]} to ${dates.at(-1)} (${dates.length} releases)`;
}

function othersPhrase(others: readonly string[]): string | undefined {
  if (others.length === 0) return undefined;
  if (others.length <= LISTED_RELEASES) return listed(others);
  const named = others.slice(0, LISTED_RELEASES - 1);
  return `${named.join(', ')} and ${others.length - named.length} other versions`;
}

/**
 * `Places from geo data released 2026-06-01.` for the `geo_db_version`s of the sign-ins placed (in
 * any order, repeats allowed); the releases by their date (the version's oldest source, as `status`
 * dates the installed database), a version without a dated source by its name. Undefined when none
 * was placed: then there is nothing to date.
 */
export function geoReleasesNote(versions: readonly string[]): string | undefined {
  const dates = new Set<string>();
  const others = new Set<string>();
  for (const version of versions) {
    if (version === '') continue;
    const date = geoReleaseDate(version);
    if (date === undefined) others.add(clipped(version));
    else dates.add(date);
  }
  const phrases = [datesPhrase([...dates].sort()), othersPhrase([...others].sort())].filter(
    (phrase): phrase is string => phrase !== undefined,
  );
  return phrases.length === 0 ? undefined : `Places from geo data ${phrases.join(' and ')}.`;
}

/** {@link geoReleasesNote} of `versions`, when there is one, then {@link GEO_ATTRIBUTION}. */
export const geoCredit = (versions: readonly string[]): string =>
  [geoReleasesNote(versions), GEO_ATTRIBUTION].filter((part) => part !== undefined).join(' ');
