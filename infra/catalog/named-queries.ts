import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The shared query catalog: one Athena/Trino SQL file per query. */
export const QUERIES_DIR = path.join(import.meta.dirname, '../../functions/queries');

export interface NamedQuerySource {
  /** File name without `.sql`, e.g. `latest_events`. */
  name: string;
  /** The leading `--` comment lines, joined: what a console user sees next to the name. */
  description: string;
  sql: string;
}

/** Athena's limit on a named query's description. */
const MAX_DESCRIPTION = 1024;

/** Reads every `*.sql` file of the query catalog, in name order. */
export function loadNamedQueries(dir: string = QUERIES_DIR): NamedQuerySource[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(dir, file), 'utf8').trim();
      const lines = sql.split('\n');
      const firstCode = lines.findIndex((line) => !line.startsWith('--'));
      const description = lines
        .slice(0, firstCode === -1 ? lines.length : firstCode)
        .map((line) => line.replace(/^--\s?/, '').trim())
        .join(' ')
        .slice(0, MAX_DESCRIPTION);
      return { name: file.slice(0, -'.sql'.length), description, sql };
    });
}
