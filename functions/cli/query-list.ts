import { wrapToWidth } from '../core/display-width.ts';
import { loadQuery, QUERY_NAMES } from '../queries/catalog.ts';
import type { CommandIo } from './command-io.ts';
import { ENGINE_OPTIONS } from './engine-target.ts';
import { jsonOutput } from './json-output.ts';
import { givenFlags, optionValue } from './options.ts';
import { parseFormat } from './query-format.ts';
import { terminalWidth } from './terminal-table.ts';
import { UsageError } from './usage-error.ts';

/** Below this many columns beside the names, a description goes under its name instead. */
const MIN_DESCRIPTION_WIDTH = 30;

/**
 * Lists the catalog: each query with what it answers, one line each when `maxWidth` allows (a
 * pipe: every line whole, for grep), else the description wrapped between words under its column,
 * or, on a terminal too narrow for that column, under its name, so no line wraps mid-word.
 */
function describeCatalog(maxWidth = Number.POSITIVE_INFINITY): string {
  const column = Math.max(...QUERY_NAMES.map((n) => n.length)) + 2;
  const beside = maxWidth - column >= MIN_DESCRIPTION_WIDTH;
  const entry = (name: string): string[] => {
    const description = loadQuery(name).description;
    if (!beside) return [name, ...wrapToWidth(description, Math.max(1, maxWidth - 4)).map((l) => `    ${l}`)];
    const [first = '', ...rest] = wrapToWidth(description, maxWidth - column);
    return [name.padEnd(column) + first, ...rest.map((line) => ' '.repeat(column) + line)];
  };
  return `${QUERY_NAMES.flatMap(entry).join('\n')}\n`;
}

/** Options that mean nothing to --list: it prints the catalog, and opens no lake or engine. */
const NOT_FOR_LIST = [
  'all',
  'sql',
  'sql-file',
  'from',
  'to',
  'limit',
  'time-zone',
  'param',
  'provenance',
  'out',
  'force',
  ...(Object.keys(ENGINE_OPTIONS) as (keyof typeof ENGINE_OPTIONS)[]),
] as const;

/** One query in `query --list --format json`. */
interface CatalogEntry {
  query: string;
  description: string;
  /** The parameters it takes, as --param names them. */
  params: string[];
  /**
   * The parameter each `?` of its SQL takes, in text order, repeats included: the order of
   * Athena's positional execution parameters (the saved query's), so a script builds them from
   * here and not from a copy that a new parameter reorders.
   */
  executionParameters: string[];
}

/**
 * `query --list`: the catalog as lines ({@link describeCatalog}) or, with --format json, an array of
 * {@link CatalogEntry} (the key `query`, as in `--all --format json`). Anything else given is refused,
 * naming it: a name or option that changes nothing would let a typo pass for a run.
 */
export function listCatalog(
  values: { format: string } & Partial<Record<(typeof NOT_FOR_LIST)[number], unknown>>,
  positionals: readonly string[],
  io: CommandIo,
): undefined {
  if (positionals.length > 0) {
    throw new UsageError(`--list lists every query: leave out ${positionals.join(', ')}`);
  }
  const given = givenFlags(values, NOT_FOR_LIST);
  if (given.length > 0) {
    throw new UsageError(
      `--list prints the catalog and runs no query, so ${given.join(', ')} would change nothing: leave ${given.length === 1 ? 'it' : 'them'} out`,
    );
  }
  const format = optionValue('--format', values.format, parseFormat);
  if (format === 'csv') throw new UsageError('--list prints a line per query (table) or --format json');
  if (format === 'table') {
    io.stdout.write(describeCatalog(terminalWidth(io.stdout)));
    return undefined;
  }
  const entries = QUERY_NAMES.map((name): CatalogEntry => {
    const { description, params, placeholders } = loadQuery(name);
    return { query: name, description, params, executionParameters: [...placeholders] };
  });
  io.stdout.write(jsonOutput(entries));
  return undefined;
}
