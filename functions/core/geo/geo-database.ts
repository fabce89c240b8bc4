import { createHash } from 'node:crypto';
import type { GeoAnswer, GeoLookup } from '../ports.ts';
import { clientIpKey } from './ip-address.ts';

/**
 * The compact geo database: IP-to-country and IP-to-network-owner ranges as sorted start keys with
 * a value each, searched by binary search over typed arrays that view the file's bytes (no parsing
 * at load, a few MB of memory). IPv6 is keyed by its upper 64 bits: sub-/64 ranges are rare in the
 * sources and a /64 is one site. Built from the package data by `encodeGeoDatabase` (at build
 * time), read by `GeoDatabase.decode` (once per container).
 */

const MAGIC = 'DALGEO1\n';
const FORMAT = 1;

/** An inclusive range of addresses (IPv4 as 0..2^32-1, IPv6 as 0..2^128-1) and its value (>= 1). */
export interface GeoRange {
  start: bigint;
  end: bigint;
  value: number;
}

export interface GeoSourceInfo {
  name: string;
  version: string;
  license: string;
  attribution: string;
}

interface GeoDatabaseInfo {
  /** Written into every enriched record as `geo_db_version`. */
  version: string;
  /** When the oldest source data was published (ISO date), for the database's age. */
  releasedAt: string;
  sources: GeoSourceInfo[];
}

export interface GeoDatabaseInput extends GeoDatabaseInfo {
  /** ISO 3166-1 alpha-2 codes; a country range's value is its index + 1. */
  countries: readonly string[];
  /** Autonomous systems; an ASN range's value is the index + 1. */
  networks: readonly { asn: number; org: string }[];
  countryV4: readonly GeoRange[];
  countryV6: readonly GeoRange[];
  asnV4: readonly GeoRange[];
  asnV6: readonly GeoRange[];
}

type TableName = 'countryV4' | 'countryV6' | 'asnV4' | 'asnV6';
const TABLES: readonly { name: TableName; wide: boolean }[] = [
  { name: 'countryV4', wide: false },
  { name: 'countryV6', wide: true },
  { name: 'asnV4', wide: false },
  { name: 'asnV6', wide: true },
];

interface Header extends GeoDatabaseInfo {
  /**
   * SHA-256 (hex) of the whole file with these 64 digits written as zeros: signature, header
   * (country codes, table offsets and counts, version) and tables. A file damaged in place keeps
   * its size, and one changed key misplaces a third of the addresses, a swapped country code all
   * of a country's; {@link checkGeoDatabaseFile} tells it. The header's first key, so it sits at a
   * fixed offset. Absent in files built before it covered the header.
   */
  sha256?: string;
  format: number;
  countries: string[];
  /** Word offset and entry count of each table; then the ASN table and the org name bytes. */
  tables: Record<TableName, [number, number]>;
  asns: [number, number];
  orgBytes: [number, number];
}

/** How the header starts (its first key is the checksum), and where the checksum's digits are. */
const HASH_KEY = '{"sha256":"';
const HASH_AT = MAGIC.length + 4 + HASH_KEY.length;
const HASH_BLANK = '0'.repeat(64);

const V6_SHIFT = 64n;
const V6_LIMIT = 1n << 64n;

/**
 * Start keys and values of one table: a range claims its start, the first address after it falls
 * back to the range it lies in (a source range nested in another: the outer one goes on after it),
 * else to "unknown" (0), unless the next range starts right there; neighbours with the same value
 * fold. On a key collision (two IPv6 ranges inside one /64) the later value wins, an end's unknown
 * too: an outer range ending in the /64 its inner one ends in holds none of the next /64. A range
 * that starts inside another and ends after it wins from its start (a partial overlap).
 */
