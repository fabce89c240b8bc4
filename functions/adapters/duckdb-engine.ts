import { readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  type DuckDBPreparedStatement,
  type DuckDBResult,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  type DuckDBValue,
  StatementType,
} from '@duckdb/node-api';
import { errorMessage } from '../core/error-message.ts';
import { duckdbType } from '../core/lake/column.ts';
import {
  type LakeTable,
  lakeTimestamp,
  TABLE_FILE_SUFFIX,
  TABLE_PREFIXES,
  utcDate,
  windowStartFromKey,
} from '../core/lake/layout.ts';
import { TABLE_COLUMNS } from '../core/lake/tables.ts';
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
import { type DateBounds, lakeDatesRead } from '../core/queries/query-dates.ts';
import { queryInteger } from '../core/queries/query-integer.ts';
import { DAY_MS, HOUR_MS } from '../core/time-units.ts';
import { loadQueryCatalog } from '../queries/catalog.ts';
import { DUCKDB_PRELUDE } from '../queries/duckdb-prelude.ts';
import { deniedCall } from './duckdb-denied-functions.ts';
import { lakeOnlyDirectories, lakeOnlyStatements, outsideLakeError } from './duckdb-lake-only.ts';
import { stoppable } from './duckdb-stop.ts';
import { makeDuckDbTempDirectory, removeDuckDbTempDirectory } from './duckdb-temp-directory.ts';
import { zoneRulesFor } from './duckdb-zone-rules.ts';
import { type DuckDbExplain, explainedStatement } from './explain-statement.ts';
import { parseLakeSpec } from './lake-location.ts';
import { NotReadOnlySqlError, READ_ONLY_RULE, sqlOutsideQuotes } from './read-only-sql.ts';
import { type RowLimits, RowTally } from './row-ceiling.ts';

/** Partition columns come from the path, as strings (Athena's `dt` is a string partition too). */
const PARTITION_COLUMNS = ['instance', 'dt'] as const;

interface DuckDbEngineOptions {
  /** The lake's root directory (holding `activity_log/`, `coverage/`, `quarantine/`). */
  lakeDir: string;
  /** The queries it runs; default the catalog's own `.sql` files. */
  queries?: QueryCatalog;
  /** DuckDB's worker threads; default `DUCKDB_THREADS` if set, else DuckDB's own (one per core). */
  threads?: number;
  /**
   * Most rows a query may return: one with more fails, naming it, having read one row past the
   * limit and no further (as the Athena engine's `maxRows`). Default: no limit.
   */
  maxRows?: number;
  /**
   * Most bytes of values (row-ceiling.ts's `rowBytes`) a query's rows may hold: one with more fails
   * as `maxRows` does, each row counted as it is read into the heap. Default: no limit.
   */
  maxBytes?: number;
  /** The least a row counts against `maxBytes` (row-ceiling.ts's `RowLimits`). Default 0. */
  leastRowBytes?: number;
}

/**
 * The thread cap `DUCKDB_THREADS` sets, if any. One thread is the faster choice for small lakes on a
 * busy machine (the test suite's lakes: ~12 % less CPU and wall time over its DuckDB files); a large
 * lake's scans want every core, so DuckDB's default stays.
 */
export function duckDbThreads(env: Record<string, string | undefined> = process.env): number | undefined {
  const value = env.DUCKDB_THREADS?.trim();
  if (!value) return undefined;
  if (!/^[1-9]\d{0,3}$/.test(value)) {
    throw new Error(
      `DUCKDB_THREADS=${value} is not a thread count: set a whole number from 1 to 9999, or unset it to use every core`,
    );
  }
  return Number(value);
}

const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * A directory path as a glob that matches only itself: DuckDB reads `*`, `?` and `[` in a file
 * pattern as wildcards (`/data/lake[1]` would look in `lake1`), and a one-character class holds
 * each of them literally. A backslash cannot be escaped that way (DuckDB's glob takes it for a
 * separator), so a POSIX path holding one is refused by {@link assertGlobSafe} first.
 */
