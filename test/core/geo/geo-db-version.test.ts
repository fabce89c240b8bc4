import { describe, expect, it } from 'vitest';
import {
  GEO_LOOKUP_RULES,
  geoReleaseDate,
  isNewerGeoVersion,
  lookupRulesOf,
  releaseDateOf,
  withLookupRules,
} from '../../../functions/core/geo/geo-db-version.ts';

const version = (country: string, asn: string) => `dbip-country@2.3.${country}+asn@2.3.${asn}`;

describe('isNewerGeoVersion', () => {
  it('orders versions by the publication hour of their sources', () => {
    const june = version('2026060120', '2026061719');
    const november = version('2026110120', '2026111719');
    expect(isNewerGeoVersion(november, june)).toBe(true);
    expect(isNewerGeoVersion(june, november)).toBe(false);
    expect(isNewerGeoVersion(june, june)).toBe(false);
  });

  it('takes one source published later as newer, though the other is older', () => {
    expect(isNewerGeoVersion(version('2026110120', '2026051719'), version('2026060120', '2026061719'))).toBe(
      true,
    );
  });

  it('does not order versions without dated sources, or with none in common', () => {
    expect(isNewerGeoVersion('geo@3', 'geo@2')).toBe(false);
    expect(isNewerGeoVersion('other@1.0.2099010100', version('2026060120', '2026061719'))).toBe(false);
  });
});

describe('the release date of a geo database version', () => {
  it('reads the data date from a package version', () => {
    expect(releaseDateOf('2.3.2026060120')).toBe('2026-06-01');
    expect(releaseDateOf('1.0.0')).toBeUndefined();
  });

  // What status shows as "released": a database is only as current as its oldest part.
  it("is the oldest source's date", () => {
    expect(geoReleaseDate(version('2026060120', '2026061719'))).toBe('2026-06-01');
    expect(geoReleaseDate(version('2026070120', '2026061719'))).toBe('2026-06-17');
    expect(geoReleaseDate('dbip-country@2.3.2026060120+asn@1.0.0')).toBe('2026-06-01');
  });

  it('is undefined for versions without a dated source', () => {
    expect(geoReleaseDate('geo@2')).toBeUndefined();
    expect(geoReleaseDate('')).toBeUndefined();
  });
});

describe('the lookup rules a version names', () => {
  const june = version('2026060120', '2026061719');
  const november = version('2026110120', '2026111719');

  it('reads rules@N, and versions without the tag as rules 1', () => {
    expect(lookupRulesOf(june)).toBe(1);
    expect(lookupRulesOf(`${june}+rules@2`)).toBe(2);
    expect(lookupRulesOf('geo@2')).toBe(1);
    expect(withLookupRules(june)).toBe(`${june}+rules@${GEO_LOOKUP_RULES}.0.2026120420`);
    expect(lookupRulesOf(withLookupRules(june))).toBe(GEO_LOOKUP_RULES);
    expect(lookupRulesOf(`${june}+rules@3.0.2027010100`)).toBe(3);
    expect(lookupRulesOf(`${june}+rules@3.1.2027010100`)).toBe(1);
  });

  it('does not date the data by the rules tag', () => {
    expect(geoReleaseDate(withLookupRules(version('2027010120', '2027010219')))).toBe('2027-01-01');
    expect(geoReleaseDate(withLookupRules(june))).toBe('2026-06-01');
  });

  it('takes the same data read by newer rules as newer, and older rules as not', () => {
    expect(isNewerGeoVersion(`${june}+rules@2`, june)).toBe(true);
    expect(isNewerGeoVersion(june, `${june}+rules@2`)).toBe(false);
    expect(isNewerGeoVersion(`${june}+rules@3`, `${november}+rules@2`)).toBe(true);
  });

  it('still orders the data of tagged versions, and dates them', () => {
    expect(isNewerGeoVersion(`${november}+rules@2`, `${june}+rules@2`)).toBe(true);
    expect(isNewerGeoVersion(`${june}+rules@2`, `${november}+rules@2`)).toBe(false);
    // Newer data read by older rules: replacing it would roll the data back.
    expect(isNewerGeoVersion(november, `${june}+rules@2`)).toBe(true);
    expect(geoReleaseDate(`${june}+rules@2`)).toBe('2026-06-01');
  });
});

/**
 * isNewerGeoVersion as releases before lookup rules 2 have it (4c65e1b1), frozen: a rolled-back
 * release must still take records of newer data, tagged by these rules, as newer.
 */
function releaseBeforeRules2IsNewer(other: string, current: string): boolean {
  const stampsOf = (v: string): Map<string, string> | undefined => {
    const stamps = new Map<string, string>();
    for (const part of v.split('+')) {
      const at = part.indexOf('@');
      const hour = /(\d{10})$/.exec(part)?.[1];
      if (at <= 0 || hour === undefined) return undefined;
      stamps.set(part.slice(0, at), hour);
    }
    return stamps;
  };
  if (other === current) return false;
  const theirs = stampsOf(other);
  const ours = stampsOf(current);
  if (!theirs || !ours) return false;
  for (const [source, stamp] of theirs) {
    const own = ours.get(source);
    if (own !== undefined && stamp > own) return true;
  }
  return false;
}

describe('the rules tag read by a release before lookup rules 2', () => {
  const june = version('2026060120', '2026061719');
  const november = version('2026110120', '2026111719');

  it('orders newer data with the tag as newer, so its enrich leaves it alone', () => {
    expect(releaseBeforeRules2IsNewer(withLookupRules(november), june)).toBe(true);
  });

  it('takes the same or older data with the tag as not newer (placed again by its rules)', () => {
    expect(releaseBeforeRules2IsNewer(withLookupRules(june), june)).toBe(false);
    expect(releaseBeforeRules2IsNewer(withLookupRules(june), november)).toBe(false);
  });

  it('could not order the bare rules@2 tag the first builds of rules 2 wrote', () => {
    expect(releaseBeforeRules2IsNewer(`${november}+rules@2`, june)).toBe(false);
  });
});
