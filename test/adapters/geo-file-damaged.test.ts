import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureGeoDatabaseFile } from '../../functions/adapters/geo-database-build.ts';
import { loadGeoDatabase } from '../../functions/adapters/geo-file-lookup.ts';
import {
  assertKeysIncrease,
  checkGeoDatabaseFile,
  encodeGeoDatabase,
  GeoDatabaseFormatError,
} from '../../functions/core/geo/geo-database.ts';

const good = encodeGeoDatabase({
  version: 'dbip-country@2.3.2026060120+rules@2',
  releasedAt: '2026-11-01',
  sources: [],
  countries: ['DE', 'GB'],
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

  /** `good` with its first countryV4 key (85.214.132.0) overwritten: same size, same header. */
  function damagedInPlace(): Uint8Array {
    const bytes = new Uint8Array(good);
    const jsonLength = new DataView(bytes.buffer).getUint32(8, true);
    const headLength = Math.ceil((12 + jsonLength) / 8) * 8;
    new DataView(bytes.buffer).setUint32(headLength, 0x01000000, true);
    return bytes;
  }

  it('damaged in place (a key overwritten, size and header intact) fails its checksum', () => {
    const bytes = damagedInPlace();
    const file = { size: bytes.length, read: (at: number, n: number) => bytes.subarray(at, at + n) };
    expect(() => checkGeoDatabaseFile(file)).toThrow(GeoDatabaseFormatError);
    expect(() => checkGeoDatabaseFile(file)).toThrow(/does not match the checksum in its header/);
    const whole = { size: good.length, read: (at: number, n: number) => good.subarray(at, at + n) };
    expect(() => checkGeoDatabaseFile(whole)).not.toThrow();
  });

  it('damaged in place is built again by the cache rather than handed to synth', () => {
    const file = join(dir, 'ip-geo.bin');
    writeFileSync(file, damagedInPlace());
    // It still opens and answers, wrongly (1.2.3.4 in DE from the moved key): nothing but the
    // checksum tells.
    expect(loadGeoDatabase(file).database.lookup('1.2.3.4')?.country).toBe('DE');
    let builds = 0;
    expect(
      ensureGeoDatabaseFile(file, () => {
        builds++;
        return good;
      }),
    ).toBe(file);
    expect(builds).toBe(1);
    expect(readFileSync(file)).toEqual(Buffer.from(good));
  });

  /** `good` with `from` replaced by `to` (as long) in its header: still valid JSON, same size. */
  function headerChanged(from: string, to: string): Uint8Array {
    const bytes = new Uint8Array(good);
    const jsonLength = new DataView(bytes.buffer).getUint32(8, true);
    const json = new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength));
    expect(json).toContain(from);
    bytes.set(new TextEncoder().encode(json.replace(from, to)), 12);
    return bytes;
  }

  it.each([
    ['two country codes swapped', '["DE","GB"]', '["GB","DE"]'],
    ['the version changed', 'rules@2', 'rules@9'],
    ['a table count changed', '"countryV4":[0,2]', '"countryV4":[0,1]'],
  ])('with its header damaged in place (%s) fails its checksum', (_what, from, to) => {
    const bytes = headerChanged(from, to);
    const file = { size: bytes.length, read: (at: number, n: number) => bytes.subarray(at, at + n) };
    expect(() => checkGeoDatabaseFile(file)).toThrow(/does not match the checksum in its header/);
  });

  it('with its checksum digits themselves changed fails its checksum', () => {
    const bytes = new Uint8Array(good);
    const at = 12 + '{"sha256":"'.length;
    bytes[at] = bytes[at] === 0x30 ? 0x31 : 0x30;
    const file = { size: bytes.length, read: (i: number, n: number) => bytes.subarray(i, i + n) };
    expect(() => checkGeoDatabaseFile(file)).toThrow(/does not match the checksum in its header/);
  });

  it('without a checksum of the whole file (an older build: none, or the tables only) is built again', () => {
    const jsonLength = new DataView(good.buffer).getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(good.subarray(12, 12 + jsonLength)));
    expect(header.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The checksum of the tables alone that the previous build wrote, last.
    delete header.sha256;
    header.bodySha256 = '0'.repeat(64);
    const json = new TextEncoder().encode(JSON.stringify(header));
    const headLength = Math.ceil((12 + json.length) / 8) * 8;
    const oldBody = good.subarray(Math.ceil((12 + jsonLength) / 8) * 8);
    const old = new Uint8Array(headLength + oldBody.length);
    old.set(good.subarray(0, 8));
    new DataView(old.buffer).setUint32(8, json.length, true);
    old.set(json, 12);
    old.set(oldBody, headLength);
    const file = join(dir, 'ip-geo.bin');
    writeFileSync(file, old);
    expect(loadGeoDatabase(file).database.lookup('85.214.132.117')?.country).toBe('DE');
    let builds = 0;
    ensureGeoDatabaseFile(file, () => {
      builds++;
      return good;
    });
    expect(builds).toBe(1);
  });
});

describe('the build', () => {
  it('refuses keys that do not increase', () => {
    expect(() => assertKeysIncrease('countryV4', [1n, 2n, 3n])).not.toThrow();
    expect(() => assertKeysIncrease('countryV4', [1n, 3n, 3n])).toThrow(/countryV4's key 2 \(3\)/);
    expect(() => assertKeysIncrease('asnV6', [5n, 4n])).toThrow(/not greater than the one before \(5\)/);
  });
});
