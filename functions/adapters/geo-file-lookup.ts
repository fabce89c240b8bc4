import { existsSync } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../core/error-message.ts';
import { checkGeoDatabaseFile, GeoDatabase, GeoDatabaseFormatError } from '../core/geo/geo-database.ts';
import type { Log } from '../core/ports.ts';
import { ensureGeoDatabaseFile, GEO_DB_FILE_NAME } from './geo-database-build.ts';
import { openGeoFile } from './geo-file.ts';

/**
 * `file`, named by GEO_DB_PATH, once it passes its checksum; throws naming it and the fix if it
 * does not. One that cannot be opened is handed back as it is: loading it says why.
 */
function checkedExplicit(file: string): string {
  let geoFile: ReturnType<typeof openGeoFile>;
  try {
    geoFile = openGeoFile(file);
  } catch {
    return file;
  }
  try {
    checkGeoDatabaseFile(geoFile);
  } catch (error) {
    const detail = error instanceof GeoDatabaseFormatError ? error.detail : errorMessage(error);
    // The fix before the detail: a reason is cut at 300 characters where it is logged.
    throw new Error(
      `the geo database file ${file} that GEO_DB_PATH names fails its check: rebuild it (npm run geo:build) and point GEO_DB_PATH at the file it prints, or unset GEO_DB_PATH (${detail})`,
    );
  } finally {
    geoFile.close();
  }
  return file;
}

/**
 * Finds and loads the geo database file: `GEO_DB_PATH` if set; else the file shipped beside the
 * bundled function (the CDK asset); else, when running from the sources, the file built from the
 * installed data packages (built once and cached). A deployed function (Lambda sets
 * `AWS_LAMBDA_FUNCTION_NAME`) has no data packages to build from: there the file beside it is the
 * only one, and its absence is what the error says. Outside Lambda a file GEO_DB_PATH names is
 * checked against its checksum, as the cached file is (about 15 ms of CPU, once per load; more wall
 * time on a busy host: bench/geo-file.ts): one damaged
 * in place still opens and answers wrongly. In Lambda it is not, as the file beside the function
 * is not (docs/decisions.md, "Geo database checksum").
 */
export function geoDatabasePath(env: Record<string, string | undefined> = process.env): string {
  const explicit = env.GEO_DB_PATH;
  if (explicit) return env.AWS_LAMBDA_FUNCTION_NAME ? explicit : checkedExplicit(explicit);
  const beside = path.join(import.meta.dirname, GEO_DB_FILE_NAME);
  if (existsSync(beside)) return beside;
  if (env.AWS_LAMBDA_FUNCTION_NAME) {
    throw new Error(
      `the geo database file ${beside} beside the function is missing: redeploy, so that the function's asset carries it`,
    );
  }
  return ensureGeoDatabaseFile();
}

interface GeoLoad {
  database: GeoDatabase;
  file: string;
  loadMs: number;
}

/**
 * Opens the database file and reads its header; the tables are read a page at a time as lookups
 * need them (see GeoDatabase.open), so the ~16 MB file is not held in memory. Throws with the path
 * and the cause when it is missing or broken. The fix is the caller's to give: the Lambda's
 * (redeploy) and the command line's (GEO_DB_PATH, npm ci) differ.
 */
export function loadGeoDatabase(file: string = geoDatabasePath()): GeoLoad {
  const started = performance.now();
  let database: GeoDatabase;
  let geoFile: ReturnType<typeof openGeoFile> | undefined;
  try {
    geoFile = openGeoFile(file);
    // Opening reads the header: a directory (EISDIR) fails there, not at openSync.
    database = GeoDatabase.open(geoFile);
  } catch (error) {
    geoFile?.close();
    if (error instanceof GeoDatabaseFormatError) throw new GeoDatabaseFormatError(error.detail, file);
    throw new Error(`cannot read the geo database ${file} (${errorMessage(error)})`);
  }
  return { database, file, loadMs: performance.now() - started };
}

/** One load attempt of the container: the database, or why it could not be loaded. */
type ContainerLoad = { database: GeoDatabase } | { unavailable: string };

/** Load attempts by `GEO_DB_PATH` ('' when unset): each is made once per container and kept. */
const loads = new Map<string, ContainerLoad>();

/** Longest reason kept: the message names a path and an OS or format error, never more. */
const REASON_MAX = 300;

/**
 * Why the database could not be loaded, fit for a log line, a run summary and a terminal: the
 * first line of the message, at most REASON_MAX characters. The messages come from this module, the
 * file system and the database's format checks (a path and an error code), not from credentials.
 */
function unavailableReason(error: unknown): string {
  const first = (errorMessage(error).split('\n')[0] ?? '').trim();
  return first.length > REASON_MAX ? `${first.slice(0, REASON_MAX - 1)}…` : first || 'unknown error';
}

/**
 * How to make the database loadable where the code runs (a deployed function, a checkout), for the
 * log line that says it could not be loaded; absent, that line gives only the reason.
 */
type GeoLoadFix = string | undefined;

function containerLoad(log: Log, env: Record<string, string | undefined>, fix: GeoLoadFix): ContainerLoad {
  const key = env.GEO_DB_PATH ?? '';
  let load = loads.get(key);
  if (load === undefined) {
    try {
      const { database, file, loadMs } = loadGeoDatabase(geoDatabasePath(env));
      log.info('geo database loaded', { file, version: database.version, loadMs: Math.round(loadMs) });
      load = { database };
    } catch (error) {
      const unavailable = unavailableReason(error);
      log.error('geo database unavailable; events are stored without geo columns', {
        error: unavailable,
        ...(fix ? { fix } : {}),
      });
      load = { unavailable };
    }
    loads.set(key, load);
  }
  return load;
}

/** What an ingest is given for the geo columns (IngestDeps): the database, or why there is none. */
interface ContainerGeo {
  geo?: GeoDatabase;
  /** The load error (path and cause, one line), when the database could not be loaded. */
  geoUnavailable?: string;
}

/**
 * The container's geo database as ingest takes it, loaded on first use and kept: `{ geo }`, or
 * `{ geoUnavailable }` with the reason, so the run can count and report the events it stores
 * without geo columns. A database that cannot be loaded does not stop the ingest (the columns stay
 * null, the error is logged once): the lake must keep filling, and `enrich` can fill them later.
 */
export function containerGeo(
  log: Log,
  env: Record<string, string | undefined> = process.env,
  fix?: GeoLoadFix,
): ContainerGeo {
  const load = containerLoad(log, env, fix);
  return 'database' in load ? { geo: load.database } : { geoUnavailable: load.unavailable };
}
