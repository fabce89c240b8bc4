import { existsSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../core/error-message.ts';
import { GeoDatabase, type GeoFile } from '../core/geo/geo-database.ts';
import type { Log } from '../core/ports.ts';
import { ensureGeoDatabaseFile, GEO_DB_FILE_NAME } from './geo-database-build.ts';

/**
 * Finds and loads the geo database file: `GEO_DB_PATH` if set; else the file shipped beside the
 * bundled function (the CDK asset); else, when running from the sources, the file built from the
 * installed data packages (built once and cached).
 */
export function geoDatabasePath(env: Record<string, string | undefined> = process.env): string {
  const explicit = env.GEO_DB_PATH;
  if (explicit) return explicit;
  const beside = path.join(import.meta.dirname, GEO_DB_FILE_NAME);
  if (existsSync(beside)) return beside;
  return ensureGeoDatabaseFile();
}

export interface GeoLoad {
  database: GeoDatabase;
  file: string;
  loadMs: number;
}

/**
 * A database file opened for reading at any offset. The descriptor stays open for the life of the
 * process (the container's database is loaded once and kept).
 */
function openGeoFile(file: string): GeoFile {
  const fd = openSync(file, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read(offset, length) {
      const bytes = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      let done = 0;
      while (done < bytes.length) {
        const read = readSync(fd, bytes, done, bytes.length - done, offset + done);
        if (read === 0) break;
        done += read;
      }
      return done === bytes.length ? bytes : bytes.subarray(0, done);
    },
  };
}

/**
 * Opens the database file and reads its header; the tables are read a page at a time as lookups
 * need them (see GeoDatabase.open), so the ~16 MB file is not held in memory. Throws with the path
 * and the fix when it is missing or broken.
 */
export function loadGeoDatabase(file: string = geoDatabasePath()): GeoLoad {
  const started = performance.now();
  let geoFile: GeoFile;
  try {
    geoFile = openGeoFile(file);
  } catch (error) {
    throw new Error(
      `cannot read the geo database ${file} (${errorMessage(error)}); redeploy so the function's asset carries it, or set GEO_DB_PATH`,
    );
  }
  const database = GeoDatabase.open(geoFile);
  return { database, file, loadMs: performance.now() - started };
}

let loaded: GeoDatabase | null | undefined;

/**
 * The container's geo database, loaded on first use and kept. If it cannot be loaded, ingest goes
 * on without enrichment (the columns stay null, the error is logged once): the lake must keep
 * filling, and `enrich` can fill the columns in later.
 */
export function containerGeoDatabase(log: Log): GeoDatabase | undefined {
  if (loaded === undefined) {
    try {
      const { database, file, loadMs } = loadGeoDatabase();
      log.info('geo database loaded', { file, version: database.version, loadMs: Math.round(loadMs) });
      loaded = database;
    } catch (error) {
      log.error('geo database unavailable; events are stored without geo columns', {
        error: errorMessage(error),
      });
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
