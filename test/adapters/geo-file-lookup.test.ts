import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerGeo, geoDatabasePath, loadGeoDatabase } from '../../functions/adapters/geo-file-lookup.ts';
import type { Log } from '../../functions/core/ports.ts';

describe('the geo database built from the data packages', () => {
  const { database } = loadGeoDatabase();

  it('places well-known networks (IPv4 and IPv6) by country and owner', () => {
    expect(database.lookup('8.8.8.8')).toEqual({ country: 'US', asn: 15169, org: 'Google LLC' });
    expect(database.lookup('217.0.0.1')).toMatchObject({ country: 'DE', asn: 3320 });
    expect(database.lookup('2a00:1450:4001:80b::200e')).toMatchObject({ asn: 15169 });
    expect(database.lookup('192.168.0.1')).toBeUndefined();
  });

  it('places a forwarded-for list by its client, the left-most public address', () => {
    expect(database.lookup('217.0.0.1, 10.0.0.4')).toMatchObject({ country: 'DE', asn: 3320 });
    expect(database.lookup('10.1.2.3, 8.8.8.8,217.0.0.1')).toMatchObject({ country: 'US', asn: 15169 });
  });

  it('names the package versions it was built from, with their attribution', () => {
    expect(database.version).toMatch(/^dbip-country@[\d.]+\+asn@[\d.]+\+rules@\d+\.0\.\d{10}$/);
    expect(database.info.releasedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(database.info.sources.map((s) => s.license)).toEqual(['CC BY 4.0', 'CC BY 4.0']);
    expect(database.info.sources[0]?.attribution).toContain('DB-IP');
  });
});

describe('geoDatabasePath / loadGeoDatabase', () => {
  it('takes GEO_DB_PATH first', () => {
    expect(geoDatabasePath({ GEO_DB_PATH: '/x/ip-geo.bin' })).toBe('/x/ip-geo.bin');
  });

  it('explains a missing or broken file, leaving the fix to the caller (the Lambda and the CLI differ)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geo-'));
    try {
      const missing = join(dir, 'missing.bin');
      expect(() => loadGeoDatabase(missing)).toThrow(
        new RegExp(`^cannot read the geo database ${missing} \\(ENOENT: no such file or directory[^)]*\\)$`),
      );
      writeFileSync(join(dir, 'broken.bin'), 'nope');
      expect(() => loadGeoDatabase(join(dir, 'broken.bin'))).toThrow(/not usable/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('containerGeo', () => {
  const recording = () => {
    const errors: unknown[] = [];
    const log: Log = {
      debug() {},
      info() {},
      warn() {},
      error: (message, fields) => errors.push({ message, fields }),
    };
    return { log, errors };
  };

  it('gives ingest the reason when the database cannot be loaded, logged once per path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geo-'));
    try {
      const missing = join(dir, 'missing.bin');
      const { log, errors } = recording();
      const first = containerGeo(log, { GEO_DB_PATH: missing });
      expect(first.geo).toBeUndefined();
      expect(first.geoUnavailable).toMatch(
        new RegExp(`^cannot read the geo database ${missing} \\(ENOENT: no such file or directory`),
      );
      expect(first.geoUnavailable).not.toContain('\n');
      expect(containerGeo(log, { GEO_DB_PATH: missing })).toEqual(first);
      expect(errors).toEqual([
        {
          message: 'geo database unavailable; events are stored without geo columns',
          fields: { error: first.geoUnavailable },
        },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("logs the caller's fix beside the reason", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geo-'));
    try {
      const { log, errors } = recording();
      const missing = join(dir, 'missing.bin');
      const { geoUnavailable } = containerGeo(log, { GEO_DB_PATH: missing }, 'redeploy the function');
      expect(errors).toEqual([
        {
          message: 'geo database unavailable; events are stored without geo columns',
          fields: { error: geoUnavailable, fix: 'redeploy the function' },
        },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives ingest the database when it loads', () => {
    const { log, errors } = recording();
    const loaded = containerGeo(log, {});
    expect(loaded.geo?.lookup('8.8.8.8')?.country).toBe('US');
    expect(loaded.geoUnavailable).toBeUndefined();
    expect(errors).toEqual([]);
  });
});
