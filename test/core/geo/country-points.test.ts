/**
 * Every country the shipped geo database can return has a reference point, or is on the documented
 * list of countries without one: a country the database places but the point table misses would
 * silently never be judged for impossible travel (as CW, MF, SS, SX, AX, BL and BQ were).
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { geoDatabasePath } from '../../../functions/adapters/geo-file-lookup.ts';
import { COUNTRIES_WITHOUT_POINT, COUNTRY_POINTS } from '../../../functions/core/geo/country-points.ts';
import { countryDistanceKm } from '../../../functions/core/geo/great-circle.ts';

/**
 * The country codes a geo database file can return: its header's `countries` (a country range's
 * value indexes it; see encodeGeoDatabase). Only the header is read, not the ~16 MB of tables.
 */
function databaseCountries(file: string): string[] {
  const fd = openSync(file, 'r');
  try {
    const start = Buffer.alloc(12);
    readSync(fd, start, 0, 12, 0);
    expect(start.subarray(0, 8).toString('latin1')).toBe('DALGEO1\n');
    const json = Buffer.alloc(start.readUInt32LE(8));
    readSync(fd, json, 0, json.length, 12);
    return (JSON.parse(json.toString('utf8')) as { countries: string[] }).countries;
  } finally {
    closeSync(fd);
  }
}

const countries = databaseCountries(geoDatabasePath({}));

describe('country reference points', () => {
  it('cover every country the shipped geo database can return, but the documented exceptions', () => {
    expect(countries.length).toBeGreaterThan(200);
    const missing = countries.filter((code) => COUNTRY_POINTS[code] === undefined);
    expect(missing.sort()).toEqual([...COUNTRIES_WITHOUT_POINT].sort());
  });

  it('list only real exceptions, each named in the table header and in docs/queries.md and docs/alerts.md', () => {
    const header = readFileSync(
      join(import.meta.dirname, '../../../functions/core/geo/country-points.ts'),
      'utf8',
    ).split('export const')[0];
    const docs = ['queries.md', 'alerts.md'].map((name) =>
      readFileSync(join(import.meta.dirname, '../../../docs', name), 'utf8'),
    );
    for (const code of COUNTRIES_WITHOUT_POINT) {
      expect(COUNTRY_POINTS[code], code).toBeUndefined();
      expect(countries, code).toContain(code);
      expect(header, code).toContain(`Countries without a point: ${code} (`);
      for (const doc of docs) expect(doc, code).toContain(`\`${code}\``);
    }
  });

  it('place the hand-added territories where they are', () => {
    // Caribbean neighbours a few dozen km apart; Åland between Stockholm and Turku; Juba's country.
    expect(countryDistanceKm('SX', 'MF')).toBeLessThan(20);
    expect(countryDistanceKm('BL', 'SX')).toBeLessThan(40);
    expect(countryDistanceKm('CW', 'BQ')).toBeLessThan(100);
    expect(countryDistanceKm('CW', 'AW')).toBeLessThan(150);
    expect(countryDistanceKm('AX', 'FI')).toBeLessThan(500);
    expect(countryDistanceKm('SS', 'SD')).toBeLessThan(700);
    // A US to South Sudan journey is judged (the reviewer's case): about 12,500 km.
    expect(countryDistanceKm('US', 'SS')).toBeGreaterThan(12_000);
    expect(countryDistanceKm('US', 'UM')).toBeUndefined();
  });
});
