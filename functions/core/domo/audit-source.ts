/** One `GET /v1/audit` request: `start` and `end` are epoch ms and both inclusive on Domo's side. */
export interface AuditQuery {
  start: number;
  end: number;
  limit: number;
  offset: number;
}

export interface AuditPage {
  /** The top-level JSON array as received; each entry is validated by the normaliser, not here. */
  entries: unknown[];
  /**
   * Parallel to `entries`: each entry's JSON text exactly as served, a slice of the page body
   * (big integers, duplicate keys, key order and escapes intact). The lake's `raw` is built on it.
   */
  entryTexts: string[];
  /**
   * Parallel to `entries`: what holding each entry parsed costs, in bytes of typical JSON (see
   * `entry-weight.ts`). A source that leaves it out has its entries weighed from their texts.
   */
  entryWeights?: number[];
  /** Parallel to `entries`: each entry's bytes as served (UTF-8). Else measured on `entryTexts`. */
  entryBytes?: number[];
  /** The bytes of the body as served (unpacked). Else counted from `entryTexts`. */
  bodyBytes?: number;
  /**
   * The `limit` the page was finally asked with, when less than the query's: a page too long for
   * the body cap is asked again for fewer entries. A page shorter than this is short.
   */
  limit?: number;
  /**
   * Indexes of the entries that held one of the client's credentials (echoed by the API): their
   * texts and values are already scrubbed, and the ingest quarantines them.
   */
  credentialEntries?: readonly number[];
  /**
   * Indexes of the entries whose bytes were not valid UTF-8: their texts hold U+FFFD where the
   * bytes were, not the entry as served, and the ingest quarantines them.
   */
  invalidUtf8Entries?: readonly number[];
  /**
   * The entries that are not JSON, each with what the parser said: their `entries` value is their
   * text (a string), and the ingest quarantines them. Only entries served alike twice (see
   * `not-json-entries.ts`).
   */
  notJsonEntries?: readonly NotJsonEntry[];
  /**
   * Stand-ins for entries too large to read even alone (too-large-entries.ts): their `entries`
   * value is their text (a string, not Domo's), and the ingest quarantines them with the reason.
   */
  tooLargeEntries?: readonly TooLargeEntry[];
  /** HTTP requests this page took, retries and token refreshes included. */
  requests: number;
}

/** An entry of a page that is not JSON: its index, and the parser's error (quoting none of it). */
export interface NotJsonEntry {
  index: number;
  error: string;
}

/** An entry too large to read even alone: its index in the page, and why it is quarantined. */
export interface TooLargeEntry {
  index: number;
  reason: string;
}

/** The ingest core's view of the Domo Activity Log API (implemented by `audit-client.ts`). */
export interface AuditSource {
  /**
   * `priority`: where the request stands for a slot of the client's pace when reads share a slow
   * Domo (oldest-first-limiter.ts), lower first; default the query's `start`. The ingest's later
   * pulls ask after every read of the run's own hours: they move no watermark.
   */
  fetchPage(query: AuditQuery, signal?: AbortSignal, priority?: number): Promise<AuditPage>;
  /**
   * The Domo customer (instance) the credentials' latest token names, known once a page was
   * fetched; undefined when Domo's token answer names none. A source without it (a test's) is
   * not bound to an instance (ingest/instance-binding.ts).
   */
  customer?(): string | undefined;
  /**
   * The requests the source has sent so far (retries and token requests included) and how its
   * retries went; a source without it (a test's) is counted by the pages it serves.
   */
  stats?(): AuditSourceStats;
}

/** What a source has sent, for a run's account of a run that made no progress. */
export interface AuditSourceStats {
  /** HTTP requests sent, token requests and retries included. */
  requests: number;
  /** Requests repeated after a retryable failure (or a 401 with a new token). */
  retries: number;
  /** Those of the retries that followed a 429. */
  throttledRetries?: number;
  /** The last retry's answer: its status (none: no answer) and the wait it asked for (ms). */
  lastRetry?: { status?: number; retryAfterMs?: number };
}

/** Largest page Domo serves (documented maximum). */
export const MAX_PAGE_SIZE = 1000;
