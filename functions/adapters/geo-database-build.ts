import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire as createModuleRequire } from 'node:module';
import path from 'node:path';
import {
  checkGeoDatabaseFile,
  encodeGeoDatabase,
  GeoDatabase,
  type GeoDatabaseInput,
  type GeoRange,
  type GeoSourceInfo,
} from '../core/geo/geo-database.ts';
import {
  GEO_LOOKUP_RULES,
  GEO_LOOKUP_RULES_STAMP,
  geoReleaseDate,
  withLookupRules,
} from '../core/geo/geo-db-version.ts';
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

/** One CSV line `start,end,value[,quoted org]`, and where it is (1-based). */
interface CsvLine {
  line: number;
  start: string;
  end: string;
  value: string;
  org: string;
}

/**
 * One CSV line's fields (the org may contain commas and "" escapes), or undefined when it has
 * fewer than three.
 */
function fields(text: string, line: number): CsvLine | undefined {
  const a = text.indexOf(',');
  const b = a === -1 ? -1 : text.indexOf(',', a + 1);
  if (b === -1) return undefined;
  const c = text.indexOf(',', b + 1);
  const value = c === -1 ? text.slice(b + 1) : text.slice(b + 1, c);
  let org = c === -1 ? '' : text.slice(c + 1);
  if (org.startsWith('"') && org.endsWith('"')) org = org.slice(1, -1).replaceAll('""', '"');
  return { line, start: text.slice(0, a), end: text.slice(a + 1, b), value, org };
}

const V4_LAST = (1n << 32n) - 1n;
const V6_LAST = (1n << 128n) - 1n;

/**
 * A range bound, checked: digits only (an empty field is not 0), at most the table's last address
 * (a v4 bound past 2^32-1 would wrap to 0 in the file's 32-bit keys and place every address).
 */
function bound(text: string, which: 'start' | 'end', last: bigint, where: string): bigint {
  if (!/^\d+$/.test(text)) {
    throw new Error(`${where}: the range ${which} ${JSON.stringify(text)} is not a whole number`);
  }
  const value = BigInt(text);
  if (value > last)
    throw new Error(`${where}: the range ${which} ${text} is past the last address (${last})`);
  return value;
}

/**
 * What a table's line means: the value of a range, `unknown` (a range the source says it cannot
 * place: DB-IP's ZZ, AS 0; left out, as an address no range covers), or undefined when the build
 * does not recognise it (skipped and counted).
 */
type LineValue = (line: CsvLine) => number | 'unknown' | undefined;

/**
 * More skipped lines than this share of a table's means its layout is not the one the build reads
 * (the installed packages have none): a database built from the rest would place few addresses,
 * and the ingest would store the others unplaced without a word.
 */
const MAX_SKIPPED_SHARE = 0.01;

const percent = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)} %`;

/** Told of lines a table skipped when they are few enough to build on (a line, no newline). */
type Warn = (line: string) => void;

/**
 * A table's ranges, every line checked; errors name `<file>:<line>`. Fails when the table has no
 * range, or when more than {@link MAX_SKIPPED_SHARE} of its lines are not recognised; fewer are
 * said to `warn`, so a build that leaves some addresses unplaced does not do it without a word.
 */
function tableRanges(file: string, last: bigint, meaning: LineValue, warn: Warn): GeoRange[] {
  const ranges: GeoRange[] = [];
  let lines = 0;
  const skipped: CsvLine[] = [];
  const texts = readFileSync(file, 'utf8').split('\n');
  for (const [index, raw] of texts.entries()) {
    const text = raw.trim();
    if (text === '') continue;
    lines++;
    const where = `${file}:${index + 1}`;
    const line = fields(text, index + 1);
    if (!line) throw new Error(`${where}: not a line start,end,value: ${JSON.stringify(text.slice(0, 80))}`);
    const start = bound(line.start, 'start', last, where);
    const end = bound(line.end, 'end', last, where);
    if (start > end) throw new Error(`${where}: the range starts at ${start}, after its end ${end}`);
    const value = meaning(line);
    if (value === undefined) skipped.push(line);
    else if (value !== 'unknown') ranges.push({ start, end, value });
  }
  const first = skipped[0];
  const firstSkipped = first ? `; the first at line ${first.line}: ${JSON.stringify(first.value)}` : '';
  if (ranges.length === 0) {
    throw new Error(
      `${file}: no range to build from (${lines} line(s), ${skipped.length} not recognised${firstSkipped}): the database would place no address`,
    );
  }
  if (skipped.length > lines * MAX_SKIPPED_SHARE) {
    throw new Error(
      `${file}: ${skipped.length} of ${lines} lines (${percent(skipped.length, lines)}, more than ${percent(MAX_SKIPPED_SHARE, 1)}) hold a value the build does not recognise${firstSkipped}: has the file's layout changed?`,
    );
  }
  if (skipped.length > 0)
    warn(
      `${file}: ${skipped.length} of ${lines} lines (${percent(skipped.length, lines)}) skipped, holding a value the build does not recognise${firstSkipped}; the addresses of their ranges stay unplaced`,
    );
  return ranges;
}

