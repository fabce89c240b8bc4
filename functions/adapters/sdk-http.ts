/**
 * How long one attempt of an AWS SDK request may wait on the network, for every client the product
 * builds (CLI and Lambdas). The SDK's Node handler sets no bound at all by default: a request on a
 * half-open connection, or to an endpoint that accepts and never answers, waits forever; the SDK
 * never retries it, and neither the CLI nor a Lambda's deadline logic can stop it.
 *
 * A bound that trips ends the attempt with a `TimeoutError`, which the SDK retries as transient
 * (S3, Athena, Secrets Manager: 3 attempts in all). The bounds are therefore set where a healthy
 * request never reaches them: a bound that a slow but working transfer can reach would fail it
 * on every attempt. A retried write may meet its own first attempt (an S3 conditional put then
 * gets 412), which the lake's conditional updates already expect of the SDK's retries.
 */
export interface SdkHttpBounds {
  /** Longest the TCP connection may take to open (`connectionTimeout`). */
  readonly connectionMs: number;
  /**
   * Longest the socket may stay idle (`socketTimeout`): no byte read and no write handed to the
   * kernel. Not a bound on the whole request (`requestTimeout`): a 16 MiB GET that keeps
   * receiving never reaches it, however long it takes. But Node counts a request body as one
   * write, refreshed only when it starts and when the kernel has taken all of it: an upload is
   * silent for the time its body (beyond the socket's buffers) takes on the wire.
   */
  readonly idleMs: number;
}

/**
 * The bounds of the Lambdas' clients, and of the CLI's clients other than S3. Connecting takes
 * milliseconds on a working network; 5 s leaves room for two lost SYNs. 15 s of silence: S3, Athena,
 * Secrets Manager and KMS answer in well under a second (S3's own advice is to retry a small GET or
 * PUT still unanswered after 2 s), and a Lambda's link to S3 in its region sends a 16 MiB body in
 * well under a second. It is also longer than the 6 s the SDK waits for S3's `100 Continue` before
 * it sends a large body anyway. The SDK makes three attempts, so a request that is never answered
 * fails after about 45 s. An ingest run's last writes (the checkpoint, the seal, the run record)
 * begin once its hard stop has aborted the hours in flight, with 30 s left at the default margin:
 * a write whose first attempt hangs then succeeds on its retry in time (unless the seal first
 * re-read open runs' hours, which may leave it 3 s); one that hangs on every attempt still runs
 * into the function's timeout (the next run redoes the unsaved hours).
 */
export const SDK_HTTP_BOUNDS: SdkHttpBounds = { connectionMs: 5_000, idleMs: 15_000 };

/**
 * The bounds of the CLI's S3 client, which uploads over the operator's link: a PutObject of up to
 * 16 MiB is one write, and a multipart upload has four 8 MiB parts in flight, so the socket is idle
 * for as long as such a body takes on the wire. 120 s passes 16 MiB at 1.2 Mbit/s, or four parts
 * sharing 2.3 Mbit/s; a dead connection costs 2 minutes per attempt, where it used to cost forever.
 */
export const CLI_S3_HTTP_BOUNDS: SdkHttpBounds = { connectionMs: 5_000, idleMs: 120_000 };

/** The SDK's `requestHandler` options for the given bounds (the handler is the SDK's Node one). */
interface SdkRequestHandlerSettings {
  connectionTimeout: number;
  socketTimeout: number;
}

/** A client's `requestHandler` option: `new S3Client({ requestHandler: sdkRequestHandler() })`. */
export const sdkRequestHandler = (bounds: SdkHttpBounds = SDK_HTTP_BOUNDS): SdkRequestHandlerSettings => ({
  connectionTimeout: bounds.connectionMs,
  socketTimeout: bounds.idleMs,
});
