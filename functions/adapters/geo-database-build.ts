import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire as createModuleRequire } from 'node:module';
import path from 'node:path';
import {
  encodeGeoDatabase,
  GeoDatabase,
  type GeoDatabaseInput,
  type GeoRange,
  type GeoSourceInfo,
} from '../core/geo/geo-database.ts';
import { openGeoFile } from './geo-file.ts';

/**
 * Builds the compact geo database file from the npm packages that carry the data (DB-IP's IP to
 * Country Lite and the merged RouteViews / DB-IP IP to ASN data, both CC BY 4.0, republished as
 * `@ip-location-db/dbip-country` and `@ip-location-db/asn`). Runs at install (`npm ci`'s `prepare`
 * runs `npm run geo:build`), or else at cdk synth or the local CLI's first use; the file is cached
 * under node_modules/.cache, keyed by the package versions, so updating the data is bumping the
 * packages.
 */

export const GEO_DB_FILE_NAME = 'ip-geo.bin';

const COUNTRY_PACKAGE = '@ip-location-db/dbip-country';
const ASN_PACKAGE = '@ip-location-db/asn';

/** Where an installed data package's CSV files are, and its version. */
interface PackageData {
  dir: string;
  version: string;
}

/** The two data packages the database is built from. */
export interface GeoDataPackages {
  country: PackageData;
  asn: PackageData;
}

/**
 * Resolved from this module's own location (the sources, or the CLI bundle in dist/), the way Node
 * finds any dependency: up the directory tree through node_modules.
 */
function packageData(name: string): PackageData {
  const require = createModuleRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve(`${name}/package.json`);
  } catch {
    throw new Error(`the geo data package ${name} is not installed: run npm ci in the project directory`);
  }
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: path.dirname(manifest), version };
}

/** ip-location-db versions end in the data's publication hour, `YYYYMMDDHH`. */
export function releaseDateOf(version: string): string | undefined {
  const match = /(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(version);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}

/** One CSV line `start,end,value[,quoted org]` -> its fields (the org may contain commas and "" escapes). */
function fields(line: string): [string, string, string, string] {
  const a = line.indexOf(',');
  const b = line.indexOf(',', a + 1);
  const c = line.indexOf(',', b + 1);
  const third = c === -1 ? line.slice(b + 1) : line.slice(b + 1, c);
  let rest = c === -1 ? '' : line.slice(c + 1);
  if (rest.startsWith('"') && rest.endsWith('"')) rest = rest.slice(1, -1).replaceAll('""', '"');
  return [line.slice(0, a), line.slice(a + 1, b), third, rest];
}

function* csvLines(file: string): Generator<[string, string, string, string]> {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const trimmed = line.trim();
    if (trimmed !== '') yield fields(trimmed);
  }
}

function countryRanges(file: string, codes: Map<string, number>): GeoRange[] {
  const ranges: GeoRange[] = [];
  for (const [start, end, code] of csvLines(file)) {
    if (!/^[A-Z]{2}$/.test(code) || code === 'ZZ') continue;
    let value = codes.get(code);
    if (value === undefined) {
      value = codes.size + 1;
      codes.set(code, value);
    }
    ranges.push({ start: BigInt(start), end: BigInt(end), value });
  }
  return ranges;
}

function asnRanges(file: string, networks: Map<number, { index: number; org: string }>): GeoRange[] {
  const ranges: GeoRange[] = [];
  for (const [start, end, asnText, org] of csvLines(file)) {
    const asn = Number(asnText);
    if (!Number.isInteger(asn) || asn <= 0) continue;
    let network = networks.get(asn);
    if (!network) {
      network = { index: networks.size + 1, org };
      networks.set(asn, network);
    }
    ranges.push({ start: BigInt(start), end: BigInt(end), value: network.index });
  }
  return ranges;
}

/** The installed data packages, found the way Node finds any dependency. */
const installedGeoDataPackages = (): GeoDataPackages => ({
  country: packageData(COUNTRY_PACKAGE),
  asn: packageData(ASN_PACKAGE),
});