function countryRanges(file: string, last: bigint, codes: Map<string, number>, warn: Warn): GeoRange[] {
  const rangeOf: LineValue = ({ value: code }) => {
    if (code === 'ZZ') return 'unknown';
    if (!/^[A-Z]{2}$/.test(code)) return undefined;
    let value = codes.get(code);
    if (value === undefined) {
      value = codes.size + 1;
      codes.set(code, value);
    }
    return value;
  };
  return tableRanges(file, last, rangeOf, warn);
}

function asnRanges(
  file: string,
  last: bigint,
  networks: Map<number, { index: number; org: string }>,
  warn: Warn,
): GeoRange[] {
  const rangeOf: LineValue = ({ value: asnText, org }) => {
    if (!/^\d+$/.test(asnText)) return undefined;
    const asn = Number(asnText);
    // AS 0 is no network owner (unrouted); past 2^32-1 is no AS number.
    if (asn === 0) return 'unknown';
    if (asn > 0xffff_ffff) return undefined;
    let network = networks.get(asn);
    if (!network) {
      network = { index: networks.size + 1, org };
      networks.set(asn, network);
    }
    return network.index;
  };
  return tableRanges(file, last, rangeOf, warn);
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
export function buildGeoDatabase(
  packages: GeoDataPackages = installedGeoDataPackages(),
  warn: Warn = (line) => process.stderr.write(`warning: ${line}\n`),
): Uint8Array {
  const { country, asn } = packages;
  const codes = new Map<string, number>();
  const networks = new Map<number, { index: number; org: string }>();
  const countryV4 = countryRanges(path.join(country.dir, 'dbip-country-ipv4-num.csv'), V4_LAST, codes, warn);
  const countryV6 = countryRanges(path.join(country.dir, 'dbip-country-ipv6-num.csv'), V6_LAST, codes, warn);
  const asnV4 = asnRanges(path.join(asn.dir, 'asn-ipv4-num.csv'), V4_LAST, networks, warn);
  const asnV6 = asnRanges(path.join(asn.dir, 'asn-ipv6-num.csv'), V6_LAST, networks, warn);
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
  const version = geoDataVersion(country.version, asn.version);
  const input: GeoDatabaseInput = {
    version,
    releasedAt: geoReleaseDate(version) ?? '',
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

/** The packages' versions and the lookup rules' revision: what every record it places carries. */
const geoDataVersion = (countryVersion: string, asnVersion: string): string =>
  withLookupRules(`dbip-country@${countryVersion}+asn@${asnVersion}`);

/** Where the built file for the installed package versions is cached. */
/**
 * Raised when the build writes a different file from the same packages (2: releasedAt is the oldest
 * source's date; 3: IPv6 ranges sharing a /64 no longer leave an end marker out of order; 4: the
 * header carries the body's SHA-256; 5: that checksum covers the whole file, header included).
 */
const BUILD_REVISION = 5;

export function geoDatabaseCachePath(): string {
  const country = packageData(COUNTRY_PACKAGE);
  const asn = packageData(ASN_PACKAGE);
  // <node_modules>/@ip-location-db/dbip-country -> <node_modules>/.cache/…
  return path.join(
    path.dirname(path.dirname(country.dir)),
    '.cache',
    'domo-activity-lake',
    // The build's own revision too: a file built by older code (with another header) is not reused;
    // and the lookup rules' tag, which the header's version names.
    `geo-${country.version}-${asn.version}-r${BUILD_REVISION}-rules${GEO_LOOKUP_RULES}.0.${GEO_LOOKUP_RULES_STAMP}`,
    GEO_DB_FILE_NAME,
  );
}

/**
 * Files found whole in this process, by path, with the size and modification time they had: the
 * checksum reads the whole file, and a synth or test process asks for the same file many times.
 */
const checked = new Map<string, string>();

const stamp = (file: string): string => {
  const { size, mtimeMs } = statSync(file);
  return `${size}:${mtimeMs}`;
};

/**
 * Whether `file` opens as a geo database and is whole: its signature, header and size check out,
 * and its tables hash to the checksum in its header (a key overwritten in place keeps the rest).
 */
function opensAsGeoDatabase(file: string): boolean {
  if (checked.get(file) === stamp(file)) return true;
  let geoFile: ReturnType<typeof openGeoFile> | undefined;
  try {
    geoFile = openGeoFile(file);
    GeoDatabase.open(geoFile);
    checkGeoDatabaseFile(geoFile);
    checked.set(file, stamp(file));
    return true;
  } catch {
    return false;
  } finally {
    geoFile?.close();
  }
}

/**
 * The path of the built database for the installed packages, building it first if it is not cached
 * or the cached file does not open or fails its checksum (truncated, damaged in place: `npm run
 * geo:build` is what the load error advises, so it must not hand the same file back; and what this
 * returns is what synth ships to the Lambda). Concurrent builders (test workers, synth) each
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
