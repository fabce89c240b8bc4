/**
 * The order of geo database versions. A version names its sources and their package versions
 * (`dbip-country@2.3.2026060120+asn@2.3.2026061719`), and an ip-location-db package version ends
 * in its data's publication hour (`YYYYMMDDHH`): what tells an older database from a newer one.
 * Since lookup rules 2 it ends in the revision of the rules that read an address too
 * (`…+rules@2.0.2026120420`, {@link GEO_LOOKUP_RULES}): the same data read by other rules places
 * some addresses elsewhere, and the records must say which rules placed them.
 *
 * The tag is written like a package version ending in a 10-digit stamp because releases before
 * rules 2 parse every part as `<source>@<…YYYYMMDDHH>` and order nothing when a part does not
 * end in one: a bare `rules@2` made them take records of newer data as not newer, and a
 * rolled-back plain `enrich` rewrote them with older data. Written so, a part named `rules`,
 * which their own version does not have, is ignored by them, and the data still ordered.
 */

/**
 * The revision of the rules that turn an `ipAddress` text into the address looked up
 * (functions/core/geo/ip-address.ts). Raise it whenever they place some text differently; the
 * build writes it into the database's version, so every record carries it and `enrich` re-places
 * records placed by older rules. 1: versions without the tag. 2: ports read, octets with a
 * leading zero refused (so passed over in a list, as any unreadable entry).
 */
export const GEO_LOOKUP_RULES = 2;

/**
 * The hour (`YYYYMMDDHH`) the current rules revision was made, which ends its tag: only there for
 * older releases' parser (see above), never compared by this one. Set it anew with each revision.
 */
export const GEO_LOOKUP_RULES_STAMP = '2026120420';

const RULES_PART = 'rules@';

/** `N`, or `N.0.YYYYMMDDHH` as written since: `N` is the revision. */
const RULES_TAG = /^(\d+)(?:\.0\.\d{10})?$/;

const isRulesPart = (part: string): boolean => part.startsWith(RULES_PART);

/**
 * The lookup rules revision a version was placed by: its `rules@N.0.YYYYMMDDHH` part (or
 * `rules@N`, as the first builds of rules 2 wrote it), 1 without one.
 */
export function lookupRulesOf(version: string): number {
  for (const part of version.split('+')) {
    const tag = isRulesPart(part) ? RULES_TAG.exec(part.slice(RULES_PART.length)) : null;
    if (tag) return Number(tag[1]);
  }
  return 1;
}

/** A version of data packages with the lookup rules' tag: `<data>+rules@N.0.YYYYMMDDHH`. */
export const withLookupRules = (
  dataVersion: string,
  rules = GEO_LOOKUP_RULES,
  stamp = GEO_LOOKUP_RULES_STAMP,
): string => `${dataVersion}+${RULES_PART}${rules}.0.${stamp}`;

/** The publication hour (`YYYYMMDDHH`) an ip-location-db package version ends in, if any. */
const publicationHour = (packageVersion: string): string | undefined => /(\d{10})$/.exec(packageVersion)?.[1];

/** The date (`YYYY-MM-DD`) an ip-location-db package version's data was published; undefined without one. */
export function releaseDateOf(packageVersion: string): string | undefined {
  const hour = publicationHour(packageVersion);
  return hour === undefined ? undefined : `${hour.slice(0, 4)}-${hour.slice(4, 6)}-${hour.slice(6, 8)}`;
}

/**
 * The release date of a geo database version: its oldest source's publication date, as the
 * database is only as current as its oldest part (what `status` shows as "released"). Undefined
 * when no source is dated (versions of another form, as tests use).
 */
export function geoReleaseDate(version: string): string | undefined {
  const dates = version
    .split('+')
    .filter((part) => !isRulesPart(part))
    .map(releaseDateOf)
    .filter((date): date is string => date !== undefined);
  return dates.sort()[0];
}

/** Each source's publication hour, by source name; undefined when a part does not end in one. */
function stampsOf(version: string): Map<string, string> | undefined {
  const stamps = new Map<string, string>();
  for (const part of version.split('+')) {
    if (isRulesPart(part)) continue;
    const at = part.indexOf('@');
    const hour = publicationHour(part);
    if (at <= 0 || hour === undefined) return undefined;
    stamps.set(part.slice(0, at), hour);
  }
  return stamps;
}

/**
 * Whether the database `other` is newer than `current`: read by newer lookup rules, or holding
 * data published after `current`'s (a source of both published later in `other`). One source
 * later and another earlier counts as newer too: replacing its answers would roll that source
 * back; so do newer data read by older rules. The data of versions that share no dated source
 * (versions of another form, as tests use) are never ordered.
 */
export function isNewerGeoVersion(other: string, current: string): boolean {
  if (other === current) return false;
  if (lookupRulesOf(other) > lookupRulesOf(current)) return true;
  const theirs = stampsOf(other);
  const ours = stampsOf(current);
  if (!theirs || !ours) return false;
  for (const [source, stamp] of theirs) {
    const own = ours.get(source);
    if (own !== undefined && stamp > own) return true;
  }
  return false;
}

/** Whether `current` reads addresses by newer lookup rules than those that placed `stored`. */
export const hasNewerLookupRules = (current: string, stored: string): boolean =>
  lookupRulesOf(current) > lookupRulesOf(stored);
