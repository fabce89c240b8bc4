import type { QueryDefinition } from '../../functions/core/queries/query-definition.ts';
import { loadQuery, QUERIES_DIR, queryNames } from '../../functions/queries/catalog.ts';
import { consoleRefusalNote } from './placeholders-outside-where.ts';

export interface NamedQuerySource {
  /** The catalog name (file name without `.sql`), e.g. `latest_events`. */
  name: string;
  /** What a console user sees next to the name: what it answers and the order of its `?` values. */
  description: string;
  /** The file's SQL, its `-- params:` header line replaced by the console's order (see {@link consoleSql}). */
  sql: string;
}

/** Athena's limit on a named query's description. */
const MAX_DESCRIPTION = 1024;

/**
 * The SQL a console user opens, its header's `-- params:` line replaced by the value each `?`
 * takes, in text order, repeats included. Why: the console prompts by position, and the file's
 * line lists the names a caller passes, in an order of its own; read as the prompts' order it
 * binds trending_cards' periods to the wrong `?`s with no error (review R-ANALYST3 H1). The line
 * says no question mark: an editor counting them would ask for one more value.
 */
export function consoleSql(query: Pick<QueryDefinition, 'sql' | 'placeholders'>): string {
  const order = query.placeholders.length === 0 ? 'none' : query.placeholders.join(', ');
  return query.sql.replace(/^-- params:.*$/m, `-- values, in the order the console asks for them: ${order}`);
}

/**
 * Every query of the shared catalog (`functions/queries/*.sql`), read through the catalog's own
 * parser, so a file the engines would reject fails `cdk synth` too. The console prompts for `?`
 * values by position, so the description lists them in that order. A description over Athena's
 * limit fails synth rather than being cut: cutting would drop the parameter order at its end.
 */
export function loadNamedQueries(dir: string = QUERIES_DIR): NamedQuerySource[] {
  return queryNames(dir).map((name) => {
    const query = loadQuery(name, dir);
    const parameters =
      query.placeholders.length === 0
        ? ''
        : ` Parameters, in order (each quoted, e.g. '2026-11-20'): ${query.placeholders.join(', ')}.`;
    const about = [query.description, query.details].filter((part) => part !== '').join(' ');
    const description = `${about}${parameters}${consoleRefusalNote(query.sql)}`;
    if (description.length > MAX_DESCRIPTION) {
      throw new Error(
        `query ${name}.sql: its description for the Athena console (the header's text, the parameter list and the note on a ? outside WHERE) is ${description.length} characters, over the ${MAX_DESCRIPTION} Athena allows; shorten the header comment by ${description.length - MAX_DESCRIPTION} characters`,
      );
    }
    return { name, description, sql: consoleSql(query) };
  });
}