const literalGlob = (dir: string): string => dir.replace(/[[*?]/g, (char) => `[${char}]`);

/** Refuses a lake directory DuckDB's file patterns cannot name, saying how to go on. */
function assertGlobSafe(root: string): void {
  if (path.sep === '/' && root.includes('\\')) {
    throw new Error(
      `DuckDB cannot read a lake under ${root}: its file patterns take the backslash for a separator; move the lake to a path without one (or give a symbolic link to it)`,
    );
  }
}

/**
 * A file the table's view reads: the table's suffix, and not hidden. Names starting with "." are the
 * store's own temp and lock files and are never listed, so `verify` and the digest chain do not see
 * them; a query must not count what no check vouches for (an insider's forged `.<hour>.ndjson.gz`).
 */
const isTableFile = (name: string, table: LakeTable): boolean =>
  !name.startsWith('.') && name.endsWith(TABLE_FILE_SUFFIX[table]);

/**
 * What a walk of a table's folders found: the files a view reads, and whether a symbolic link
 * stood where a glob of the table would have followed it.
 */
interface TableListing {
  files: string[];
  linked: boolean;
}

/**
 * The entries of `dir` named as `wanted` says, real folders (`folders`) or regular files only, as
 * the lake's store lists them: a symbolic link is none of the lake's (the store refuses it, and
 * `verify` says so), and a view reading through one would count events no check vouches for.
 * One it meets sets `listing.linked`.
 */
async function entriesOf(
  dir: string,
  wanted: (name: string) => boolean,
  folders: boolean,
  listing: TableListing,
): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => wanted(e.name));
  if (entries.some((e) => e.isSymbolicLink())) listing.linked = true;
  return entries.filter((e) => (folders ? e.isDirectory() : e.isFile())).map((e) => e.name);
}

/**
 * Whether a `dt=` directory may hold rows of `dates`: its date compared as the SQL compares `dt`
 * (as text). A name that is not `dt=YYYY-MM-DD` is kept, for the query's own condition to judge.
 */
function inDates(name: string, dates: DateBounds): boolean {
  const dt = name.slice('dt='.length);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dt)) return true;
  return (dates.from === undefined || dt >= dates.from) && (dates.to === undefined || dt <= dates.to);
}

/**
 * The files of `dir/<prefix>/instance=*\/dt=*\/` the view reads ({@link isTableFile}; in real
 * folders, no links: {@link entriesOf}), in path order: of the days in `dates` when given, else
 * of every day.
 */
async function tableFiles(root: string, table: LakeTable, dates?: DateBounds): Promise<TableListing> {
  const tableDir = path.join(root, TABLE_PREFIXES[table]);
  const listing: TableListing = { files: [], linked: false };
  const instances = await entriesOf(tableDir, (name) => name.startsWith('instance='), true, listing);
  for (const instance of instances.sort()) {
    const instanceDir = path.join(tableDir, instance);
    const isDay = (name: string) => name.startsWith('dt=') && (!dates || inDates(name, dates));
    for (const day of (await entriesOf(instanceDir, isDay, true, listing)).sort()) {
      const dayDir = path.join(instanceDir, day);
      const files = await entriesOf(dayDir, (name) => isTableFile(name, table), false, listing);
      for (const file of files.sort()) listing.files.push(path.join(dayDir, file));
    }
  }
  return listing;
}

/** The view of a table no file of which is read: no rows, the same columns and types. */
function emptyViewSql(table: LakeTable, create: string): string {
  const typed = [
    ...TABLE_COLUMNS[table].map((c) => `CAST(NULL AS ${duckdbType(c)}) AS ${c.name}`),
    ...PARTITION_COLUMNS.map((name) => `CAST(NULL AS VARCHAR) AS ${name}`),
  ];
  return `${create} ${table} AS SELECT ${typed.join(', ')} WHERE false`;
}

/** A path separator in the names DuckDB gives its files, and any other character, as RE2 classes. */
const SEP = path.sep === '/' ? '/' : '[/\\\\]';
const NOT_SEP = path.sep === '/' ? '[^/]' : '[^/\\\\]';

