import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildGeoDatabase,
  ensureGeoDatabaseFile,
  type GeoDataPackages,
} from '../../functions/adapters/geo-database-build.ts';
import { GeoDatabase } from '../../functions/core/geo/geo-database.ts';

/**
 * The build from the packages' CSV files, on a few lines in their layout: the installed packages
 * are built once at install (`npm ci`), so no test run would otherwise read a CSV line.
 */

/** The integer of a dotted IPv4 address, as the CSV files write range bounds. */
const v4 = (dotted: string) => String(dotted.split('.').reduce((n, part) => n * 256 + Number(part), 0));

let dir: string;
let packages: GeoDataPackages;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'geo-build-'));
  const country = join(dir, 'country');
  const asn = join(dir, 'asn');
  const files: Record<string, string[]> = {
    [join(country, 'dbip-country-ipv4-num.csv')]: [
      `${v4('1.0.0.0')},${v4('1.0.0.255')},AU`,
      `${v4('8.8.8.0')},${v4('8.8.8.255')},US`,
      // DB-IP's "unknown" country, and a blank line: neither is a range of the database.
      `${v4('9.9.9.0')},${v4('9.9.9.255')},ZZ`,
      '',
    ],
    // 2a00:1450::/32 as integers.
    [join(country, 'dbip-country-ipv6-num.csv')]: [
      '55827987809411540836515382960316219392,55827987888639703350779720553860169727,DE',
    ],
    [join(asn, 'asn-ipv4-num.csv')]: [
      // The org is quoted when it holds a comma, with "" for a quote inside it.
      `${v4('1.0.0.0')},${v4('1.0.0.255')},13335,"Cloudflare, Inc. ""CF"""`,
      `${v4('8.8.8.0')},${v4('8.8.8.255')},15169,Google LLC`,
      // AS 0 (unrouted) is no network owner.
      `${v4('9.9.9.0')},${v4('9.9.9.255')},0,Not routed`,
    ],
    [join(asn, 'asn-ipv6-num.csv')]: [
      '55827987809411540836515382960316219392,55827987888639703350779720553860169727,15169,Google LLC',
    ],
  };
  await mkdir(country, { recursive: true });
  await mkdir(asn, { recursive: true });
  for (const [file, lines] of Object.entries(files)) await writeFile(file, `${lines.join('\n')}\n`);
  packages = {
    country: { dir: country, version: '2.3.2026060120' },
    asn: { dir: asn, version: '2.3.2026061719' },
  };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('buildGeoDatabase', () => {
  it('places each range by country and network owner, quoted owners unescaped', () => {
    const database = GeoDatabase.decode(buildGeoDatabase(packages));
    expect(database.lookup('8.8.8.8')).toEqual({ country: 'US', asn: 15169, org: 'Google LLC' });
    expect(database.lookup('1.0.0.1')).toEqual({ country: 'AU', asn: 13335, org: 'Cloudflare, Inc. "CF"' });
    expect(database.lookup('2a00:1450:4001:80b::200e')).toEqual({
      country: 'DE',
      asn: 15169,
      org: 'Google LLC',
    });
  });

  it('keeps out the unknown country and AS 0: a public address they cover is as unknown as one no range covers', () => {
    const database = GeoDatabase.decode(buildGeoDatabase(packages));
    const unknown = { country: null, asn: null, org: null };
    expect(database.lookup('9.9.9.9')).toEqual(unknown);
    expect(database.lookup('7.7.7.7')).toEqual(unknown);
    expect(database.stats.networks).toBe(2);
  });

  it('names the package versions, the oldest source release date and the attribution', () => {
    const database = GeoDatabase.decode(buildGeoDatabase(packages));
    expect(database.version).toBe('dbip-country@2.3.2026060120+asn@2.3.2026061719+rules@2.0.2026120420');
    // The country data (2026-06-01) is older than the ASN data (2026-06-17): the age is the oldest's.
    expect(database.info.releasedAt).toBe('2026-06-01');
    expect(database.info.sources.map((s) => [s.name, s.license])).toEqual([
      ['@ip-location-db/dbip-country', 'CC BY 4.0'],
      ['@ip-location-db/asn', 'CC BY 4.0'],
    ]);
  });
});

/**
 * A build from the given lines (in place of one file of the valid set above), the others as they
 * are: what the build makes of a damaged or changed source file.
 */
async function buildWith(
  table: string,
  lines: string[],
  warn: (line: string) => void = () => {},
): Promise<Uint8Array> {
  const changed = await mkdtemp(join(tmpdir(), 'geo-build-bad-'));
  try {
    const country = join(changed, 'country');
    const asn = join(changed, 'asn');
    await mkdir(country, { recursive: true });
    await mkdir(asn, { recursive: true });
    for (const [from, to] of [
      [packages.country.dir, country],
      [packages.asn.dir, asn],
    ] as const) {
      for (const name of readdirSync(from)) await writeFile(join(to, name), readFileSync(join(from, name)));
    }
    const file = join(table.startsWith('asn') ? asn : country, table);
    await writeFile(file, `${lines.join('\n')}\n`);
    return buildGeoDatabase(
      {
        country: { ...packages.country, dir: country },
        asn: { ...packages.asn, dir: asn },
      },
      warn,
    );
  } finally {
    await rm(changed, { recursive: true, force: true });
  }
}

