import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureGeoDatabaseFile } from '../../functions/adapters/geo-database-build.ts';
import { loadGeoDatabase } from '../../functions/adapters/geo-file-lookup.ts';
import { encodeGeoDatabase } from '../../functions/core/geo/geo-database.ts';

const good = encodeGeoDatabase({
  version: 't',
  releasedAt: '2026-11-01',
  sources: [],
  countries: ['DE'],
  networks: [],
  countryV4: [{ start: 0x55d68400n, end: 0x55d684ffn, value: 1 }],
  countryV6: [],
  asnV4: [],
  asnV6: [],
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'geo-damaged-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a damaged geo database file', () => {
  it('is named in the error, whatever is wrong with it', () => {
    const file = join(dir, 'ip-geo.bin');
    writeFileSync(file, 'garbage garbage garbage');
    expect(() => loadGeoDatabase(file)).toThrow(`the geo database file ${file} is not usable: `);
    writeFileSync(file, good.subarray(0, good.length - 3));
    expect(() => loadGeoDatabase(file)).toThrow(
      new RegExp(`^the geo database file ${file} is not usable: it is truncated`),
    );
  });

  it('a directory where the file should be is a read error naming it, not a bare EISDIR', () => {
    const folder = join(dir, 'not-a-file');
    mkdirSync(folder);
    expect(() => loadGeoDatabase(folder)).toThrow(
      new RegExp(`^cannot read the geo database ${folder} \\(EISDIR`),
    );
  });

  it('is built again by the cache (npm run geo:build), which hands back one that opens', () => {
    const file = join(dir, 'cache', 'ip-geo.bin');
    mkdirSync(join(dir, 'cache'));
    writeFileSync(file, good.subarray(0, 40));
    let builds = 0;
    const build = () => {
      builds++;
      return good;
    };
    expect(ensureGeoDatabaseFile(file, build)).toBe(file);
    expect(builds).toBe(1);
    expect(loadGeoDatabase(file).database.lookup('85.214.132.117')?.country).toBe('DE');
    // A file that opens is kept.
    expect(ensureGeoDatabaseFile(file, build)).toBe(file);
    expect(builds).toBe(1);
    expect(readFileSync(file)).toEqual(Buffer.from(good));
  });
});
