import * as z from 'zod';
import type { ObjectStore, StoredObject } from '../ports.ts';
import { DAY_MS, HOUR_MS } from '../time-units.ts';
import type { CoverageManifest } from './coverage-manifest.ts';
import { deleteGuardNote } from './delete-guard-note.ts';
import { coverageKey, tableDayPrefix, tableInstancePrefix, windowStartFromKey } from './layout.ts';
import { readAhead } from './read-ahead.ts';
import { decodeStoredJson } from './stored-json.ts';

// Mirrors CoverageManifest; loose so a manifest written by a newer version still reads.
const manifestSchema = z.lazy(() =>
  z.looseObject({
    window_start_ms: z.number().int(),
    window_end_ms: z.number().int(),
    window_start: z.string(),
    event_count: z.number().int().nonnegative(),
    quarantined_count: z.number().int().nonnegative(),
    out_of_window_count: z.number().int().nonnegative(),
    pages: z.number().int().nonnegative(),
    requests: z.number().int().nonnegative(),
    content_hash: z.string(),
    fetch_count: z.number().int().nonnegative(),
    late_events: z.number().int().nonnegative(),
    late_events_total: z.number().int().nonnegative(),
    first_fetched_at: z.string(),
    fetched_at: z.string(),
    code_version: z.string(),
    run_id: z.string(),
  }),
);

/**
 * The manifest in `body` for the window at `windowStartMs`, or why it is none (not JSON, a field
 * missing, another window's): for a caller that goes on past an invalid one (verify).
 */
export function readManifest(
  body: Uint8Array,
  windowStartMs: number,
): { ok: true; manifest: CoverageManifest } | { ok: false; reason: string } {
  const reading = decodeStoredJson(body, manifestSchema);
  if (!reading.ok) return reading;
  if (reading.value.window_start_ms !== windowStartMs)
    return { ok: false, reason: `window_start_ms ${reading.value.window_start_ms} does not match the key` };
  return { ok: true, manifest: reading.value as CoverageManifest };
}

/**
 * The manifest stored at `key` for the window at `windowStartMs`; throws saying how to repair one
 * invalid, after keeping a copy: on disk nothing else keeps it (review R-AUDITOR M4).
 */
function parseManifest(store: ObjectStore, key: string, body: Uint8Array, windowStartMs: number) {
  const reading = readManifest(body, windowStartMs);
  if (!reading.ok) {
    throw new Error(
      `coverage manifest ${key} at ${store.location} is invalid (${reading.reason}): keep a copy of it first, as it may be evidence (a manifest edited, or swapped with another hour's: the integrity check says whose bytes it holds; on S3 its versions are kept), then delete it${deleteGuardNote(store.location)} and pull that hour again (a scheduled run pulls again only the hours from its lookback on; re-pull an older one)`,
    );
  }
  return reading.manifest;
}

interface StoredCoverage {
  manifest: CoverageManifest;
  /** For a conditional rewrite ({@link writeCoverage}'s `expected`). */
  etag: string;
}

/** The manifest of the window starting at `windowStartMs` with its ETag, or undefined if it was never completed. */
export async function readStoredCoverage(
  store: ObjectStore,
  instance: string,
  windowStartMs: number,
): Promise<StoredCoverage | undefined> {
  return storedCoverageOf(
    store,
    instance,
    windowStartMs,
    await store.get(coverageKey(instance, windowStartMs)),
  );
}

/** {@link readStoredCoverage} of the object as read from `store` (undefined: there was none). */
export function storedCoverageOf(
  store: ObjectStore,
  instance: string,
  windowStartMs: number,
  stored: StoredObject | undefined,
): StoredCoverage | undefined {
  const key = coverageKey(instance, windowStartMs);
  return stored
    ? { manifest: parseManifest(store, key, stored.body, windowStartMs), etag: stored.etag }
    : undefined;
}

/** The manifest of the window starting at `windowStartMs`, or undefined if it was never completed. */
export const readCoverage = async (
  store: ObjectStore,
  instance: string,
  windowStartMs: number,
): Promise<CoverageManifest | undefined> =>
  (await readStoredCoverage(store, instance, windowStartMs))?.manifest;

export const COVERAGE_CONTENT_TYPE = 'application/json';

/** A manifest as stored: one JSON line (Athena reads it as a one-row JSON file). */
export const encodeCoverage = (manifest: CoverageManifest): Uint8Array =>
  new TextEncoder().encode(`${JSON.stringify(manifest)}\n`);

/**
 * Writes a window's manifest as one JSON line (Athena reads it as a one-row JSON file). With
 * `expected`, the write only lands if the stored manifest is still the one read (its ETag, or
 * `null` for none), and otherwise throws PreconditionFailedError.
 */
export async function writeCoverage(
  store: ObjectStore,
  instance: string,
  manifest: CoverageManifest,
  expected?: { etag: string | null },
): Promise<{ key: string; etag: string }> {
  const key = coverageKey(instance, manifest.window_start_ms);
  const condition =
    expected === undefined
      ? {}
      : expected.etag === null
        ? { ifNoneMatch: '*' as const }
        : { ifMatch: expected.etag };
  const { etag } = await store.put(key, encodeCoverage(manifest), {
    contentType: COVERAGE_CONTENT_TYPE,
    ...condition,
  });
  return { key, etag };
}

