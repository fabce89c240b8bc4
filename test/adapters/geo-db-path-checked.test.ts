import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { containerGeo, geoDatabasePath } from '../../functions/adapters/geo-file-lookup.ts';
import { encodeGeoDatabase } from '../../functions/core/geo/geo-database.ts';
import type { Log } from '../../functions/core/ports.ts';

/**
 * A file GEO_DB_PATH names is checked against its checksum on the command line, as the cached
 * file is: one damaged in place (here two country codes swapped in its header) still opens and
 * places every address of one country in the other.
 */
const good = encodeGeoDatabase({
  version: 'test@1',
  releasedAt: '2026-11-01',
  sources: [],
  countries: ['CA', 'GB'],
  networks: [],
  countryV4: [{ start: 0x51024500n, end: 0x510245ffn, value: 2 }],
  countryV6: [],
  asnV4: [],
  asnV6: [],
});

function swapped(): Uint8Array {
  const bytes = new Uint8Array(good);
  const jsonLength = new DataView(bytes.buffer).getUint32(8, true);
  const json = new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength));
  bytes.set(new TextEncoder().encode(json.replace('["CA","GB"]', '["GB","CA"]')), 12);
  return bytes;
}

const silent: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'geo-path-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('GEO_DB_PATH outside Lambda', () => {
  it('hands back a file that passes its checksum', () => {
    const file = join(dir, 'good.bin');
    writeFileSync(file, good);
    expect(geoDatabasePath({ GEO_DB_PATH: file })).toBe(file);
  });

  it('refuses a file damaged in place, naming it and how to fix it', () => {
    const file = join(dir, 'damaged.bin');
    writeFileSync(file, swapped());
    expect(() => geoDatabasePath({ GEO_DB_PATH: file })).toThrow(
      `the geo database file ${file} that GEO_DB_PATH names fails its check: rebuild it (npm run geo:build) and point GEO_DB_PATH at the file it prints, or unset GEO_DB_PATH (it does not match the checksum`,
    );
  });

  it('leaves the events unplaced rather than placed by it, and the reason keeps the fix', () => {
    const file = join(dir, 'damaged-again.bin');
    writeFileSync(file, swapped());
    const { geo, geoUnavailable } = containerGeo(silent, { GEO_DB_PATH: file });
    expect(geo).toBeUndefined();
    expect(geoUnavailable).toContain('or unset GEO_DB_PATH');
  });

  it('is not checked in Lambda, where the file beside the function is not either', () => {
    const file = join(dir, 'in-lambda.bin');
    writeFileSync(file, swapped());
    expect(geoDatabasePath({ GEO_DB_PATH: file, AWS_LAMBDA_FUNCTION_NAME: 'ingest' })).toBe(file);
  });
});
