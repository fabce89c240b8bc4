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
    expect(withLookupRules(june)).toBe(`${june}+rules@${GEO_LOOKUP_RULES}`);
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
