import { describe, expect, it } from 'vitest';
import { geoLoadFix } from '../../functions/cli/geo-load-fix.ts';

describe('geoLoadFix', () => {
  it('names the GEO_DB_PATH the command saw, or the reinstall that rebuilds the database', () => {
    expect(geoLoadFix('/data/geo.mmdb')).toBe(
      'point GEO_DB_PATH (now /data/geo.mmdb) at a readable geo database, or unset it to use the one built from the @ip-location-db packages',
    );
    // An empty GEO_DB_PATH is as good as unset: there is no path to name.
    for (const unset of [undefined, ''])
      expect(geoLoadFix(unset)).toMatch(/^run npm ci in the project directory /);
  });
});
