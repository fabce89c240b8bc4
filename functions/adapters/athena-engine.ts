import {
  type AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  type Row,
  StartQueryExecutionCommand,
  type StatementType,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { errorMessage } from '../core/error-message.ts';
import { lakeTimestamp } from '../core/lake/layout.ts';
import type {
  QueryColumnType,
  QueryParams,
  QueryResult,
  QueryRow,
  QueryRunOptions,
  QueryValue,
  SqlEngine,
} from '../core/ports.ts';
import type { QueryCatalog } from '../core/queries/query-catalog.ts';
import { inlineParameters } from '../core/queries/query-definition.ts';
import { queryIntegerText } from '../core/queries/query-integer.ts';
import { MINUTE_MS } from '../core/time-units.ts';
import { zonedWallTimeToUtc } from '../core/zoned-time.ts';
import { loadQueryCatalog } from '../queries/catalog.ts';
import { withAthenaTimeZone } from './athena-time-zone.ts';
import { athenaStatementProblem, NotReadOnlySqlError } from './read-only-sql.ts';
import { RowTally } from './row-ceiling.ts';
import { sendUntilAborted, untilAborted } from './until-aborted.ts';

/**
 * How long a stop waits for Athena: on a stalled connection a stop that never answers would keep
 * the command (a single SIGTERM included) from ending, and the SDK sets no limit of its own.
 */
const STOP_TIMEOUT_MS = 10_000;

export interface AthenaEngineOptions {
  client: AthenaClient;
  /** Workgroup to run in (engine v3; its settings decide the result location and scan cap). */
  workGroup: string;
  /** Glue database holding `activity_log`, `coverage`, `quarantine`: the queries' unqualified tables. */
  database: string;
  /** Data catalog; default Athena's (`AwsDataCatalog`). */
  catalog?: string;
  /** The queries it runs; default the catalog's own `.sql` files. */
  queries?: QueryCatalog;
  /** Give up (and stop the query) after this long, unless a run sets its own. Default 5 minutes. */
  timeoutMs?: number;
  /**
   * What the error of a query given up at `timeoutMs` tells to do, given that limit in seconds:
   * what fits depends on who runs the query (a command can narrow its period, the weekly report
   * cannot). Default {@link commandTimeoutAdvice}.
   */
  timeoutAdvice?: (limitSeconds: number) => string;
  /** First wait between status polls; doubles up to {@link maxPollMs}. Default 200 ms. */
  firstPollMs?: number;
  /** Default 5 s. */
  maxPollMs?: number;
  /** Rows per GetQueryResults page (Athena's maximum is 1000). */
  pageSize?: number;
  /**
   * Most rows a query may return: one with more fails ({@link tooManyRows}) as soon as a page
   * passes it, before the rest are read. Default: no limit (`query --sql` reads what it asks for).
   */
  maxRows?: number;
  /**
   * Most bytes of values (row-ceiling.ts's `rowBytes`) a query's rows may hold: one with more fails
   * as `maxRows` does, as soon as a row passes it, before the pages after it are read. The pages
   * after the first ask for no more rows, as wide as the widest so far, than fit in the bytes left
   * (row-ceiling.ts's `RowTally.pageRows`): the SDK parses a page whole before any row is counted.
   * Default: no limit.
   */
  maxBytes?: number;
  /** The least a row counts against `maxBytes` (row-ceiling.ts's `RowLimits`). Default 0. */
  leastRowBytes?: number;
  /**
   * Told of each StopQueryExecution the engine sends (on abort, at the deadline, after a failed
   * poll), so a caller can say what became of the query; a failed stop is never thrown (the abort
   * or the timeout is the outcome), so this is the only place it is heard of.
   */
  onStop?: (stop: AthenaStop) => void;
  /**
   * Told as the engine starts a query (`true`, before StartQueryExecution) and once it no longer
   * waits for it (`false`): Athena finished it, the engine stopped it (a stop that failed goes to
   * `onStop`, and the query may run on), or it never started. In between, the query may be running
   * (and billing) in Athena; after, only its results are read.
   */
  onRunning?: (running: boolean) => void;
  /**
   * How long a StopQueryExecution may wait for its answer; past it, the stop counts as failed
   * (`onStop`). Default {@link STOP_TIMEOUT_MS}.
   */
  stopTimeoutMs?: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** The timeout's advice to someone running a query from the command line: theirs to narrow. */
const commandTimeoutAdvice = (): string =>
  'Narrow the period it covers, or run it again when Athena is less busy (no option raises this limit)';

/** A StopQueryExecution the engine sent for a query it had started. */
export interface AthenaStop {
  queryExecutionId: string;
  /** Why Athena refused or missed it, when it did: the query may then run on (and bill). */
  error?: unknown;
}

/** What Athena said of a failed query beside its message. */
interface AthenaFailureDetails {
  /** Athena's error type (its error catalog: 1001 a data error, 1006 a syntax error, …). */
  errorType?: number;
  /** What the query had read when it failed. */
  bytesScanned?: number;
  /** An earlier failure this one follows (the attempt with execution parameters). */
  cause?: unknown;
  /** Still running: given up at the deadline, and the call to stop it failed. */
  leftRunning?: boolean;
}

/** A query Athena did not finish: failed, cancelled, or still running at the deadline. */
export class AthenaQueryError extends Error {
  readonly errorType: number | undefined;
  readonly bytesScanned: number | undefined;
  /** The query's id when it is still running in Athena (it could not be stopped), else undefined. */
  readonly leftRunningQueryId: string | undefined;

  constructor(
    message: string,
    readonly queryExecutionId: string | undefined,
    readonly state: string,
    /** Athena's error category: 1 system, 2 user, 3 other. */
    readonly category?: number,
    details: AthenaFailureDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'AthenaQueryError';
    this.errorType = details.errorType;
    this.bytesScanned = details.bytesScanned;
    this.leftRunningQueryId = details.leftRunning ? queryExecutionId : undefined;
  }
}

/**
 * A parameter value as the SQL literal Athena substitutes for its `?`: always a quoted string with
 * every `'` doubled, so a value can never end the literal and add SQL of its own. Numbers go in as
 * strings too; the catalog's SQL casts them (`CAST(? AS integer)`).
 */
export const athenaLiteral = (value: string): string => `'${value.replaceAll("'", "''")}'`;

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint']);
const DOUBLE_TYPES = new Set(['double', 'real', 'float', 'decimal']);
const STRING_TYPES = new Set(['varchar', 'char', 'string', 'json', 'uuid', 'ipaddress']);

/** The engine-neutral name of an Athena result column type (`ColumnInfo.Type`, e.g. `decimal(10,2)`). */
export function columnType(athenaType: string): QueryColumnType | string {
  const base = athenaType.toLowerCase().replace(/\(.*$/, '').trim();
  if (INTEGER_TYPES.has(base)) return 'bigint';
  if (DOUBLE_TYPES.has(base)) return 'double';
  if (STRING_TYPES.has(base)) return 'varchar';
  if (base === 'boolean') return 'boolean';
  if (base === 'date') return 'date';
  if (base.startsWith('timestamp')) return 'timestamp';
  return base;
}

const TIMESTAMP_TEXT = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?:\s*(.+))?$/;

/**
 * Athena's text for a timestamp (`2026-10-01 10:00:00.000`, any fraction length, optionally with a
 * zone such as `UTC`, `+02:00` or `Europe/Paris`) as the lake's UTC `YYYY-MM-DD HH:MM:SS.mmm`.
 */
export function normaliseTimestamp(text: string): string {
  const match = TIMESTAMP_TEXT.exec(text.trim());
  if (!match)
    throw new Error(`Athena returned "${text}" for a timestamp column; expected YYYY-MM-DD HH:MM:SS`);
  const [, date, time, fraction = '', zone] = match;
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const wallMs = Date.parse(`${date}T${time}.${millis}Z`);
  let utcMs = wallMs;
  if (zone && !/^(UTC|Z|GMT|Etc\/UTC|[+-]00:?00)$/i.test(zone)) {
    const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (offset) {
      const sign = offset[1] === '-' ? -1 : 1;
      utcMs = wallMs - sign * (Number(offset[2]) * 60 + Number(offset[3])) * MINUTE_MS;
    } else {
      utcMs = zonedWallTimeToUtc(wallMs, zone);
    }
  }
  return lakeTimestamp(utcMs);
}

/** One Athena result cell (always text, or absent for NULL) as the engine-neutral JS value. */
export function toQueryValue(text: string | undefined, type: string): QueryValue {
  if (text === undefined) return null;
  switch (columnType(type)) {
    case 'bigint':
      return queryIntegerText(text);
    case 'double':
      return Number(text);
    case 'boolean':
      return text === 'true';
    case 'timestamp':
      return normaliseTimestamp(text);
    default:
      return text;
  }
}

/** A result column's name; Athena's own for one it leaves unnamed. */
const columnName = (column: ColumnInfo, index: number): string => column.Name ?? `_col${index}`;

/**
 * Whether the first row of a query's first results page repeats the column names. Athena adds that
 * row to the results of a DML statement (a SELECT) only: a UTILITY one (SHOW TABLES, SHOW
 * PARTITIONS, DESCRIBE) or a DDL one starts with its first value, which dropping would lose. Athena
 * always says which it ran; for a stand-in that does not, the row is dropped only when it reads as
 * the column names.
 */
function startsWithHeader(
  statementType: StatementType | undefined,
  columns: readonly ColumnInfo[],
  first: Row | undefined,
): boolean {
  if (statementType !== undefined) return statementType === 'DML';
  return (
    first !== undefined &&
    columns.every((column, index) => first.Data?.[index]?.VarCharValue === columnName(column, index))
  );
}

/**
 * The error of a query that failed with execution parameters and again with them inlined: the
 * first failure is its cause, and in its message, as the re-run was only a guess at what went wrong.
 */
function failedBothWays(first: AthenaQueryError, second: unknown): AthenaQueryError {
  const athena = second instanceof AthenaQueryError ? second : undefined;
  return new AthenaQueryError(
    `${errorMessage(second)}; with execution parameters it had failed too: ${first.message}`,
    athena?.queryExecutionId,
    athena ? athena.state : 'FAILED',
    athena?.category,
    { errorType: athena?.errorType, bytesScanned: athena?.bytesScanned, cause: first },
  );
}

/**
 * Athena's error types (its error catalog) of a failure that writing the values into the SQL
 * cannot mend, as they say the query ran into its data or its surroundings: data errors (1001,
 * 1002, 1007, HIVE_BAD_DATA among them), serialization (1005), cancelled by a user (1011, 1014), an
 * S3 path, file or bucket not found (1109, 1302, 1306), throttling (1400-1406), permissions (1500,
 * 1501). A re-run would scan and bill the same data again, and fail alike.
 */
const NOT_A_PARAMETER_REFUSAL = new Set([
  1001, 1002, 1005, 1007, 1011, 1014, 1109, 1302, 1306, 1400, 1401, 1402, 1403, 1404, 1405, 1406, 1500, 1501,
]);

/**
 * Whether Athena looks to have refused a query's execution parameters: then it is tried once
 * more with them inlined. A refusal is a user error at analysis, before any data is read, so a
 * query that had scanned data, or failed with an error type of its data or surroundings, is not
 * one.
 */
const refusedParameters = (error: AthenaQueryError, params: readonly string[]): boolean =>
  error.state === 'FAILED' &&
  error.category === 2 &&
  params.length > 0 &&
  !error.bytesScanned &&
  (error.errorType === undefined || !NOT_A_PARAMETER_REFUSAL.has(error.errorType));

/** How long a query is waited for when neither the engine nor the run sets a limit. */
const DEFAULT_TIMEOUT_MS = 300_000;

/** A query the engine gave up waiting for: which, its last state, and the limit it met. */
interface WaitedQuery {
  id: string;
  label: string;
  state: string;
  limitMs: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * An Athena request's failure, saying which request of which query failed (`what`), with the SDK's
 * error as its cause; a missing credential is passed on as it is, for the CLI's advice on it.
 */
export function athenaFailure(what: string, error: unknown): unknown {
  if (error instanceof Error && error.name === 'CredentialsProviderError') return error;
  const name = error instanceof Error && error.name !== 'Error' ? `${error.name}: ` : '';
  return new Error(`Athena ${what} failed: ${name}${errorMessage(error)}`, { cause: error });
}

/**
 * Runs the catalog's queries on Athena: StartQueryExecution in the workgroup with the database as
 * context and the parameters as quoted literals, polling with exponential backoff until a
 * deadline, then GetQueryResults page by page (a SELECT's header row dropped), values typed from
 * the result metadata.
 */
export class AthenaQueryEngine implements SqlEngine {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly catalog: QueryCatalog;

  constructor(private readonly options: AthenaEngineOptions) {
    this.sleep = options.sleep ?? defaultSleep;
    // Monotonic: the deadline is a duration, and a wall clock set back an hour (NTP) let a query
    // run an hour past it.
    this.now = options.now ?? (() => performance.now());
    this.catalog = options.queries ?? loadQueryCatalog();
  }

  /**
   * Runs a catalog query; Athena gets its values as positional execution parameters, in the SQL's
   * order, with a time zone it may not know under its current name spelled as it does.
   */
  async run(name: string, params: QueryParams, options: QueryRunOptions = {}): Promise<QueryResult> {
    const { query, positional } = this.catalog.bind(name, withAthenaTimeZone(params));
    return this.runSql(query.sql, positional, `query ${name}`, options);
  }

  /**
   * Runs any SELECT with positional string parameters, as Athena execution parameters. Athena's
   * documentation says a `?` may only stand in a WHERE clause; the catalog also uses them in SELECT
   * lists (time zones, period bounds). If Athena refuses such a query as a user error before
   * reading any data ({@link refusedParameters}), it is run once more with the values written into
   * the SQL as quoted literals (the same values, `'` doubled), so the report works whichever way
   * Athena behaves. A failure of the re-run carries the first one as its cause and in its message.
   *
   * Once `options.signal` is aborted no query is started, and the running one is stopped, and the
   * call rejects with the signal's reason, also during the re-run: the caller's reason (the
   * report's deadline, an interrupt) says what to do, and the refusal it follows is no fault of
   * the query's.
   */
  async runSql(
    sql: string,
    params: readonly string[],
    label = 'query',
    options: QueryRunOptions = {},
  ): Promise<QueryResult> {
    try {
      return await this.execute(sql, params, label, options);
    } catch (error) {
      if (!(error instanceof AthenaQueryError) || !refusedParameters(error, params)) throw error;
      const { signal } = options;
      try {
        return await this.execute(
          inlineParameters(sql, params),
          [],
          `${label} (parameters inlined)`,
          options,
        );
      } catch (second) {
        throw signal?.aborted ? second : failedBothWays(error, second);
      }
    }
  }

  /**
   * Runs SQL a user wrote, refused before StartQueryExecution unless it is one read-only statement
   * ({@link athenaStatementProblem}): the workgroup's IAM is the other layer, and it lets the
   * operator's rights run DDL and UNLOAD.
   */
  runReadOnlySql(sql: string, label: string, options: QueryRunOptions = {}): Promise<QueryResult> {
    const problem = athenaStatementProblem(sql, label);
    if (problem !== undefined) return Promise.reject(new NotReadOnlySqlError(problem));
    return this.runSql(sql, [], label, options);
  }

  private async execute(
    sql: string,
    params: readonly string[],
    label: string,
    options: QueryRunOptions,
  ): Promise<QueryResult> {
    const { signal } = options;
    signal?.throwIfAborted();
    const started = this.now();
    const limitMs = options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const { id, execution } = await this.whileRunning(async () => {
      const id = await this.start(sql, params, label);
      // Aborted while Athena started it: stopped before the first poll, which could find it done
      // and read its results for nobody.
      if (signal?.aborted) {
        await this.stop(id);
        throw signal.reason;
      }
      return { id, execution: await this.waitFor(id, label, { started, limitMs }, signal) };
    });
    const result = await this.readResults(id, label, signal, execution.StatementType);
    const scanned = execution.Statistics?.DataScannedInBytes;
    return {
      ...result,
      ...(scanned === undefined ? {} : { bytesScanned: scanned }),
      elapsedMs: Math.round(this.now() - started),
    };
  }

  /** Tells `onRunning` that a query may run in Athena while `work` starts and waits for it. */
  private async whileRunning<T>(work: () => Promise<T>): Promise<T> {
    this.options.onRunning?.(true);
    try {
      return await work();
    } finally {
      this.options.onRunning?.(false);
    }
  }

  /** StartQueryExecution: the id of the query Athena started. */
  private async start(sql: string, params: readonly string[], label: string): Promise<string> {
    const { client, workGroup, database } = this.options;
    const start = await this.call(`StartQueryExecution of ${label} (workgroup ${workGroup})`, () =>
      client.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          WorkGroup: workGroup,
          QueryExecutionContext: {
            Database: database,
            ...(this.options.catalog ? { Catalog: this.options.catalog } : {}),
          },
          // Athena refuses an empty list: a query without placeholders gets none.
          ...(params.length > 0 ? { ExecutionParameters: params.map(athenaLiteral) } : {}),
        }),
      ),
    );
    const id = start.QueryExecutionId;
    if (!id)
      throw new AthenaQueryError(`Athena did not start ${label}: no query execution id`, undefined, 'NONE');
    return id;
  }

  private async waitFor(
    id: string,
    label: string,
    limit: { started: number; limitMs: number },
    signal: AbortSignal | undefined,
  ): Promise<QueryExecution> {
    const deadline = limit.started + limit.limitMs;
    let delay = this.options.firstPollMs ?? 200;
    const maxDelay = this.options.maxPollMs ?? 5_000;
    for (;;) {
      const { QueryExecution: execution } = await this.poll(id, label, signal);
      const state = execution?.Status?.State ?? 'UNKNOWN';
      if (this.finished(execution, id, label) && execution) return execution;
      const remaining = deadline - this.now();
      const timedOut = remaining <= 0;
      if (!signal?.aborted && !timedOut) {
        await this.pause(Math.min(delay, remaining), signal);
        delay = Math.min(delay * 2, maxDelay);
      }
      // Aborted during the pause too: the query was running at the last poll, so it is stopped
      // rather than polled once more (and its results, had it just finished, read for nobody).
      if (signal?.aborted || timedOut)
        throw await this.giveUp({ id, label, state, limitMs: limit.limitMs }, signal);
    }
  }

  /** Stops a query nobody waits for any more; the error to throw: the abort's reason, or the timeout. */
  private async giveUp(query: WaitedQuery, signal: AbortSignal | undefined): Promise<unknown> {
    const stop = await this.stop(query.id);
    return signal?.aborted ? signal.reason : this.timedOut(query, stop);
  }

  /**
   * One status poll. When it fails (throttled, say), the query is stopped, best effort: nobody
   * waits for it any more. An abort ends a poll that hangs (a stalled connection, the SDK's retries)
   * at once, so a single Ctrl-C or SIGTERM still ends the command, after the stop.
   */
  private async poll(id: string, label: string, signal: AbortSignal | undefined) {
    const command = new GetQueryExecutionCommand({ QueryExecutionId: id });
    try {
      return await this.abortableCall(
        `GetQueryExecution of ${label} (query execution ${id})`,
        (options) => this.options.client.send(command, options),
        signal,
      );
    } catch (error) {
      await this.stop(id);
      throw signal?.aborted ? signal.reason : error;
    }
  }

  /**
   * Sends one Athena request; its failure names Athena, the request and the query (the SDK's own
   * message, such as "Rate exceeded", names neither), with the SDK's error as the cause. Missing
   * credentials pass as they are: no request reached Athena, and callers recognise that error to
   * say where credentials come from.
   */
  private async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw athenaFailure(what, error);
    }
  }

  /**
   * {@link call} of a request that `signal` ends at once ({@link sendUntilAborted}); aborted, it
   * rejects with the abort's reason, not a failure worded as Athena's.
   */
  private async abortableCall<T>(
    what: string,
    send: (options?: { abortSignal: AbortSignal }) => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    try {
      return await this.call(what, () => sendUntilAborted(send, signal));
    } catch (error) {
      throw signal?.aborted ? signal.reason : error;
    }
  }

  /** Whether the query succeeded; throws when Athena failed or cancelled it. */
  private finished(execution: QueryExecution | undefined, id: string, label: string): boolean {
    const state = execution?.Status?.State ?? 'UNKNOWN';
    if (state === 'FAILED' || state === 'CANCELLED') throw this.ended(execution, id, label, state);
    return state === 'SUCCEEDED';
  }

  /**
   * The error of a query still running at its timeout: stopped, or, when the stop failed, left
   * running (and billing) in Athena, which the user must then stop.
   */
  private timedOut({ id, label, state, limitMs }: WaitedQuery, stop: AthenaStop): AthenaQueryError {
    const stopped =
      'error' in stop
        ? `it could not be stopped: ${errorMessage(stop.error)}; stop it in the Athena console`
        : 'it was stopped';
    const limitSeconds = Math.round(limitMs / 1000);
    const advice = (this.options.timeoutAdvice ?? commandTimeoutAdvice)(limitSeconds);
    return new AthenaQueryError(
      `Athena ${label} did not finish within ${limitSeconds} s (query execution ${id}, last state ${state}); ${stopped}. ${advice}`,
      id,
      'TIMEOUT',
      undefined,
      { leftRunning: 'error' in stop },
    );
  }

  /** The error of a query Athena failed or cancelled, with Athena's reason. */
  private ended(
    execution: QueryExecution | undefined,
    id: string,
    label: string,
    state: string,
  ): AthenaQueryError {
    const reason =
      execution?.Status?.AthenaError?.ErrorMessage ??
      execution?.Status?.StateChangeReason ??
      'no reason given';
    const athenaError = execution?.Status?.AthenaError;
    return new AthenaQueryError(
      `Athena ${label} ${state} (query execution ${id}, workgroup ${this.options.workGroup}, database ${this.options.database}): ${reason}`,
      id,
      state,
      athenaError?.ErrorCategory,
      { errorType: athenaError?.ErrorType, bytesScanned: execution?.Statistics?.DataScannedInBytes },
    );
  }

  /** Waits between polls, ending early when `signal` aborts (the caller then stops the query). */
  private async pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (!signal) return this.sleep(ms);
    let onAbort = () => {};
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve;
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([this.sleep(ms), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Best effort: a query abandoned (aborted, or at the deadline) should not keep scanning (and
   * billing). A failed stop goes to `onStop`, not to the caller: the abort or the timeout is the
   * error worth throwing. Resolves to the stop as `onStop` heard it, so an error does not claim a
   * query was stopped when it was not.
   */
  private async stop(id: string): Promise<AthenaStop> {
    let stop: AthenaStop;
    const limitMs = this.options.stopTimeoutMs ?? STOP_TIMEOUT_MS;
    const limit = AbortSignal.timeout(limitMs);
    try {
      // The SDK aborts the request at the limit; the race also ends a send that ignores the signal.
      await untilAborted(
        this.options.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }), {
          abortSignal: limit,
        }),
        limit,
      );
      stop = { queryExecutionId: id };
    } catch (error) {
      stop = {
        queryExecutionId: id,
        error: limit.aborted ? new Error(`Athena did not answer the stop within ${limitMs / 1000} s`) : error,
      };
    }
    this.options.onStop?.(stop);
    return stop;
  }

  /**
   * Reads the results page by page. Once `signal` aborts, no further page is asked for: the query
   * has finished (nothing to stop), and the caller gave up on its rows.
   */
  private async readResults(
    id: string,
    label: string,
    signal: AbortSignal | undefined,
    statementType: StatementType | undefined,
  ): Promise<Pick<QueryResult, 'columns' | 'rows'>> {
    let columnInfo: ColumnInfo[] | undefined;
    const rows: QueryRow[] = [];
    const { maxRows, maxBytes, leastRowBytes } = this.options;
    const tally = new RowTally(label, { maxRows, maxBytes, leastRowBytes });
    let nextToken: string | undefined;
    let firstPage = true;
    do {
      signal?.throwIfAborted();
      const pageRows = tally.pageRows(this.options.pageSize ?? 1000);
      const page = await this.resultsPage(id, label, { token: nextToken, rows: pageRows }, signal);
      columnInfo ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      const answered = page.ResultSet?.Rows ?? [];
      const header = firstPage && startsWithHeader(statementType, columnInfo, answered[0]);
      const data = answered.slice(header ? 1 : 0);
      for (const row of data) {
        const out: QueryRow = {};
        columnInfo.forEach((column, index) => {
          out[columnName(column, index)] = toQueryValue(
            row.Data?.[index]?.VarCharValue,
            column.Type ?? 'varchar',
          );
        });
        tally.add(out);
        rows.push(out);
      }
      firstPage = false;
      nextToken = page.NextToken;
    } while (nextToken);
    const columns = (columnInfo ?? []).map((column, index) => ({
      name: columnName(column, index),
      type: columnType(column.Type ?? 'varchar'),
    }));
    return { columns, rows };
  }

  /**
   * One page of a finished query's results. An abort ends a page that hangs (a stalled connection,
   * the SDK's retries) at once, as it does a status poll, so a single Ctrl-C or SIGTERM, or the
   * report's deadline, still ends the run; the query is done, so there is nothing to stop.
   */
  private async resultsPage(
    id: string,
    label: string,
    { token, rows }: { token: string | undefined; rows: number },
    signal: AbortSignal | undefined,
  ) {
    const command = new GetQueryResultsCommand({
      QueryExecutionId: id,
      MaxResults: rows,
      ...(token ? { NextToken: token } : {}),
    });
    return this.abortableCall(
      `GetQueryResults of ${label} (query execution ${id})`,
      (options) => this.options.client.send(command, options),
      signal,
    );
  }
}