const good = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${v4(`1.0.${i}.0`)},${v4(`1.0.${i}.255`)},AU`);

describe('buildGeoDatabase on a damaged source file', () => {
  const countryV4 = 'dbip-country-ipv4-num.csv';

  it('refuses a bound that is not a whole number, naming the file and line', async () => {
    // An empty start became 0 (1.0.0.1 then placed in the US of the range from 0).
    await expect(buildWith(countryV4, [...good(2), `,${v4('8.8.8.255')},US`])).rejects.toThrow(
      /dbip-country-ipv4-num\.csv:3: the range start "" is not a whole number/,
    );
    // A bare SyntaxError of BigInt before, naming no file.
    await expect(buildWith(countryV4, [`1.0.0.0,${v4('1.0.0.255')},AU`])).rejects.toThrow(
      /dbip-country-ipv4-num\.csv:1: the range start "1\.0\.0\.0" is not a whole number/,
    );
    await expect(buildWith(countryV4, ['16777216'])).rejects.toThrow(
      /dbip-country-ipv4-num\.csv:1: not a line start,end,value/,
    );
  });

  it('refuses a v4 bound past 2^32-1 (it wrapped to 0) and a v6 one past 2^128-1', async () => {
    await expect(buildWith(countryV4, [`${v4('1.0.0.0')},4294967296,AU`])).rejects.toThrow(
      /dbip-country-ipv4-num\.csv:1: the range end 4294967296 is past the last address \(4294967295\)/,
    );
    await expect(buildWith('asn-ipv6-num.csv', [`0,${1n << 128n},15169,Google LLC`])).rejects.toThrow(
      /asn-ipv6-num\.csv:1: the range end \d+ is past the last address/,
    );
  });

  it('refuses an inverted range (it was dropped without a word)', async () => {
    await expect(buildWith(countryV4, [`${v4('1.0.0.255')},${v4('1.0.0.0')},AU`])).rejects.toThrow(
      /dbip-country-ipv4-num\.csv:1: the range starts at 16777471, after its end 16777216/,
    );
  });

  it('refuses a table of lines it does not recognise: it built an empty database that loaded fine', async () => {
    const unrecognised = [
      `${v4('1.0.0.0')},${v4('1.0.0.255')},au`,
      `${v4('8.8.8.0')},${v4('8.8.8.255')},"US"`,
    ];
    await expect(buildWith(countryV4, unrecognised)).rejects.toThrow(
      /dbip-country-ipv4-num\.csv: no range to build from \(2 line\(s\), 2 not recognised; the first at line 1: "au"\)/,
    );
    await expect(
      buildWith('asn-ipv4-num.csv', [`${v4('1.0.0.0')},${v4('1.0.0.255')},AS13335,Cloudflare`]),
    ).rejects.toThrow(/asn-ipv4-num\.csv: no range to build from/);
    // All unknown (ZZ, AS 0) is no database either.
    await expect(buildWith(countryV4, [`${v4('9.9.9.0')},${v4('9.9.9.255')},ZZ`])).rejects.toThrow(
      /no range to build from \(1 line\(s\), 0 not recognised\)/,
    );
  });

  it('skips up to 1 % of lines it does not recognise, saying how many, and refuses more', async () => {
    const odd = `${v4('2.0.0.0')},${v4('2.0.0.255')},au`;
    const warnings: string[] = [];
    const database = GeoDatabase.decode(
      await buildWith(countryV4, [...good(99), odd], (line) => warnings.push(line)),
    );
    expect(database.lookup('1.0.98.1')?.country).toBe('AU');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /dbip-country-ipv4-num\.csv: 1 of 100 lines \(1\.0 %\) skipped, holding a value the build does not recognise; the first at line 100: "au"; the addresses of their ranges stay unplaced$/,
    );
    await expect(buildWith(countryV4, [...good(98), odd, odd])).rejects.toThrow(
      /dbip-country-ipv4-num\.csv: 2 of 100 lines \(2\.0 %, more than 1\.0 %\) hold a value the build does not recognise; the first at line 99: "au"/,
    );
  });
});

describe('ensureGeoDatabaseFile', () => {
  it('builds into its cache directory once, leaving no temporary file, then finds it there', () => {
    const file = join(dir, 'cache', 'geo-x', 'ip-geo.bin');
    let builds = 0;
    const build = () => {
      builds++;
      return buildGeoDatabase(packages);
    };
    expect(ensureGeoDatabaseFile(file, build)).toBe(file);
    expect(ensureGeoDatabaseFile(file, build)).toBe(file);
    expect(builds).toBe(1);
    expect(readdirSync(join(dir, 'cache', 'geo-x'))).toEqual(['ip-geo.bin']);
    expect(GeoDatabase.decode(readFileSync(file)).lookup('8.8.8.8')?.asn).toBe(15169);
  });
});