/**
 * The partition columns of a row, from the last segments of its file's path: every file a view
 * reads sits at `…/instance=<i>/dt=<d>/<file>` (the glob's and {@link tableFiles}' shape). DuckDB's
 * `hive_partitioning` takes `key=value` from every folder of the absolute path, the outermost
 * winning, and decodes `%xx` escapes: a lake stored under `/cases/dt=2026-12-05/lake` read every row
 * as of that day, one under `/x/instance=main/lake` read another instance folder's rows as `main`,
 * and a folder `instance=m%61in` read as `main` (review R-TAMPER3 F1, F2). These take the lake's own
 * folders only, as named on disk, where `verify` and the digest chain name them. DuckDB still prunes
 * files by a condition on them, evaluated on each file's name before it is read: a query of one day
 * of a 30-day lake reads that day's 24 files, as with hive partitioning (docs/performance.md).
 */
const PARTITION_EXPRESSIONS: Record<(typeof PARTITION_COLUMNS)[number], string> = {
  instance: `regexp_extract(filename, '${SEP}instance=(${NOT_SEP}*)${SEP}dt=${NOT_SEP}*${SEP}${NOT_SEP}*$', 1)`,
  dt: `regexp_extract(filename, '${SEP}dt=(${NOT_SEP}*)${SEP}${NOT_SEP}*$', 1)`,
};

/** A view of the table over `files`: `read_json` with the schema's column types, partitions from the path. */
function filesViewSql(table: LakeTable, create: string, files: string): string {
  const columns = TABLE_COLUMNS[table];
  const suffix = TABLE_FILE_SUFFIX[table];
  const struct = columns.map((c) => `${sqlString(c.name)}: ${sqlString(duckdbType(c))}`).join(', ');
  const names = [
    ...columns.map((c) => c.name),
    ...PARTITION_COLUMNS.map((name) => `${PARTITION_EXPRESSIONS[name]} AS ${name}`),
  ].join(', ');
  return [
    `${create} ${table} AS SELECT ${names} FROM read_json(${files},`,
    // Said, not detected: DuckDB's detection misreads a gzip file whose path has a `?` in it.
    `format = 'newline_delimited', compression = '${suffix.endsWith('.gz') ? 'gzip' : 'uncompressed'}', columns = {${struct}},`,
    // Off, not left to DuckDB's detection, which turns it on for a path holding `key=value`.
    'hive_partitioning = false, filename = true)',
  ].join(' ');
}

/**
 * The view of one lake table: `read_json` over its hive-partitioned files with the schema's column
 * types, or an empty view of the same shape when the lake has no file of it yet. It globs the
 * whole lake at each query (ad hoc SQL sees every file, those written since the engine opened
 * too), unless a symbolic link stands where the glob would follow it: DuckDB's glob follows links,
 * which would let a linked folder or file add events no check sees, so the view then reads the
 * files {@link tableFiles} lists, as the lake's store lists them. That walk reads every day folder
 * once, when the view is made (0.6-1.0 s of CPU for three years of hours of two tables on a busy
 * host); a list of every file, rather than the glob, would cost about twice the glob's CPU at each
 * query, so it is kept for a lake holding a link, which only someone's hand puts there.
 */
export async function viewSql(root: string, table: LakeTable): Promise<string> {
  const create = 'CREATE OR REPLACE VIEW';
  const { files, linked } = await tableFiles(root, table);
  if (files.length === 0) return emptyViewSql(table, create);
  if (linked) return filesViewSql(table, create, filesList(files));
  const glob = path.join(
    literalGlob(root),
    TABLE_PREFIXES[table],
    'instance=*',
    'dt=*',
    `[!.]*${TABLE_FILE_SUFFIX[table]}`,
  );
  return filesViewSql(table, create, sqlString(glob));
}

/** A SQL list of `files`, each a pattern that matches only itself. */
const filesList = (files: readonly string[]): string =>
  `[${files.map((file) => sqlString(literalGlob(file))).join(', ')}]`;

/**
 * The view of one lake table over the files of `dates` only, for one catalog query's connection
 * (a temporary view hides the whole-lake one there). DuckDB's glob lists every hour file of every
 * day at each query, hive pruning or not; this lists the query's days, so a report costs the same
 * on a lake of years as on one of weeks.
 */
