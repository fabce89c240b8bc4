import { existsSync } from 'node:fs';
import path from 'node:path';

const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * The settings that keep SQL a user writes to the lake's own files: `read_csv('/etc/passwd')`,
 * `read_text` and `glob` read any file the user could, a read-only query or not (review R-ANALYST
 * M3). DuckDB then reads only under the directories given, the lake's, and checks both a pattern
 * and each file it expands to (so a lake named with `*` widens nothing), after resolving `..`;
 * the lock keeps the SQL from turning the settings back (DuckDB itself already refuses to enable
 * external access again once it is off). `dirs` are the lake's directory as written and as the
 * views' patterns write it (a `[`, `*` or `?` in its name escaped): DuckDB compares the pattern
 * as text. Run once the views exist: nothing outside the lake can be read, nor set, after it.
 */
export function lakeOnlyStatements(dirs: readonly string[]): string[] {
  const allowed = [...new Set(dirs.map((dir) => (dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`)))];
  return [
    `SET allowed_directories = [${allowed.map(sqlString).join(', ')}]`,
    'SET enable_external_access = false',
    'SET lock_configuration = true',
  ];
}

/**
 * The directories {@link lakeOnlyStatements} allows for the lake at `root`, whose views read it
 * through `pattern` (its name with `[`, `*` or `?` escaped): both, as DuckDB checks a view's
 * pattern as text. Allowing the pattern's text also allows a real directory of that very name,
 * `la[[]k]e[*]` beside `la[k]e*`, which SQL could then read (review R-SQLBOX L1): so when such a
 * path exists, this refuses rather than allow it.
 */
export function lakeOnlyDirectories(root: string, pattern: string): string[] {
  if (pattern === root) return [root];
  if (existsSync(pattern)) {
    throw new Error(
      `DuckDB cannot keep SQL to the lake ${root}: its file patterns name it ${pattern}, and a file or directory of that name exists too, which SQL could then read; rename one of them (or give a symbolic link to the lake with a plain name)`,
    );
  }
  return [root, pattern];
}

/** DuckDB's words for a file or directory refused by {@link lakeOnlyStatements}, with the path it names. */
const REFUSED_PATH =
  /Permission Error: Cannot access (?:file|directory) "([^"]*)" - file system operations are disabled/;

/** What SQL run as written may read locally, for the messages that refuse the rest. */
const READS_ONLY =
  "SQL run as written reads only the files under the lake's directory (those activity_log, coverage and quarantine read, or any file there by read_text, glob and the like)";

/**
 * A clearer error for SQL that read a file outside the lake (`root`): what was refused and why;
 * undefined for any other error. DuckDB's own directory (`~/.duckdb`, its extensions and stored
 * secrets) is named as such: `duckdb_extensions()` and `duckdb_secrets()` list it, and failed with
 * DuckDB's raw words (review R-SQLBOX L4).
 */
export function outsideLakeError(error: unknown, label: string, root: string): Error | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const file = REFUSED_PATH.exec(message)?.[1];
  if (file === undefined) return undefined;
  const what = /[/\\]\.duckdb(?:[/\\]|$)/.test(file)
    ? `${JSON.stringify(file)}, DuckDB's own directory of extensions and secrets (duckdb_extensions() and duckdb_secrets() list it),`
    : `${JSON.stringify(file)},`;
  return new Error(`${label} reads ${what} outside the lake (${root}): ${READS_ONLY}`, { cause: error });
}
