/**
 * A source range nested inside another: the outer range goes on after the inner one ends. Built
 * from a few CSV lines in the packages' layout (no current release nests ranges; a later one may).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGeoDatabase } from '../../functions/adapters/geo-database-build.ts';
import { GeoDatabase } from '../../functions/core/geo/geo-database.ts';

const v4 = (dotted: string) => String(dotted.split('.').reduce((n, part) => n * 256 + Number(part), 0));
// 2a00:1450::/32 with 2a00:1450:4001::/48 inside it, as integers.
const v6 = (hex: string) => String(BigInt(`0x${hex.padEnd(32, '0')}`));
const v6End = (hex: string) => String(BigInt(`0x${hex.padEnd(32, 'f')}`));

let dir: string;
let database: GeoDatabase;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'geo-nested-'));
  const country = join(dir, 'country');
  const asn = join(dir, 'asn');
  const files: Record<string, string[]> = {
    [join(country, 'dbip-country-ipv4-num.csv')]: [
      // 8.0.0.0/24 is US but for 8.0.0.50-60 (CA); 8.0.1.0-99 is DE but for 8.0.1.0-9 (FR, same start).
      `${v4('8.0.0.0')},${v4('8.0.0.255')},US`,
      `${v4('8.0.0.50')},${v4('8.0.0.60')},CA`,
      `${v4('8.0.0.55')},${v4('8.0.0.56')},MX`,
      `${v4('8.0.1.0')},${v4('8.0.1.99')},DE`,
      `${v4('8.0.1.0')},${v4('8.0.1.9')},FR`,
    ],
    [join(country, 'dbip-country-ipv6-num.csv')]: [
      `${v6('2a001450')},${v6End('2a001450')},DE`,
      `${v6('2a0014504001')},${v6End('2a0014504001')},NL`,
    ],
    [join(asn, 'asn-ipv4-num.csv')]: [
      `${v4('8.0.0.0')},${v4('8.0.0.255')},3356,Level 3`,
      `${v4('8.0.0.50')},${v4('8.0.0.60')},812,Rogers`,
    ],
    // A table needs a range to build (an empty one fails the build).
    [join(asn, 'asn-ipv6-num.csv')]: [`${v6('2a001450')},${v6End('2a001450')},15169,Google LLC`],
  };
  await mkdir(country, { recursive: true });
  await mkdir(asn, { recursive: true });
  for (const [file, lines] of Object.entries(files)) await writeFile(file, `${lines.join('\n')}\n`);
  database = GeoDatabase.decode(
    buildGeoDatabase({
      country: { dir: country, version: '2.3.2026060120' },
      asn: { dir: asn, version: '2.3.2026061719' },
    }),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a source range nested inside another', () => {
  it('claims its own addresses; the outer one goes on after it, at every depth', () => {
    const country = (ip: string) => database.lookup(ip)?.country ?? null;
    expect(
      ['8.0.0.49', '8.0.0.50', '8.0.0.55', '8.0.0.57', '8.0.0.60', '8.0.0.61', '8.0.0.255'].map(country),
    ).toEqual(['US', 'CA', 'MX', 'CA', 'CA', 'US', 'US']);
    expect(country('8.0.1.0')).toBe('FR');
    expect(country('8.0.1.10')).toBe('DE');
    expect(country('8.0.1.99')).toBe('DE');
    expect(country('8.0.1.100')).toBeNull();
    expect(database.lookup('8.0.0.80')).toEqual({ country: 'US', asn: 3356, org: 'Level 3' });
    expect(database.lookup('8.0.0.52')).toEqual({ country: 'CA', asn: 812, org: 'Rogers' });
  });

  it('in IPv6 too', () => {
    const country = (ip: string) => database.lookup(ip)?.country ?? null;
    expect(country('2a00:1450:4000::1')).toBe('DE');
    expect(country('2a00:1450:4001:80b::200e')).toBe('NL');
    expect(country('2a00:1450:4002::1')).toBe('DE');
    expect(country('2a00:1451::1')).toBeNull();
  });
});