function entries(ranges: readonly GeoRange[], wide: boolean): { keys: bigint[]; values: number[] } {
  const keys: bigint[] = [];
  const values: number[] = [];
  const push = (key: bigint, value: number) => {
    // A range starting in the /64 where the previous one ended: that range's end marker (the next
    // /64) lies beyond this start. Dropped, so the keys stay in order for the binary search; what
    // follows the new range is marked at its own end.
    while (keys.length > 0 && (keys.at(-1) as bigint) > key) {
      keys.pop();
      values.pop();
    }
    const last = keys.length - 1;
    if (last >= 0 && keys[last] === key) {
      values[last] = value;
    } else if (last < 0 || values[last] !== value) {
      keys.push(key);
      values.push(value);
    }
  };
  const limit = wide ? V6_LIMIT : 1n << 32n;
  /** Marks the address after `range`: the value of the innermost open range still covering it, or 0. */
  const close = (range: GeoRange, open: GeoRange[]) => {
    while (open.length > 0 && (open.at(-1) as GeoRange).end <= range.end) open.pop();
    const next = range.end + 1n;
    const nextKey = wide ? (next + V6_LIMIT - 1n) >> V6_SHIFT : next;
    if (nextKey < limit) push(nextKey, open.at(-1)?.value ?? 0);
  };
  // Same start: the wider first, so the narrower one (inside it) is the one that claims the start.
  const sorted = [...ranges].sort((a, b) =>
    a.start !== b.start ? (a.start < b.start ? -1 : 1) : a.end > b.end ? -1 : a.end < b.end ? 1 : 0,
  );
  /** Ranges begun and not yet ended, innermost last. */
  const open: GeoRange[] = [];
  for (const range of sorted) {
    while (open.length > 0 && (open.at(-1) as GeoRange).end < range.start) {
      close(open.pop() as GeoRange, open);
    }
    push(wide ? range.start >> V6_SHIFT : range.start, range.value);
    open.push(range);
  }
  while (open.length > 0) close(open.pop() as GeoRange, open);
  // Folding may leave a key whose value equals its predecessor's after a collision; fold again.
  const foldedKeys: bigint[] = [];
  const foldedValues: number[] = [];
  keys.forEach((key, i) => {
    if (foldedValues.length === 0 || foldedValues[foldedValues.length - 1] !== values[i]) {
      foldedKeys.push(key);
      foldedValues.push(values[i] as number);
    }
  });
  return { keys: foldedKeys, values: foldedValues };
}

/**
 * Throws unless every key is greater than the one before: the binary search finds the wrong range
 * (or none) in a table out of order, and nothing at lookup time would tell.
 */
export function assertKeysIncrease(table: string, keys: readonly bigint[]): void {
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i] as bigint) <= (keys[i - 1] as bigint)) {
      throw new Error(
        `the geo database build made ${table}'s key ${i} (${keys[i]}) not greater than the one before (${keys[i - 1]}): the tables would be searched wrongly`,
      );
    }
  }
}

/** Serialises the database. Deterministic: the same input gives the same bytes. */
export function encodeGeoDatabase(input: GeoDatabaseInput): Uint8Array {
  const words: number[] = [];
  const tables = {} as Record<TableName, [number, number]>;
  for (const { name, wide } of TABLES) {
    const { keys, values } = entries(input[name], wide);
    assertKeysIncrease(name, keys);
    tables[name] = [words.length, keys.length];
    for (const key of keys) {
      if (wide) words.push(Number(key >> 32n), Number(key & 0xffffffffn));
      else words.push(Number(key));
    }
    for (const value of values) words.push(value);
  }
  const encoder = new TextEncoder();
  const orgs = input.networks.map((n) => encoder.encode(n.org));
  const asns: [number, number] = [words.length, input.networks.length];
  for (const n of input.networks) words.push(n.asn);
  let offset = 0;
  for (const org of orgs) {
    words.push(offset);
    offset += org.length;
  }
  words.push(offset);
  const body = new Uint8Array(words.length * 4 + offset);
  const view = new DataView(body.buffer);
  for (let i = 0; i < words.length; i++) view.setUint32(i * 4, (words[i] as number) >>> 0, true);
  let at = words.length * 4;
  for (const org of orgs) {
    body.set(org, at);
    at += org.length;
  }
  const header: Header = {
    sha256: HASH_BLANK,
    format: FORMAT,
    version: input.version,
    releasedAt: input.releasedAt,
    sources: input.sources,
    countries: [...input.countries],
    tables,
    asns,
    orgBytes: [words.length * 4, offset],
  };
  const json = encoder.encode(JSON.stringify(header));
  const headLength = Math.ceil((MAGIC.length + 4 + json.length) / 8) * 8;
  const out = new Uint8Array(headLength + body.length);
  out.set(encoder.encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, json.length, true);
  out.set(json, MAGIC.length + 4);
  out.set(body, headLength);
  out.set(encoder.encode(createHash('sha256').update(out).digest('hex')), HASH_AT);
  return out;
}

