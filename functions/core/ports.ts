/**
 * The ports between the pure core and the outside world. The core only ever talks to these
 * interfaces; handlers and the CLI pick the adapters (S3 or disk, Athena or DuckDB, SES or file).
 */

/** A stored object with the version tag a conditional write must present to replace it. */
export interface StoredObject {
  body: Uint8Array;
  etag: string;
  /**
   * The version these bytes are, when the store keeps versions (S3's `x-amz-version-id` of the
   * same GET): an id a later write never takes, so a check that read it once knows its bytes.
   */
  versionId?: string;
}

export interface PutOptions {
  /** Replace only if the stored object still has this ETag (optimistic concurrency). */
  ifMatch?: string;
  /** `'*'`: create only; fail if the key already exists. */
  ifNoneMatch?: '*';
  contentType?: string;
  contentEncoding?: string;
}

/**
 * Raised by {@link ObjectStore.put} when a conditional write loses (S3 answers 412; its 409, a write
 * of the key still in flight, the S3 store sends again itself). Callers re-read and retry; it is
 * never a data error.
 */
export class PreconditionFailedError extends Error {
  constructor(
    readonly key: string,
    /**
     * What a store decorator read at `key` right after the refusal (`found` undefined: nothing was
     * there), handed on so that the caller, which reads the key next, need not read it again.
     */
    readonly readBack?: { found: StoredObject | undefined },
  ) {
    super(`conditional write to ${key} lost: the object changed since it was read`);
    this.name = 'PreconditionFailedError';
  }
}

/**
 * Raised by {@link ObjectStore.put} when a conditional write kept meeting another write of the key
 * still in flight (S3's 409 on every try, a short wait apart): a race with another writer, as
 * {@link PreconditionFailedError} is, but none was seen to land, so it is no lost race to decide
 * again on at once. Whoever takes a lost race as "the next write or run writes it" takes this so.
 */
export class WriteInFlightError extends Error {
  constructor(
    readonly key: string,
    message: string,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'WriteInFlightError';
  }
}

export interface ListOptions {
  /**
   * A hint from a caller that stops after this many keys: a store that lists in pages (S3) asks
   * for pages of this size, so reading a few keys costs one small request. Stores may ignore it;
   * the listing still yields every key if read to the end.
   */
  pageSize?: number;
  /**
   * A hint: list only keys after this one (S3's StartAfter), so a caller looking past a known key
   * does not page through every key before it. Stores may ignore it and list from the start;
   * callers skip the keys up to it themselves.
   */
  startAfter?: string;
}

/** Keys are relative to the lake root (`activity_log/instance=…/…`); adapters add bucket and prefix. */
export interface ObjectStore {
  get(key: string): Promise<StoredObject | undefined>;
  /**
   * Whether an object is at `key`, without reading its body (S3's HeadObject). Optional: a caller
   * that only probes for keys falls back to `get` on a store without it.
   */
  exists?(key: string): Promise<boolean>;
  put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }>;
  /** Every key under the prefix, in lexicographic order. */
  list(prefix: string, options?: ListOptions): AsyncIterable<string>;
  /** Where this store points, for messages (`s3://bucket/prefix`, `/abs/dir`). Never a secret. */
  readonly location: string;
}

/**
 * What is known of an ingest run's process: `running`; `gone` (it failed or was killed before it
 * recorded its end), with its pid; or `unknown`, which only the age of its last digest judges (a
 * run of another machine, one that left no mark to judge it by).
 */
export type RunProcessState =
  /** `since`: when the run took its lock (ISO), and `pid`, its process, where its lock says. */
  { state: 'running'; since?: string; pid?: number } | { state: 'gone'; pid: number } | { state: 'unknown' };

/**
 * Answers "is this ingest run's process alive?" where it can be told: for a lake on this machine's
 * disk, by the lock file each run holds there while it runs. Readers of the lake (status, verify)
 * take a run whose process is gone as ended, not as one in progress.
 */
export interface RunProcesses {
  stateOf(runId: string): Promise<RunProcessState>;
}

/**
 * One value of a result row. A whole number is a bigint only when a JS number cannot hold every
 * digit of it (beyond ±(2^53 - 1), see queries/query-integer.ts); every other is a number.
 */
export type QueryValue = string | number | bigint | boolean | null;
export type QueryRow = Record<string, QueryValue>;

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: QueryRow[];
  /** Bytes the engine scanned, when it reports them (Athena). */
  bytesScanned?: number;
  elapsedMs: number;
}

/**
 * The column types both engines report in `QueryResult.columns`, whatever their native names:
 * every integer type is `bigint` (a JS number, a JS bigint past 2^53 - 1), every floating or
 * decimal type `double` (a JS number), `timestamp` values are UTC `YYYY-MM-DD HH:MM:SS.mmm`
 * strings, `date` values `YYYY-MM-DD` strings. Anything else is reported with the engine's own lower-case type name.
 */