async function datesViewSql(root: string, table: LakeTable, dates: DateBounds): Promise<string> {
  const create = 'CREATE TEMP VIEW';
  const { files } = await tableFiles(root, table, dates);
  if (files.length === 0) return emptyViewSql(table, create);
  return filesViewSql(table, create, filesList(files));
}

const INTEGER_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UHUGEINT,
]);
const TIMESTAMP_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
]);

/** The engine-neutral name of a DuckDB column type (see {@link QueryColumnType}). */
function columnType(typeId: DuckDBTypeId, nativeName: string): QueryColumnType | string {
  if (INTEGER_TYPES.has(typeId)) return 'bigint';
  if (typeId === DuckDBTypeId.DOUBLE || typeId === DuckDBTypeId.FLOAT || typeId === DuckDBTypeId.DECIMAL) {
    return 'double';
  }
  if (typeId === DuckDBTypeId.VARCHAR) return 'varchar';
  if (typeId === DuckDBTypeId.BOOLEAN) return 'boolean';
  if (typeId === DuckDBTypeId.DATE) return 'date';
  if (TIMESTAMP_TYPES.has(typeId)) return 'timestamp';
  return nativeName.toLowerCase();
}

/** Floor division of bigints (BigInt `/` truncates toward zero, wrong for times before 1970). */
const floorDiv = (a: bigint, b: bigint): bigint => (a % b < 0n ? a / b - 1n : a / b);

/** A DuckDB value as the JS value the engine-neutral contract promises. */
export function toQueryValue(value: DuckDBValue): QueryValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return queryInteger(value);
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) {
    return lakeTimestamp(Number(floorDiv(value.micros, 1000n)));
  }
  if (value instanceof DuckDBTimestampMillisecondsValue) return lakeTimestamp(Number(value.millis));
  if (value instanceof DuckDBTimestampSecondsValue) return lakeTimestamp(Number(value.seconds) * 1000);
  if (value instanceof DuckDBTimestampNanosecondsValue) {
    return lakeTimestamp(Number(floorDiv(value.nanos, 1_000_000n)));
  }
  if (value instanceof DuckDBDateValue) return utcDate(value.days * DAY_MS);
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  return String(value);
}

/**
 * The rows of `result`, read a chunk at a time and a value at a time (DuckDB's vectors decode an
 * item when asked), each counted by `tally` as it is made: a ceiling stops the read at the first
 * row past it, before the rest of its chunk (2,048 rows of wide text can fill a heap) is decoded.
 */
async function readRows(
  result: DuckDBResult,
  names: readonly string[],
  tally: RowTally,
): Promise<QueryRow[]> {
  const rows: QueryRow[] = [];
  for (
    let chunk = await result.fetchChunk();
    chunk && chunk.rowCount > 0;
    chunk = await result.fetchChunk()
  ) {
    const vectors = names.map((_, index) => chunk.getColumnVector(index));
    for (let item = 0; item < chunk.rowCount; item += 1) {
      const row: QueryRow = {};
      names.forEach((name, index) => {
        row[name] = toQueryValue(vectors[index]?.getItem(item) ?? null);
      });
      tally.add(row);
      rows.push(row);
    }
  }
  return rows;
}

/** Session zone UTC: the lake's timestamps are UTC wall times, and TIMESTAMPTZ casts follow it. */
const SESSION_ZONE = "SET TimeZone = 'UTC'";

/**
 * The local stand-in for Athena: DuckDB in memory, with views `activity_log`, `coverage` and
 * `quarantine` over the lake directory's files, the Trino-compatibility prelude, and the catalog's
 * SQL run with bound (never interpolated) parameters. Reads local files only and never downloads
 * an extension.
 */