/** Bytes hashed per read when a file's body is checked (1 MiB). */
const CHECK_CHUNK = 1 << 20;

/**
 * Throws {@link GeoDatabaseFormatError} unless the whole file, its checksum's digits read as
 * zeros, hashes to the header's `sha256`: reads the whole file (~16 MB, some tens of ms), so it is
 * for the moment a file is taken on the command line or by synth, not for each load in a Lambda
 * container (see docs/decisions.md, "Geo database checksum"). A file without that checksum (built
 * before it existed, or covering only the tables) fails too: it cannot be vouched for.
 */
export function checkGeoDatabaseFile(file: GeoFile): void {
  const { header } = readHeader(file.size, (offset, length) => file.read(offset, length));
  const start = file.read(0, HASH_AT + HASH_BLANK.length);
  const text = new TextDecoder();
  const stated = header.sha256;
  if (
    text.decode(start.subarray(MAGIC.length + 4, HASH_AT)) !== HASH_KEY ||
    typeof stated !== 'string' ||
    !/^[0-9a-f]{64}$/.test(stated)
  ) {
    throw new GeoDatabaseFormatError('its header carries no checksum of the whole file (an older build)');
  }
  const hash = createHash('sha256').update(start.subarray(0, HASH_AT)).update(HASH_BLANK);
  for (let at = HASH_AT + HASH_BLANK.length; at < file.size; at += CHECK_CHUNK) {
    hash.update(file.read(at, Math.min(CHECK_CHUNK, file.size - at)));
  }
  const actual = hash.digest('hex');
  if (actual !== stated) {
    throw new GeoDatabaseFormatError(
      `it does not match the checksum in its header (sha256 ${actual.slice(0, 12)}…, the header says ${stated.slice(0, 12)}…): it was damaged after it was built`,
    );
  }
}

