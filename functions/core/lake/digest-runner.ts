import * as z from 'zod';

/**
 * What started a run that appends digests:
 * - `schedule`: the ingest function, invoked with the schedule's event (`{"source":"schedule"}`);
 *   anyone allowed to invoke the function can send that event too, which the request id tells apart
 *   (a trail logging the function's Invoke data events names who invoked it);
 * - `invoke`: the ingest function, invoked with another event (a run started by hand);
 * - `invoke-re-pull`: the ingest function, invoked with a re-pull (`{"rePull":…}`);
 * - `ingest`, `ingest-range`: `ingest` from the command line, from the checkpoint or `--from/--to`;
 * - `enrich`: `enrich` from the command line;
 * - `demo`: the demo's own ingest, into its own lake.
 */
export type DigestTrigger =
  | 'schedule'
  | 'invoke'
  | 'invoke-re-pull'
  | 'ingest'
  | 'ingest-range'
  | 'enrich'
  | 'demo';

/**
 * The function that ran, from its Lambda context: what CloudTrail's `Sign` events of the run name
 * as the caller (the role's session is named after the function), and what its logs carry.
 */
// Types, not interfaces: a stored runner's caller is a record of strings, which these must fit.
type LambdaCaller = {
  kind: 'lambda';
  function_arn: string;
  function_name: string;
  function_version: string;
  /** The invocation's request id: its log lines (`START RequestId: …`) and its Invoke data event. */
  request_id: string;
  log_group?: string;
  log_stream?: string;
};

/**
 * What a process on someone's machine can say of itself. The process writes it, so it is what the
 * person running it chose to have it say: `self_reported` says so in the digest itself.
 */
type CommandLineCaller = {
  kind: 'command-line';
  self_reported: true;
  host: string;
  user: string;
};

/**
 * Who ran the run a digest records and what it read: signed with the rest of the digest, so it
 * cannot be changed afterwards, but written by whoever signed. It tells a reader which runs to
 * check and against what (CloudTrail's `Sign` events, the function's logs); it proves nothing alone.
 */
export interface DigestRunner {
  trigger: DigestTrigger;
  /**
   * The Domo API the run read, as scheme, host and port only (no path, user name, password or
   * query: nothing that could be a credential); absent for work that reads no API (`enrich`).
   */
  api_base?: string;
  caller: LambdaCaller | CommandLineCaller;
}

/**
 * How a stored digest's runner reads. Loose on purpose: a value of a later version (another
 * trigger, another kind of caller, more fields) must not make the digest unreadable, or no run
 * could append to the chain past it; what the reader shows of it is made visible text anyway.
 */
export const digestRunnerSchema = z.lazy(() =>
  z.object({
    trigger: z.string(),
    api_base: z.string().optional(),
    caller: z.object({ kind: z.string() }).catchall(z.unknown()),
  }),
);

/** A runner as read from a stored digest: its fields as they are, known values or not. */
export type StoredDigestRunner = z.infer<typeof digestRunnerSchema>;

/**
 * The API base as a digest records it: scheme, host and port. A path may hold anything (a proxy's
 * token), and the base is checked to carry no user name, password or query already; cutting it to
 * the origin keeps even a mistake there out of a document that is kept for years.
 */
export function apiOrigin(apiBase: string): string {
  return new URL(apiBase).origin;
}