export class DuckDbQueryEngine implements SqlEngine {
  /** Statements running now: closing under one crashes the process (DuckDB's native code). */
  private readonly running = new Set<Promise<unknown>>();
  private closed = false;
  /** The whole-lake views, once made (see {@link wholeLakeViews}). */
  private views: Promise<void> | undefined;
  /** Whether DuckDB reads the lake's files only ({@link lakeOnly}). */
  private contained: Promise<void> | undefined;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly catalog: QueryCatalog,
    private readonly root: string,
    /** The ceilings of {@link DuckDbEngineOptions.maxRows} and `maxBytes`, if any. */
    private readonly limits: RowLimits,
    /** DuckDB's temp directory, this engine's own, removed at close (duckdb-temp-directory.ts). */
    private readonly tempDirectory: string,
  ) {}

  /** Opens an in-memory DuckDB over the lake directory. */
  static async open(options: DuckDbEngineOptions): Promise<DuckDbQueryEngine> {
    const spec = parseLakeSpec(options.lakeDir);
    if (spec.kind !== 'fs') {
      throw new Error(
        `DuckDB reads a lake on local disk only; for ${options.lakeDir} run the query on Athena (--athena --workgroup <wg> --database <db>)`,
      );
    }
    const root = path.resolve(spec.dir);
    assertGlobSafe(root);
    const threads = options.threads ?? duckDbThreads();
    const tempDirectory = makeDuckDbTempDirectory();
    let instance: DuckDBInstance;
    let connection: DuckDBConnection;
    try {
      instance = await DuckDBInstance.create(':memory:', {
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        // Trino writes a lambda `x -> …` only (failed_logins_by_ip's filter()); DuckDB deprecated that
        // spelling and stops taking it by default from 2.0 unless asked to.
        lambda_syntax: 'ENABLE_SINGLE_ARROW',
        temp_directory: tempDirectory,
        ...(threads === undefined ? {} : { threads: String(threads) }),
      });
      connection = await instance.connect();
    } catch (error) {
      removeDuckDbTempDirectory(tempDirectory);
      throw error;
    }
    const engine = new DuckDbQueryEngine(
      instance,
      connection,
      options.queries ?? loadQueryCatalog(),
      root,
      { maxRows: options.maxRows, maxBytes: options.maxBytes, leastRowBytes: options.leastRowBytes },
      tempDirectory,
    );
    try {
      await connection.run(SESSION_ZONE);
      for (const statement of DUCKDB_PRELUDE) await connection.run(statement);
    } catch (error) {
      engine.closeNow();
      throw error;
    }
    return engine;
  }

  /**
   * Runs a catalog query. One whose `dt` conditions bound the days it reads (lakeDatesRead), or
   * that takes a time zone, runs on a connection of its own: its views list those days' files only,
   * and its `at_timezone` follows Node's rules for the zone over the query's period
   * (duckdb-zone-rules.ts). The others (and ad hoc SQL) read the whole lake, with DuckDB's rules.
   * `options.signal` stops it (duckdb-stop.ts), as every run here.
   */
  async run(name: string, params: QueryParams, options: QueryRunOptions = {}): Promise<QueryResult> {
    const { query, positional } = this.catalog.bind(name, params);
    const label = `query ${name}`;
    const read = lakeDatesRead(query, params);
    const bounded = [...read].filter(([, dates]) => dates.from !== undefined || dates.to !== undefined);
    const zoneRules = zoneRulesFor(query.params, params);
    if (bounded.length === 0 && zoneRules === undefined)
      return this.runSql(query.sql, positional, label, options);
    const { signal } = options;
    return this.track(label, signal, async () => {
      // A table it reads unbounded is read through the whole-lake views, which its connection sees.
      if (read.size > bounded.length) await this.wholeLakeViews();
      const connection = await this.instance.connect();
      try {
        return await stoppable(connection, signal, async () => {
          await connection.run(SESSION_ZONE);
          if (zoneRules !== undefined) await connection.run(zoneRules);
          for (const [table, dates] of bounded)
            await connection.run(await datesViewSql(this.root, table, dates));
          return await this.execute(connection, query.sql, positional, label);
        });
      } finally {
        connection.closeSync();
      }
    });
  }

  /**
   * Runs any SQL over the lake views with positional string parameters. Refused once `close()` has
   * begun: a caller that stops at the first failed query may still have others queued.
   */
  runSql(
    sql: string,
    params: readonly string[],
    label = 'query',
    options: QueryRunOptions = {},
  ): Promise<QueryResult> {
    return this.track(label, options.signal, async () => {
      await this.wholeLakeViews();
      return this.execute(this.connection, sql, params, label);
    });
  }

  /**
   * Runs SQL a user wrote over the lake views: one read-only statement only, refused before it runs
   * otherwise ({@link preparedQuery}).
   */
  runReadOnlySql(sql: string, label: string, options: QueryRunOptions = {}): Promise<QueryResult> {
    return this.track(label, options.signal, async () => {
      await this.wholeLakeViews();
      await this.lakeOnly();
      return this.execute(this.connection, sql, [], label, true).catch((error: unknown) => {
        throw outsideLakeError(error, label, this.root) ?? error;
      });
    });
  }

  /**
   * Keeps DuckDB to the lake's files from now on (duckdb-lake-only.ts), before the first SQL a
   * user wrote. For good: the configuration is locked, so a catalog query that sets its own
   * connection's zone cannot run on this engine afterwards; the CLI runs one or the other.
   */
  private lakeOnly(): Promise<void> {
    this.contained ??= (async () => {
      for (const statement of lakeOnlyStatements(lakeOnlyDirectories(this.root, literalGlob(this.root)))) {
        await this.connection.run(statement);
      }
    })();
    return this.contained;
  }

  /**
   * Makes the views over the whole lake, at the first statement that reads them: making one has
   * DuckDB glob every file of the table (0.4 s for 3 years of hours), which a report, whose queries
   * each read their own days, never needs.
   */
  private wholeLakeViews(): Promise<void> {
    this.views ??= (async () => {
      for (const table of Object.keys(TABLE_PREFIXES) as LakeTable[]) {
        await this.connection.run(await viewSql(this.root, table));
      }
    })().catch((error: unknown) => {
      this.views = undefined;
      throw error;
    });
    return this.views;
  }

  /**
   * Runs `work` as one of the statements `close()` waits for, naming a lake file DuckDB cannot read;
   * `signal` stops it ({@link stoppable}: on the engine's own connection, which also makes the
   * whole-lake views a query on a connection of its own may wait for).
   */
  private async track(
    label: string,
    signal: AbortSignal | undefined,
    work: () => Promise<QueryResult>,
  ): Promise<QueryResult> {
    signal?.throwIfAborted();
    if (this.closed) throw new Error(`${label} was not run: the DuckDB engine is closed`);
    const running = stoppable(this.connection, signal, work);
    this.running.add(running);
    try {
      return await running;
    } catch (error) {
      throw withLakeDir(unreadableLakeFile(error) ?? error, this.root);
    } finally {
      this.running.delete(running);
    }
  }

  private async execute(
    connection: DuckDBConnection,
    sql: string,
    params: readonly string[],
    label: string,
    readOnly = false,
  ): Promise<QueryResult> {
    const started = Date.now();
    const statement = readOnly ? await preparedQuery(connection, sql, label) : await connection.prepare(sql);
    try {
      if (statement.parameterCount !== params.length) {
        throw new Error(
          `${label} takes ${statement.parameterCount} parameters, got ${params.length}: one value per ? placeholder, in order`,
        );
      }
      params.forEach((value, index) => {
        statement.bindVarchar(index + 1, value);
      });
      const result = await statement.run();
      const names = result.columnNames();
      const columns = names.map((name, index) => ({
        name,
        type: columnType(result.columnTypeId(index), result.columnType(index).toString()),
      }));
      const rows = await readRows(result, names, new RowTally(label, this.limits));
      return { columns, rows, elapsedMs: Date.now() - started };
    } finally {
      statement.destroySync();
    }
  }

  /** Waits for the statements still running (a failed one's siblings), then frees DuckDB. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.running]);
    this.closeNow();
  }

  private closeNow(): void {
    try {
      this.connection.closeSync();
      this.instance.closeSync();
    } finally {
      removeDuckDbTempDirectory(this.tempDirectory);
    }
  }
}

/**
 * `sql` prepared, refused unless DuckDB's own parser reads it as one query (SELECT, WITH, VALUES,
 * FROM-first, DESCRIBE, SHOW): a COPY ... TO would write a file and a DROP or CREATE change the
 * views, with `query --sql` anyone's SQL. Preparing binds, and binding an EXPORT DATABASE already
 * creates its directory (review R-CLI F2), so {@link parsedStatementCount} reads the SQL with the
 * parser alone first; the prepared statement's type is checked after it all the same, on every
 * path, so a gap between the two readings refuses rather than runs.
 */