/** Index of the last key <= (hi, lo) in a table of `count` keys starting at `base`, or -1. */
function search(words: Words, base: number, count: number, wide: boolean, hi: number, lo: number): number {
  let low = 0;
  let high = count - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    let le: boolean;
    if (wide) {
      const kHi = words.at(base + 2 * mid);
      le = kHi < hi || (kHi === hi && words.at(base + 2 * mid + 1) <= lo);
    } else {
      le = words.at(base + mid) <= hi;
    }
    if (le) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

/**
 * Random access to the bytes of a database file, for {@link GeoDatabase.open}: `read` returns
 * `length` bytes from `offset` (fewer only at the end of the file).
 */
export interface GeoFile {
  readonly size: number;
  /** The bytes are the caller's to keep: a page read is held as a view over them. */
  read(offset: number, length: number): Uint8Array;
}

/** The little-endian 32-bit words of the tables. */
interface Words {
  at(index: number): number;
}

class ArrayWords implements Words {
  constructor(private readonly words: Uint32Array) {}
  at(index: number): number {
    return this.words[index] as number;
  }
}

/** Whether a Uint32Array reads bytes as little-endian words, as the file holds them. */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Words per page read from the file (4 KiB). */
const PAGE_WORDS = 1024;
/** Pages kept (2 MiB): the top levels of every binary search, and the busy parts of the tables. */
const PAGES_KEPT = 512;

/**
 * Words read from the file a page at a time, the least recently used page dropped when
 * {@link PAGES_KEPT} are held: a lookup touches ~20 words per table, and the pages near the top of
 * each binary search serve every lookup, so they stay. Until 2026-12-05 the oldest-read page was
 * dropped whatever its use, the top pages too, at every 512th new page (review R-GEO L2).
 */
class PagedWords implements Words {
  /** In use order, the least recent first: a hit moves its page to the end. */
  private readonly pages = new Map<number, Uint32Array>();
  /** The page of the last read: most steps of a search's end stay on it, with no Map work. */
  private lastPage = -1;
  private lastWords: Uint32Array = new Uint32Array(0);

  constructor(
    private readonly file: GeoFile,
    /** Byte offset of word 0. */
    private readonly start: number,
  ) {}

  at(index: number): number {
    const page = Math.floor(index / PAGE_WORDS);
    if (page !== this.lastPage) {
      this.lastWords = this.use(page);
      this.lastPage = page;
    }
    return this.lastWords[index % PAGE_WORDS] as number;
  }

  /** The page's words, now the most recently used (read from the file when not held). */
  private use(page: number): Uint32Array {
    let words = this.pages.get(page);
    if (words !== undefined) {
      this.pages.delete(page);
    } else {
      words = this.read(page);
      if (this.pages.size >= PAGES_KEPT) {
        const least = this.pages.keys().next().value;
        if (least !== undefined) this.pages.delete(least);
      }
    }
    this.pages.set(page, words);
    return words;
  }

  private read(page: number): Uint32Array {
    const bytes = this.file.read(this.start + page * PAGE_WORDS * 4, PAGE_WORDS * 4);
    // The file's words are little-endian: on such a host (every one Node runs on here) the bytes
    // read are the words, with no copy; a quarter of a lookup's time went to copying them.
    if (LITTLE_ENDIAN_HOST && bytes.byteOffset % 4 === 0) {
      return new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 4));
    }
    const words = new Uint32Array(Math.floor(bytes.length / 4));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < words.length; i++) words[i] = view.getUint32(i * 4, true);
    return words;
  }
}

/** Reads and checks the signature and header; `read` gives bytes of the file. */
function readHeader(
  size: number,
  read: (offset: number, length: number) => Uint8Array,
): { header: Header; headLength: number } {
  const text = new TextDecoder();
  const start = size >= 12 ? read(0, MAGIC.length + 4) : new Uint8Array();
  if (start.length < MAGIC.length + 4 || text.decode(start.subarray(0, MAGIC.length)) !== MAGIC) {
    throw new GeoDatabaseFormatError('it does not start with the expected signature');
  }
  const jsonLength = new DataView(start.buffer, start.byteOffset, start.byteLength).getUint32(
    MAGIC.length,
    true,
  );
  let header: Header;
  try {
    header = JSON.parse(text.decode(read(MAGIC.length + 4, jsonLength)));
  } catch {
    throw new GeoDatabaseFormatError('its header is not valid JSON');
  }
  if (header.format !== FORMAT) throw new GeoDatabaseFormatError(`format ${header.format} is not ${FORMAT}`);
  const headLength = Math.ceil((MAGIC.length + 4 + jsonLength) / 8) * 8;
  const [orgAt, orgLength] = header.orgBytes;
  // The owner names end the file: bytes after them mean it is not the file that was built.
  const expected = headLength + orgAt + orgLength;
  if (size < expected) {
    throw new GeoDatabaseFormatError(`it is truncated (${size} bytes, the header accounts for ${expected})`);
  }
  if (size > expected) {
    throw new GeoDatabaseFormatError(
      `it has ${size - expected} bytes after its tables (the header accounts for ${expected})`,
    );
  }
  return { header, headLength };
}

export class GeoDatabaseFormatError extends Error {
  /** What is wrong with the bytes; `file` names where they were read from, when known. */
  constructor(
    readonly detail: string,
    file?: string,
  ) {
    super(
      `the geo database file${file === undefined ? '' : ` ${file}`} is not usable: ${detail}; rebuild it (npm run geo:build) or reinstall the function's asset`,
    );
    this.name = 'GeoDatabaseFormatError';
  }
}

