import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A fresh directory of this process's own (mode 0700, under the system's temp directory, TMPDIR),
 * for DuckDB's `temp_directory`: where a query too large for memory spills. DuckDB adds its temp
 * directory to `allowed_directories`, so its default, `.tmp` in the current directory, let SQL
 * a user wrote read files there (`read_text('.tmp/s.txt')`) and left spills in the analyst's
 * directory (review R-SQLBOX M1). This one holds nothing but the engine's spills.
 */
export const makeDuckDbTempDirectory = (): string =>
  mkdtempSync(path.join(tmpdir(), 'domo-activity-lake-duckdb-'));

/** Removes a directory made by {@link makeDuckDbTempDirectory}, spills and all. */
export function removeDuckDbTempDirectory(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