async function preparedQuery(
  connection: DuckDBConnection,
  sql: string,
  label: string,
): Promise<DuckDBPreparedStatement> {
  const explained = explainedStatement(sql);
  if (explained !== undefined) return preparedExplain(connection, explained, label);
  const count = await parsedStatementCount(connection, sql, label);
  if (count === 0)
    throw new NotReadOnlySqlError(`${label} holds no statement, only comments or blanks: ${READ_ONLY_RULE}`);
  if (count !== undefined && count > 1)
    throw new NotReadOnlySqlError(`${label} holds ${count} statements: ${READ_ONLY_RULE}`);
  // SQL the parser refused is prepared whole for its own message with the spot: nothing was bound.
  const statement = await connection.prepare(sql);
  if (statement.statementType === StatementType.SELECT) return statement;
  const kind = StatementType[statement.statementType] ?? String(statement.statementType);
  statement.destroySync();
  throw new NotReadOnlySqlError(
    `${label} is not a query (DuckDB reads ${withArticle(kind)} statement): ${READ_ONLY_RULE}`,
  );
}

/**
 * `EXPLAIN [ANALYZE] ` and the statement `explained`, prepared once the parser alone has read that
 * statement as one query (EXPLAIN ANALYZE runs it; binding an EXPORT creates its directory): as
 * {@link preparedQuery} reads any SQL. What is prepared is made of the text checked, never the SQL
 * as written, so no comment read otherwise before EXPLAIN can hide another statement (review
 * R-SQLBOX H1). One the parser cannot read is prepared alone for its message, which binds nothing.
 */