/**
 * A decoded geo database: answers lookups from views over the file's bytes ({@link decode}), or
 * from the file itself, read a page at a time as lookups need it ({@link open}).
 */
export class GeoDatabase implements GeoLookup {
  readonly version: string;
  readonly info: GeoDatabaseInfo;
  /** Entries per table and the byte size, for load figures. */
  readonly stats: { bytes: number; ranges: Record<TableName, number>; networks: number };
  private readonly orgNames: (string | undefined)[];

  private constructor(
    private readonly header: Header,
    private readonly words: Words,
    private readonly orgBytes: (from: number, to: number) => Uint8Array,
    bytes: number,
  ) {
    this.version = header.version;
    this.info = { version: header.version, releasedAt: header.releasedAt, sources: header.sources };
    this.orgNames = new Array(header.asns[1]);
    this.stats = {
      bytes,
      ranges: Object.fromEntries(TABLES.map(({ name }) => [name, header.tables[name][1]])) as Record<
        TableName,
        number
      >,
      networks: header.asns[1],
    };
  }

  /** The database held in memory, as views over `bytes`. */
  static decode(bytes: Uint8Array): GeoDatabase {
    const { header, headLength } = readHeader(bytes.length, (offset, length) =>
      bytes.subarray(offset, offset + length),
    );
    const [orgAt, orgLength] = header.orgBytes;
    // Typed-array views need an aligned offset; a copy is made only when the buffer is not.
    const aligned = (bytes.byteOffset + headLength) % 4 === 0 ? bytes : bytes.slice();
    const words = new Uint32Array(aligned.buffer, aligned.byteOffset + headLength, orgAt / 4);
    const orgs = aligned.subarray(headLength + orgAt, headLength + orgAt + orgLength);
    return new GeoDatabase(
      header,
      new ArrayWords(words),
      (from, to) => orgs.subarray(from, to),
      bytes.length,
    );
  }

  /**
   * The database read from `file` as lookups need it: only the header is read here, then pages of
   * the tables (at most 2 MiB kept) instead of the whole ~16 MB file held for the process's life.
   */
  static open(file: GeoFile): GeoDatabase {
    const { header, headLength } = readHeader(file.size, (offset, length) => file.read(offset, length));
    const orgStart = headLength + header.orgBytes[0];
    return new GeoDatabase(
      header,
      new PagedWords(file, headLength),
      (from, to) => file.read(orgStart + from, to - from),
      file.size,
    );
  }

  private value(table: TableName, wide: boolean, hi: number, lo: number): number {
    const [base, count] = this.header.tables[table];
    const at = search(this.words, base, count, wide, hi, lo);
    if (at < 0) return 0;
    return this.words.at(base + (wide ? 2 : 1) * count + at);
  }

  private org(index: number): string | null {
    const cached = this.orgNames[index];
    if (cached !== undefined) return cached === '' ? null : cached;
    const [asnBase, count] = this.header.asns;
    const from = this.words.at(asnBase + count + index);
    const to = this.words.at(asnBase + count + index + 1);
    const name = new TextDecoder().decode(this.orgBytes(from, to));
    this.orgNames[index] = name;
    return name === '' ? null : name;
  }

  lookup(ipAddress: string): GeoAnswer | undefined {
    const key = clientIpKey(ipAddress);
    if (!key) return undefined;
    const wide = key.family === 6;
    const hi = wide ? key.hi : key.value;
    const lo = wide ? key.lo : 0;
    const country = this.value(wide ? 'countryV6' : 'countryV4', wide, hi, lo);
    const network = this.value(wide ? 'asnV6' : 'asnV4', wide, hi, lo);
    return {
      country: country === 0 ? null : (this.header.countries[country - 1] ?? null),
      asn: network === 0 ? null : this.words.at(this.header.asns[0] + network - 1),
      org: network === 0 ? null : this.org(network - 1),
    };
  }
}