export type QueryColumnType = 'varchar' | 'bigint' | 'double' | 'boolean' | 'timestamp' | 'date';

/** A query's parameter values by name (the `params:` line of its SQL file); extra names are ignored. */
export type QueryParams = Readonly<Record<string, string>>;

/** What a caller (the report, the CLI's notes) may tell an engine about one query it runs. */
export interface QueryRunOptions {
  /**
   * Once aborted, the query is given up: the run rejects with the signal's reason, and an engine
   * that can (Athena) stops the query on its side so it scans and bills no further.
   */
  signal?: AbortSignal;
  /**
   * Longest wait for this query, when the report sets one from its caller's time; the engine's own
   * limit otherwise. An engine that does not time its queries (DuckDB, the test fakes) ignores it.
   */
  timeoutMs?: number;
}

/**
 * Runs one query of the catalog (`functions/queries/<name>.sql`) with named string parameters. The
 * engine knows where each name goes in the SQL, so callers never depend on placeholder order.
 */
export interface QueryEngine {
  run(name: string, params: QueryParams): Promise<QueryResult>;
  close?(): Promise<void>;
}

/**
 * An engine that also runs SQL a person wrote (`query --sql`), over the same tables as the catalog,
 * with positional string values for its `?` placeholders.
 */
export interface SqlEngine extends QueryEngine {
  runSql(
    sql: string,
    params: readonly string[],
    label?: string,
    options?: QueryRunOptions,
  ): Promise<QueryResult>;
}

export interface MailMessage {
  from: string;
  to: readonly string[];
  subject: string;
  html: string;
  text: string;
  attachments?: { filename: string; contentType: string; content: Uint8Array }[];
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** Waits `ms` milliseconds; rejects with the signal's reason as soon as `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface DomoCredentials {
  clientId: string;
  clientSecret: string;
}

export interface SecretSource {
  get(): Promise<DomoCredentials>;
}

/** What the geo database says about one public address; each part may be unknown (null). */
export interface GeoAnswer {
  /** ISO 3166-1 alpha-2. */
  country: string | null;
  /** Autonomous system number of the network. */
  asn: number | null;
  /** The network's owner (the AS organisation). */
  org: string | null;
}

/** IP address -> country and network owner, from a database shipped with the code (no outside service). */
export interface GeoLookup {
  /** Identifies the database's contents; recorded per enriched record as `geo_db_version`. */
  readonly version: string;
  /**
   * The place of `ipAddress` as Domo sent it: one address, or a forwarded-for list placed by its
   * client (functions/core/geo/ip-address.ts, `clientIpKey`). Undefined when no entry is a public
   * address (text that is not an address; private, reserved or documentation addresses).
   */
  lookup(ipAddress: string): GeoAnswer | undefined;
}

export type LogFields = Record<string, unknown>;

/** The core's logging port; the Lambdas adapt Powertools' Logger to it (functions/shared/powertools.ts). */
export interface Log {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };

/** Counters the core reports; the Lambda maps them to CloudWatch EMF, the CLI ignores or prints them. */
export interface MetricSink {
  count(name: string, value: number): void;
}

export const noMetrics: MetricSink = { count() {} };

/** One version of an object as a versioned store keeps it (S3 with versioning on). */
export interface ObjectVersion {
  key: string;
  /** S3's version id; `null` (the text) for an object written while versioning was off. */
  versionId: string;
  /** A delete marker: the key was deleted, and the versions before it are kept, noncurrent. */
  deleteMarker: boolean;
  /** When the store recorded it (ISO 8601), when it says. */
  lastModified?: string;
  /** The version's ETag and size in bytes, when the store says (not for a delete marker). */
  etag?: string;
  size?: number;
  /** Whether it is the key's current version (S3's IsLatest), when the store says. */
  isLatest?: boolean;
}

/**
 * Lists the versions a store keeps (S3 ListObjectVersions): what a plain listing hides, such as an
 * object deleted and written again. Optional: a disk lake keeps no versions.
 */
export interface ObjectVersionLister {
  /**
   * Every version and delete marker under the prefix, in key order; undefined when the store has no
   * versions API (an S3-compatible store that answers NotImplemented).
   */
  listVersions(prefix: string): Promise<ObjectVersion[] | undefined>;
}

/** The store's version listing, when it has one (the S3 store; not the disk or memory ones). */
export const versionListerOf = (store: ObjectStore): ObjectVersionLister | undefined =>
  'listVersions' in store && typeof store.listVersions === 'function'
    ? (store as ObjectStore & ObjectVersionLister)
    : undefined;
