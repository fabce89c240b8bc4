import { didYouMean } from '../core/did-you-mean.ts';
import { UnknownQueryError } from '../core/queries/query-catalog.ts';
import type { QueryDefinition } from '../core/queries/query-definition.ts';
import { loadQuery, QUERY_NAMES } from '../queries/catalog.ts';
import { UsageError } from './usage-error.ts';

export function queryFrom(name: string | undefined): QueryDefinition {
  if (name === undefined) throw new UsageError(`name a query: ${QUERY_NAMES.join(', ')} (or --list)`);
  try {
    return loadQuery(name);
  } catch (error) {
    if (error instanceof UnknownQueryError) throw new UsageError(unknownQueryMessage(error));
    throw error;
  }
}

/** The catalog's refusal, with the query a mistyped name most likely meant, as for a command. */
function unknownQueryMessage(error: UnknownQueryError): string {
  const near = didYouMean(error.queryName, error.known);
  if (near === undefined) return error.message;
  return `no query ${JSON.stringify(error.queryName)} (did you mean ${near}?); the catalog has: ${error.known.join(', ')}`;
}
