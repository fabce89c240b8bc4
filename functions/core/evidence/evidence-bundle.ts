/**
 * An evidence bundle's files: what the lake gave for the case (the lines kept, the manifests as
 * stored, the account of each hour), and the list of every file with its SHA-256 and size, as a
 * JSON manifest and in the form `sha256sum -c` checks. Pure: the caller writes the files.
 */
import { sha256Hex } from '../lake/digest.ts';
import type { EvidenceHours, EvidenceRequest } from './evidence-hours.ts';

/** A file of the bundle, by its path inside the bundle's folder (`/`-separated). */
export interface BundleFile {
  path: string;
  body: Uint8Array;
}

/** A file as the manifest lists it. */
export interface BundleEntry {
  path: string;
  sha256: string;
  bytes: number;
}

/** The manifest's format: a reader checks it before trusting the fields below. */
export const EVIDENCE_FORMAT = 'domo-activity-lake/evidence@1';

/** The bundle's files the lake's hours make. */
export const EVENTS_FILE = 'events.ndjson';
export const QUARANTINED_FILE = 'quarantined.ndjson';
export const HOURS_FILE = 'hours.json';
export const MANIFEST_FILE = 'manifest.json';
export const SUMS_FILE = 'SHA256SUMS';
/** The folder the coverage manifests go under, each at its key in the lake. */
export const LAKE_FOLDER = 'lake';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * Lines as an NDJSON file holds them, each ended by `\n`: how `events.ndjson` and
 * `quarantined.ndjson` are written, an hour's lines at a time.
 */
export const ndjsonText = (lines: readonly string[]): string => lines.map((line) => `${line}\n`).join('');

/** What the case is, as the manifest and the hours' account state it. */
export function caseOf(request: EvidenceRequest) {
  return {
    instance: request.instance,
    from: new Date(request.fromMs).toISOString(),
    to: new Date(request.toMs).toISOString(),
    user_id: request.userId ?? null,
    // Only in a bundle by address (an alert of no user): a reader of any other finds none.
    ...(request.address === undefined ? {} : { address: request.address }),
    // Only in a bundle by name (a lockout or burst of no user id): a reader of any other finds none.
    ...(request.userName === undefined ? {} : { user_name: request.userName }),
    // Added after the format's first bundles: a reader of those finds none, as null says.
    note: request.note ?? null,
  };
}

/** The counts a reader of the bundle wants first. */
export function countsOf(found: EvidenceHours) {
  const sum = (kept: (hour: EvidenceHours['hours'][number]) => number | undefined) =>
    found.hours.reduce((total, hour) => total + (kept(hour) ?? 0), 0);
  return {
    events: sum((hour) => hour.activity?.kept),
    quarantined: sum((hour) => hour.quarantine?.kept),
    hours: found.hours.length,
    hours_with_manifest: found.hours.filter((hour) => hour.coverage !== null).length,
    hours_with_events: found.hours.filter((hour) => (hour.activity?.kept ?? 0) > 0).length,
  };
}

/** Where a coverage manifest goes in the bundle: at its key in the lake, under `lake/`. */
export const manifestPath = (key: string): string => `${LAKE_FOLDER}/${key}`;

/** The account of every hour of the case (`hours.json`), with the case and the counts. */
export function hoursFile(found: EvidenceHours, request: EvidenceRequest): BundleFile {
  const account = { case: caseOf(request), counts: countsOf(found), hours: found.hours };
  return { path: HOURS_FILE, body: utf8(`${JSON.stringify(account, null, 2)}\n`) };
}

/**
 * Each file's SHA-256 and size, by path (code-unit order, as the listing is stable): the files held
 * whole, and those written as they were read, whose entries their writer gave.
 */
export function bundleEntries(
  files: readonly BundleFile[],
  streamed: readonly BundleEntry[] = [],
): BundleEntry[] {
  return [
    ...files.map(({ path, body }) => ({ path, sha256: sha256Hex(body), bytes: body.byteLength })),
    ...streamed,
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * A geo database the bundle's events were placed by, as their `geo_db_version` names it: its
 * data's release date (`YYYY-MM-DD`, null when the version dates none) and how many events it
 * placed. Version null: the events no database placed (an address not looked up).
 */
export interface GeoDatabaseUse {
  version: string | null;
  released: string | null;
  events: number;
}

/** Who made the bundle, when and from where, as the manifest states it. */
export interface BundleMaker {
  /** UTC, ISO 8601. */
  createdAt: string;
  /** The tool's version line. */
  tool: string;
  /** The lake read, by its folder's name: never its path on the sender's machine. */
  lake: string;
  /** The Domo customer the instance's lake is bound to, when it records one. */
  domoCustomer?: string | undefined;
  /** Node's version, which ran the tool. */
  node?: string | undefined;
  /** Node's Unicode version, which folded the names of a bundle by name (check.py names it). */
  unicode?: string | undefined;
  /** DuckDB's version, when the bundle's queries ran on it. */
  duckdb?: string | undefined;
  /** The geo databases the events were placed by. */
  geoDatabases?: readonly GeoDatabaseUse[] | undefined;
}

/**
 * The alert a bundle was made for (`evidence --alert`): which, the file holding its archive object
 * as stored, and how many of its triggering events are lines of the bundle (those that are not,
 * by id: outside the period, or not the user's).
 */
export interface BundleAlert {
  id: string;
  kind: string;
  /** UTC, as archived. */
  event_time: string;
  user_id: string | null;
  /** The archive object in the bundle: `lake/alerts/instance=<i>/dt=<date>/<id>.json`. */
  file: string;
  sha256: string;
  event_ids: number;
  event_ids_in_bundle: number;
  event_ids_not_in_bundle: string[];
}

/**
 * The manifest: the case, who made it, the counts, and the files with their SHA-256 and size (every
 * file but itself and SHA256SUMS, which lists it).
 */
export function manifestFile(
  entries: readonly BundleEntry[],
  request: EvidenceRequest,
  found: EvidenceHours,
  maker: BundleMaker,
  alert?: BundleAlert,
): BundleFile {
  const manifest = {
    format: EVIDENCE_FORMAT,
    created_at: maker.createdAt,
    tool: maker.tool,
    lake: maker.lake,
    domo_customer: maker.domoCustomer ?? null,
    node: maker.node ?? null,
    unicode: maker.unicode ?? null,
    duckdb: maker.duckdb ?? null,
    geo_databases: maker.geoDatabases ?? [],
    case: caseOf(request),
    // Only in a bundle of an alert: a reader of any other finds none.
    ...(alert === undefined ? {} : { alert }),
    counts: countsOf(found),
    files: entries,
  };
  return { path: MANIFEST_FILE, body: utf8(`${JSON.stringify(manifest, null, 2)}\n`) };
}

/**
 * `SHA256SUMS` of the files, in the text form `sha256sum -c` (and `shasum -a 256 -c`) reads: the
 * hash, two spaces, the path. Refuses a path those tools would read otherwise (a newline, a
 * backslash, a leading space): none of the bundle's names has one.
 */
export function sumsFile(entries: readonly BundleEntry[]): BundleFile {
  for (const { path } of entries) {
    if (/[\n\r\\]|^\s/.test(path))
      throw new Error(`the bundle's file name ${JSON.stringify(path)} cannot be listed for sha256sum`);
  }
  return { path: SUMS_FILE, body: utf8(entries.map(({ path, sha256 }) => `${sha256}  ${path}\n`).join('')) };
}
