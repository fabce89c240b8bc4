import type { QueryParams } from '../ports.ts';
import { parseQuery, type QueryDefinition } from './query-definition.ts';
import { positionalValues } from './query-params.ts';

/** A query name that is not in the catalog; the message lists the valid ones. */
export class UnknownQueryError extends Error {
  constructor(
    readonly queryName: string,
    readonly known: readonly string[],
    location: string,
  ) {
    super(
      known.length === 0
        ? `no query "${queryName}": the query catalog at ${location} has no .sql files (a bundled function must ship functions/queries/*.sql beside its code, or set QUERIES_DIR)`
        : `no query "${queryName}"; the catalog has: ${known.join(', ')}`,
    );
    this.name = 'UnknownQueryError';
  }
}

/**
 * The queries an engine can run, by name, parsed from their SQL texts. Built by whoever reads the
 * files (functions/queries/catalog.ts), so the core never touches the filesystem. Each text is
 * parsed when first asked for, so a broken file fails the query that uses it, naming the file.
 */
export class QueryCatalog {
  /** Every query name, in name order. */
  readonly names: readonly string[];
  private readonly parsed = new Map<string, QueryDefinition>();

  /**
   * @param texts the SQL text of each query, by name
   * @param location where the texts came from, for messages (a directory)
   */
  constructor(
    private readonly texts: Readonly<Record<string, string>>,
    readonly location: string,
  ) {
    this.names = Object.freeze(Object.keys(texts).sort());
  }

  /** The query `name`. Throws {@link UnknownQueryError} for a name not in the catalog. */
  get(name: string): QueryDefinition {
    const cached = this.parsed.get(name);
    if (cached) return cached;
    const text = Object.hasOwn(this.texts, name) ? this.texts[name] : undefined;
    if (text === undefined) throw new UnknownQueryError(name, this.names, this.location);
    const query = parseQuery(name, text);
    this.parsed.set(name, query);
    return query;
  }

  /** The query's SQL and its positional values, from named values (see {@link positionalValues}). */
  bind(name: string, values: QueryParams): { query: QueryDefinition; positional: string[] } {
    const query = this.get(name);
    return { query, positional: positionalValues(query, values) };
  }
}