/**
 * The hour whose manifest `key` is, if it is one: only the key the lake gives an hour's manifest.
 * A stray file whose name parses to an hour (`dt=…/…T05.ndjson.gz`, `dt=…/old/dt=…/…T09.json`) is
 * no manifest: counted as one, it made its hour covered for status and alerts, and hid a missing
 * manifest from verify (which names the file as no object of the lake instead).
 */
export function manifestHourOf(instance: string, key: string): number | undefined {
  const windowStartMs = windowStartFromKey(key);
  return windowStartMs !== undefined && key === coverageKey(instance, windowStartMs)
    ? windowStartMs
    : undefined;
}

/** A manifest's key, and the window its key names. */
export interface CoverageKey {
  key: string;
  windowStartMs: number;
}

/**
 * The manifest keys of the windows starting in `[fromMs, toMs)`, oldest first. Lists one day
 * partition at a time, so memory and each LIST stay bounded whatever the range. Once `stop` aborts
 * it throws its reason before the next day's LIST: across days with no manifest (a gap, a range past
 * the lake's end) it lists on without yielding, a LIST a day, for a run that may be over.
 */
export async function* coverageKeys(
  store: ObjectStore,
  instance: string,
  fromMs: number,
  toMs: number,
  stop?: AbortSignal,
): AsyncIterable<CoverageKey> {
  for (let day = Math.floor(fromMs / DAY_MS) * DAY_MS; day < toMs; day += DAY_MS) {
    stop?.throwIfAborted();
    for await (const key of store.list(tableDayPrefix('coverage', instance, day))) {
      const windowStartMs = manifestHourOf(instance, key);
      if (windowStartMs !== undefined && windowStartMs >= fromMs && windowStartMs < toMs)
        yield { key, windowStartMs };
    }
  }
}

/**
 * Manifests of the windows starting in `[fromMs, toMs)`, oldest first ({@link coverageKeys}), read
 * ahead ({@link readAhead}): one GET at a time, a year of hours took 9 minutes of S3 round trips.
 */
export async function* listCoverage(
  store: ObjectStore,
  instance: string,
  fromMs: number,
  toMs: number,
): AsyncIterable<CoverageManifest> {
  const read = async ({ key, windowStartMs }: CoverageKey) => {
    const stored = await store.get(key);
    // Listed then gone: only a manual delete does that; the window simply is not covered.
    return stored ? parseManifest(store, key, stored.body, windowStartMs) : undefined;
  };
  for await (const manifest of readAhead((stop) => coverageKeys(store, instance, fromMs, toMs, stop), read)) {
    if (manifest) yield manifest;
  }
}

/**
 * The first hour with a coverage manifest, of any age, or undefined for none. Keys list in time
 * order (`dt=YYYY-MM-DD/HH`), so the first page of the listing answers it (one request on S3),
 * and the rest of the lake is not listed.
 */
export async function firstCoveredHour(store: ObjectStore, instance: string): Promise<number | undefined> {
  for await (const key of store.list(tableInstancePrefix('coverage', instance))) {
    const windowStartMs = manifestHourOf(instance, key);
    if (windowStartMs !== undefined) return windowStartMs;
  }
  return undefined;
}

/** The hours a lake holds manifests for: its first covered hour to the end of its last. */
export interface CoveredExtent {
  fromMs: number;
  toMs: number;
  /** How many hours between them have a manifest: fewer than the span's hours when some are missing. */
  hours: number;
}

/**
 * The start of every hour with a coverage manifest, of any age (before `beforeMs`, when given).
 * Lists keys only (one per hour, a thousand to a listing on S3) and reads none. Hours, not keys: a
 * store that lists one hour's key twice must not hide a missing one.
 */
export async function coveredHourSet(
  store: ObjectStore,
  instance: string,
  beforeMs = Number.POSITIVE_INFINITY,
): Promise<Set<number>> {
  const hours = new Set<number>();
  for await (const key of store.list(tableInstancePrefix('coverage', instance))) {
    const windowStartMs = manifestHourOf(instance, key);
    if (windowStartMs !== undefined && windowStartMs < beforeMs) hours.add(windowStartMs);
  }
  return hours;
}

/** The first and last hour of `hours` (hour starts), or null for none. */
export function extentOf(hours: ReadonlySet<number>): CoveredExtent | null {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const hour of hours) {
    first = Math.min(first, hour);
    last = Math.max(last, hour);
  }
  return first > last ? null : { fromMs: first, toMs: last + HOUR_MS, hours: hours.size };
}

/**
 * The first and last hour with a coverage manifest, of any age (before `beforeMs`, when given), or
 * null for none ({@link coveredHourSet}).
 */
export async function coveredExtent(
  store: ObjectStore,
  instance: string,
  beforeMs = Number.POSITIVE_INFINITY,
): Promise<CoveredExtent | null> {
  return extentOf(await coveredHourSet(store, instance, beforeMs));
}
