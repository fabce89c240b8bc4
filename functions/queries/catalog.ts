import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { QueryCatalog } from '../core/queries/query-catalog.ts';
import type { QueryDefinition } from '../core/queries/query-definition.ts';

/**
 * Reads the query catalog's files: one Athena engine v3 (Trino) SQL file per query in this
 * directory (the format is described in core/queries/query-definition.ts). The core parses and
 * binds; this module is the only one that knows the queries are files, and is imported by the entry
 * points (the report Lambda, the CLI), the engines' defaults, infra and tests — never by the core.
 */

/** Where the `.sql` files are: beside this module, or `QUERIES_DIR` (a bundled Lambda copies them). */
export const QUERIES_DIR = process.env.QUERIES_DIR ?? import.meta.dirname;

/** The names of the `.sql` files in `dir` (the catalog's own by default), in name order. */
export function queryNames(dir: string = QUERIES_DIR): string[] {
  try {
    return readdirSync(dir)
      .filter((file) => file.endsWith('.sql'))
      .map((file) => file.slice(0, -'.sql'.length))
      .sort();
  } catch {
    return [];
  }
}

/** Every query of the catalog, by name, in name order. */
export const QUERY_NAMES: readonly string[] = Object.freeze(queryNames(QUERIES_DIR));

let shipped: QueryCatalog | undefined;

/** The catalog of the `.sql` files in `dir`: the shipped one is read once, any other on each call. */
export function loadQueryCatalog(dir: string = QUERIES_DIR): QueryCatalog {
  if (dir === QUERIES_DIR && shipped) return shipped;
  const texts: Record<string, string> = {};
  for (const name of dir === QUERIES_DIR ? QUERY_NAMES : queryNames(dir)) {
    texts[name] = readFileSync(path.join(dir, `${name}.sql`), 'utf8');
  }
  const catalog = new QueryCatalog(texts, dir);
  if (dir === QUERIES_DIR) shipped = catalog;
  return catalog;
}

/** One query of the catalog in `dir`. Throws UnknownQueryError for a name not in it. */
export const loadQuery = (name: string, dir?: string): QueryDefinition => loadQueryCatalog(dir).get(name);

/** The positional values of a catalog query from named ones (what the engines bind; tests and tools). */
export const bindParams = (name: string, values: Readonly<Record<string, string>>, dir?: string): string[] =>
  loadQueryCatalog(dir).bind(name, values).positional;