async function preparedExplain(
  connection: DuckDBConnection,
  explained: DuckDbExplain,
  label: string,
): Promise<DuckDBPreparedStatement> {
  const count = await parsedStatementCount(connection, explained.statement, label);
  if (count === undefined) {
    (await connection.prepare(explained.statement)).destroySync();
    throw new NotReadOnlySqlError(`${label} explains no query DuckDB can read: ${READ_ONLY_RULE}`);
  }
  if (count !== 1) throw new NotReadOnlySqlError(`${label} explains ${count} statements: ${READ_ONLY_RULE}`);
  const explain = explained.analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN';
  const statement = await connection.prepare(`${explain} ${explained.statement}`);
  if (statement.statementType === StatementType.EXPLAIN) return statement;
  statement.destroySync();
  throw new NotReadOnlySqlError(`${label} is not one EXPLAIN of a query: ${READ_ONLY_RULE}`);
}

/**
 * How many queries DuckDB's parser reads in `sql`, without binding any of it (json_serialize_sql
 * only parses, and serializes SELECT statements alone); a statement of another kind is refused
 * here, named by its first word, as no statement type can be had without binding, and so is a
 * query that calls a function which writes or runs SQL text (duckdb-denied-functions.ts): some
 * act when bound. Undefined when the parser itself refuses the SQL.
 */
