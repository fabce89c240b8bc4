import type { AthenaClient } from '@aws-sdk/client-athena';
import type { QueryResult } from '../core/ports.ts';

/** What the tests (and other callers) can replace. */
export interface QueryCommandDeps {
  now?: () => number;
  /** Used for --athena instead of a client from the environment. */
  athenaClient?: AthenaClient;
}

export interface QueryCommandResult {
  query: string;
  params: Record<string, string>;
  result: QueryResult;
}