/**
 * Reads both packages and returns the database bytes. Takes a few seconds for the installed ones
 * (about 130 MB of CSV); tests hand it a few lines in the same layout.
 */
export function buildGeoDatabase(packages: GeoDataPackages = installedGeoDataPackages()): Uint8Array {
  const { country, asn } = packages;
  const codes = new Map<string, number>();
  const networks = new Map<number, { index: number; org: string }>();
  const countryV4 = countryRanges(path.join(country.dir, 'dbip-country-ipv4-num.csv'), codes);
  const countryV6 = countryRanges(path.join(country.dir, 'dbip-country-ipv6-num.csv'), codes);
  const asnV4 = asnRanges(path.join(asn.dir, 'asn-ipv4-num.csv'), networks);
  const asnV6 = asnRanges(path.join(asn.dir, 'asn-ipv6-num.csv'), networks);
  const sources: GeoSourceInfo[] = [
    {
      name: COUNTRY_PACKAGE,
      version: country.version,
      license: 'CC BY 4.0',
      attribution: 'IP Geolocation by DB-IP (https://db-ip.com)',
    },
    {
      name: ASN_PACKAGE,
      version: asn.version,
      license: 'CC BY 4.0',
      attribution:
        'IP to ASN data by DB-IP (https://db-ip.com), RouteViews (https://www.routeviews.org) and NRO (https://www.nro.net)',
    },
  ];
  const dates = [releaseDateOf(country.version), releaseDateOf(asn.version)].filter(
    (d): d is string => d !== undefined,
  );
  const input: GeoDatabaseInput = {
    version: geoDataVersion(country.version, asn.version),
    // The oldest source's date: the database is only as current as its oldest part.
    releasedAt: dates.sort()[0] ?? '',
    sources,
    countries: [...codes.keys()],
    networks: [...networks.entries()].map(([number, n]) => ({ asn: number, org: n.org })),
    countryV4,
    countryV6,
    asnV4,
    asnV6,
  };
  return encodeGeoDatabase(input);
}

const geoDataVersion = (countryVersion: string, asnVersion: string): string =>
  `dbip-country@${countryVersion}+asn@${asnVersion}`;

/** Where the built file for the installed package versions is cached. */
/**
 * Raised when the build writes a different file from the same packages (2: releasedAt is the oldest
 * source's date; 3: IPv6 ranges sharing a /64 no longer leave an end marker out of order).
 */
const BUILD_REVISION = 3;

export function geoDatabaseCachePath(): string {
  const country = packageData(COUNTRY_PACKAGE);
  const asn = packageData(ASN_PACKAGE);
  // <node_modules>/@ip-location-db/dbip-country -> <node_modules>/.cache/…
  return path.join(
    path.dirname(path.dirname(country.dir)),
    '.cache',
    'domo-activity-lake',
    // The build's own revision too: a file built by older code (with another header) is not reused.
    `geo-${country.version}-${asn.version}-r${BUILD_REVISION}`,
    GEO_DB_FILE_NAME,
  );
}

/** Whether `file` opens as a geo database: its signature, header and size check out. */
function opensAsGeoDatabase(file: string): boolean {
  let geoFile: ReturnType<typeof openGeoFile> | undefined;
  try {
    geoFile = openGeoFile(file);
    GeoDatabase.open(geoFile);
    return true;
  } catch {
    return false;
  } finally {
    geoFile?.close();
  }
}

/**
 * The path of the built database for the installed packages, building it first if it is not cached
 * or the cached file does not open (truncated, damaged: `npm run geo:build` is what the load error
 * advises, so it must not hand the same file back). Concurrent builders (test workers, synth) each
 * write a temporary file and rename it into place.
 */
export function ensureGeoDatabaseFile(
  file = geoDatabaseCachePath(),
  build: () => Uint8Array = buildGeoDatabase,
): string {
  if (existsSync(file) && opensAsGeoDatabase(file)) return file;
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, build());
  renameSync(temp, file);
  return file;
}