async function parsedStatementCount(
  connection: DuckDBConnection,
  sql: string,
  label: string,
): Promise<number | undefined> {
  const gate = await connection.prepare('SELECT json_serialize_sql($1::VARCHAR)::VARCHAR AS j');
  let parsed: { error?: boolean; error_type?: string; statements?: unknown[] };
  try {
    gate.bindVarchar(1, sql);
    const value = (await gate.runAndReadAll()).getRows()[0]?.[0];
    parsed = JSON.parse(String(value)) as typeof parsed;
  } finally {
    gate.destroySync();
  }
  if (!parsed.error) {
    const denied = deniedCall(parsed.statements);
    if (denied !== undefined) {
      throw new NotReadOnlySqlError(`${label} calls ${denied.name}, which ${denied.does}: ${READ_ONLY_RULE}`);
    }
    return parsed.statements?.length ?? 0;
  }
  if (parsed.error_type === 'parser') return undefined;
  const extracted = await connection.extractStatements(sql).catch(() => undefined);
  if (extracted !== undefined && extracted.count > 1) {
    throw new NotReadOnlySqlError(`${label} holds ${extracted.count} statements: ${READ_ONLY_RULE}`);
  }
  const word = /^[\s(]*([A-Za-z_]+)/.exec(sqlOutsideQuotes(sql))?.[1]?.toUpperCase();
  const kind =
    word === undefined || word === 'WITH'
      ? 'a statement other than a query'
      : `${withArticle(word)} statement`;
  throw new NotReadOnlySqlError(`${label} is not a query (DuckDB reads ${kind}): ${READ_ONLY_RULE}`);
}

/** `word` with the article its sound takes: an EXPORT, a COPY. */
const withArticle = (word: string): string => `${/^[AEIOU]/i.test(word) ? 'an' : 'a'} ${word}`;

/**
 * `error`, told the lake's directory (`lakeDir`, read by core/report/report-query-engine.ts's
 * errorLakeDir) when its message names a path in it: so a mail can name that file by its key in
 * the lake, while the message itself (the command's output, the log) keeps the whole path.
 */
function withLakeDir(error: unknown, root: string): unknown {
  if (error instanceof Error && error.message.includes(root)) Object.assign(error, { lakeDir: root });
  return error;
}

/**
 * DuckDB's words for a lake file it cannot read (not gzip, or not JSON lines), with what they
 * mean for the lake and how to find out more; undefined for any other error.
 */
function unreadableLakeFile(error: unknown): Error | undefined {
  const message = errorMessage(error).trim();
  const file =
    /Input is not a GZIP stream: (\S+)/.exec(message)?.[1] ??
    /Malformed JSON in file "([^"]+)"/.exec(message)?.[1];
  if (file === undefined) return undefined;
  if (LONE_SURROGATE_ERROR.test(message)) return loneSurrogateFile(message, file, error);
  return new Error(
    `${message.replace(/\.$/, '')}: that object of the lake is damaged or was not written by this tool; verify --integrity tells whether it changed after the ingest wrote it, and which run wrote it`,
    { cause: error },
  );
}

/** yyjson's words for a `\\ud83d`-style escape with no other half (or the wrong one) after it. */
const LONE_SURROGATE_ERROR = /\b(?:no|invalid) (?:low|high) surrogate in string\b/;

/**
 * A lake file holding a lone surrogate: not damaged, but written before the ingest stored U+FFFD
 * in its place (core/lake/lone-surrogates.ts). Enrich over its hour writes it again, as it now would.
 */
function loneSurrogateFile(message: string, file: string, cause: unknown): Error {
  const startMs = windowStartFromKey(file.replaceAll('\\', '/'));
  const instance = /[/\\]instance=([^/\\]+)[/\\]/.exec(file)?.[1];
  const hour = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const pull =
    startMs === undefined
      ? 'enrich --from/--to over the hour of that file'
      : `enrich${instance === undefined ? '' : ` --instance ${instance}`} --from ${hour(startMs)} --to ${hour(startMs + HOUR_MS)}`;
  return new Error(
    `${message.replace(/\.$/, '')}: a string in that file holds half of a UTF-16 surrogate pair (an escape such as \\ud83d, which Domo can send in a name, or an emoji cut in a quoted value), as the ingest wrote such strings before it stored U+FFFD in their place; DuckDB refuses the whole file for it. Run ${pull} with the same --lake: it writes the hour's event and quarantine files again, every record and event id kept and U+FFFD for the half character (docs/operations.md)`,
    { cause },
  );
}

/** Opens the DuckDB engine over a lake directory; call `close()` when done. */
export const openDuckDbEngine = (options: DuckDbEngineOptions): Promise<DuckDbQueryEngine> =>
  DuckDbQueryEngine.open(options);
