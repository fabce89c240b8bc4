import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { statePrefix } from '../core/lake/layout.ts';
import {
  type ListOptions,
  type ObjectStore,
  type ObjectVersion,
  type ObjectVersionLister,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
  WriteInFlightError,
} from '../core/ports.ts';
import { realRandom, realSleep, systemClock } from '../core/runtime.ts';
import { assertBucketName } from './bucket-name.ts';
import { InFlightWaitBudget } from './in-flight-wait-budget.ts';
import type { PutAgainWaits } from './put-again-wait.ts';
import { codeOf, type S3Operation, s3Failure, statusOf } from './s3-failure.ts';
import { sendWhileInFlight } from './s3-put-in-flight.ts';

const MIB = 1024 * 1024;

/**
 * Where the conditional-write probe writes, under the instance's own state prefix (which the
 * ingest role may write, and no table reads).
 */
export const conditionalWriteProbeKey = (instance: string): string =>
  `${statePrefix(instance)}conditional-write-probe.json`;

/** Raised when a store accepts a create-only write on a key that exists. */
export class ConditionalWritesIgnoredError extends Error {
  constructor(
    readonly endpoint: string,
    readonly location: string,
  ) {
    super(
      `the object store at ${endpoint} (${location}) accepted a create-only write (If-None-Match: *) on a key that already exists: it ignores conditional writes, so overlapping runs could silently overwrite each other's hours and the checkpoint. Use Amazon S3 or a store that answers 412 to such writes`,
    );
    this.name = 'ConditionalWritesIgnoredError';
  }
}

/** Probes already run (or running) in this process, by endpoint, bucket and key. */
const probes = new Map<string, Promise<void>>();

/**
 * Proves, once per process and lake, that the store refuses a create-only write on an existing
 * key: first a create-only put of a small probe object (it may exist already), then the same put
 * again, which must lose. Stores other than S3 (disk, memory) implement the conditions themselves.
 *
 * @throws ConditionalWritesIgnoredError naming the endpoint when the second put is accepted.
 */
export async function assertConditionalWrites(
  store: ObjectStore,
  instance: string,
  options: { unsafeSkip?: boolean; now?: () => number } = {},
): Promise<void> {
  if (!(store instanceof S3ObjectStore) || options.unsafeSkip) return;
  const key = conditionalWriteProbeKey(instance);
  const endpoint = await store.endpoint();
  const id = `${endpoint} ${store.location}${key}`;
  let probe = probes.get(id);
  if (!probe) {
    probe = probeOnce(store, key, endpoint, options.now ?? Date.now);
    probes.set(id, probe);
    // A failed probe (network, permissions) is tried again by the next run of this process.
    probe.catch(() => probes.delete(id));
  }
  await probe;
}

async function probeOnce(store: S3ObjectStore, key: string, endpoint: string, now: () => number) {
  const body = new TextEncoder().encode(
    `${JSON.stringify({ purpose: 'proves the store refuses create-only writes on existing keys', at: new Date(now()).toISOString() })}\n`,
  );
  const createOnly = { ifNoneMatch: '*' as const, contentType: 'application/json' };
  try {
    await store.put(key, body, createOnly);
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error;
  }
  try {
    await store.put(key, body, createOnly);
  } catch (error) {
    if (error instanceof PreconditionFailedError) return;
    throw error;
  }
  throw new ConditionalWritesIgnoredError(endpoint, store.location);
}

export interface S3ObjectStoreOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix of the lake inside the bucket (`lake` or `lake/`); default: the bucket root. */
  prefix?: string;
  /** Unconditional bodies larger than this go up as a multipart upload. Default 16 MiB. */
  multipartThresholdBytes?: number;
  /** Part size of multipart uploads; S3's minimum is 5 MiB. Default 8 MiB. */
  partSizeBytes?: number;
  /** Parts uploaded in parallel. Default 4. */
  queueSize?: number;
  /**
   * The timer and jitter of the waits before a conditional put is sent again after S3's 409
   * (s3-put-in-flight.ts). Default: the real timer and random source; tests pass fakes.
   */
  putAgainWaits?: PutAgainWaits;
}

/**
 * An {@link ObjectStore} over an S3 bucket (and optional prefix): the lake of the deployed stack.
 *
 * Objects are stored exactly as given. The lake's `.gz` objects are written with
 * `Content-Type: application/gzip` and no `Content-Encoding`: Athena picks the codec from the key's
 * suffix, whereas `Content-Encoding: gzip` makes browsers, the S3 console, curl --compressed, Go's
 * default transport and others hand out the decompressed bytes under a `.gz` name (and a re-upload
 * of those would corrupt the object). `put` therefore refuses `contentEncoding: 'gzip'` on `.gz` keys.
 */
export class S3ObjectStore implements ObjectStore, ObjectVersionLister {
  readonly location: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly multipartThresholdBytes: number;
  private readonly partSizeBytes: number;
  private readonly queueSize: number;
  private readonly putAgainWaits: PutAgainWaits & { budget: InFlightWaitBudget };

  constructor(options: S3ObjectStoreOptions) {
    assertBucketName(options.bucket);
    this.client = options.client;
    this.bucket = options.bucket;
    const trimmed = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.prefix = trimmed === '' ? '' : `${trimmed}/`;
    this.location = `s3://${this.bucket}/${this.prefix}`;
    this.multipartThresholdBytes = options.multipartThresholdBytes ?? 16 * MIB;
    this.partSizeBytes = options.partSizeBytes ?? 8 * MIB;
    this.queueSize = options.queueSize ?? 4;
    const waits = options.putAgainWaits ?? { sleep: realSleep, random: realRandom };
    this.putAgainWaits = { ...waits, budget: new InFlightWaitBudget(waits.now ?? systemClock.now) };
    if (this.partSizeBytes < 5 * MIB) {
      throw new Error(`partSizeBytes ${this.partSizeBytes} is below S3's 5 MiB minimum part size`);
    }
  }

  /**
   * The endpoint requests go to, for messages: a custom one (`http://127.0.0.1:4568`) or AWS's.
   * A custom endpoint may come from the client's options or, as the SDK reads them, from
   * AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL or the shared config file's `endpoint_url`.
   */
  async endpoint(): Promise<string> {
    const config = this.client.config;
    const custom = await config.endpoint?.();
    if (custom) {
      const port = custom.port ? `:${custom.port}` : '';
      return `${custom.protocol}//${custom.hostname}${port}${custom.path === '/' ? '' : custom.path}`;
    }
    // The SDK only adopts a configured endpoint as `config.endpoint` on the first request, and the
    // probe names the store before sending any; so ask the provider the SDK itself consults then,
    // which also applies the precedence and the ignore settings (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS).
    const configured = config.ignoreConfiguredEndpointUrls
      ? undefined
      : await config.serviceConfiguredEndpoint?.();
    if (configured) return configuredEndpointName(configured);
    const region = await config.region();
    return `Amazon S3 (${region})`;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const Key = this.prefix + key;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
      const body = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
      if (!out.ETag) throw new Error(`S3 returned no ETag for ${this.location}${key}`);
      return { body, etag: out.ETag, ...(out.VersionId ? { versionId: out.VersionId } : {}) };
    } catch (error) {
      const code = codeOf(error);
      if (code === 'NoSuchKey' || (statusOf(error) === 404 && code !== 'NoSuchBucket')) return undefined;
      throw this.failure('GetObject', key, error);
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return true;
    } catch (error) {
      // A HEAD answer has no body, so a missing bucket is a 404 too: the reads before any probe
      // (the checkpoint's) already fail on it with S3's NoSuchBucket.
      if (statusOf(error) === 404 || codeOf(error) === 'NotFound') return false;
      throw this.failure('HeadObject', key, error);
    }
  }

  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<{ etag: string }> {
    const Key = this.prefix + key;
    if (key.endsWith('.gz') && options.contentEncoding?.toLowerCase().includes('gzip')) {
      throw new Error(
        `refusing Content-Encoding: gzip on ${this.location}${key}: clients would transparently decompress a .gz object; store gzip bytes with contentType 'application/gzip' and no contentEncoding`,
      );
    }
    const common = {
      Bucket: this.bucket,
      Key,
      ContentType: options.contentType,
      ContentEncoding: options.contentEncoding,
    };
    const conditional = options.ifMatch !== undefined || options.ifNoneMatch !== undefined;

    // Conditional writes always take a single PutObject: the condition is then checked and applied
    // atomically in one request. In a multipart upload it is only checked at CompleteMultipartUpload,
    // after every part was sent, and whether lib-storage forwards it there depends on its version.
    // The lake's conditional objects (an hour of events, the checkpoint) are far below 5 GiB.
    if (!conditional && body.byteLength > this.multipartThresholdBytes) {
      try {
        const upload = new Upload({
          client: this.client,
          params: { ...common, Body: body },
          partSize: this.partSizeBytes,
          queueSize: this.queueSize,
          leavePartsOnError: false,
        });
        const out = await upload.done();
        return { etag: out.ETag ?? '' };
      } catch (error) {
        throw this.failure('multipart upload', key, error);
      }
    }

    return this.putObject(key, { ...common, Body: body }, options, conditional);
  }

  /**
   * One PutObject, conditional or not. A conditional one S3 answers 409 (another put of the key in
   * flight) is sent again after a short wait (s3-put-in-flight.ts); 412 is a lost race at once.
   */
  private async putObject(
    key: string,
    params: { Bucket: string; Key: string; Body: Uint8Array; ContentType?: string; ContentEncoding?: string },
    options: PutOptions,
    conditional: boolean,
  ): Promise<{ etag: string }> {
    const send = () =>
      this.client.send(
        new PutObjectCommand({ ...params, IfMatch: options.ifMatch, IfNoneMatch: options.ifNoneMatch }),
      );
    try {
      const out = conditional
        ? await sendWhileInFlight(send, this.putAgainWaits, { key, address: `${this.location}${key}` })
        : await send();
      return { etag: out.ETag ?? '' };
    } catch (error) {
      if (error instanceof WriteInFlightError) throw error;
      if (conditional && isConditionLost(error, options)) throw new PreconditionFailedError(key);
      throw this.failure('PutObject', key, error);
    }
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<string> {
    let token: string | undefined;
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            ContinuationToken: token,
            MaxKeys: options.pageSize,
            // S3 ignores StartAfter once a continuation token is given.
            StartAfter: options.startAfter === undefined ? undefined : this.prefix + options.startAfter,
          }),
        );
      } catch (error) {
        throw this.failure('ListObjectsV2', prefix, error);
      }
      for (const object of page.Contents ?? []) {
        if (object.Key?.startsWith(this.prefix)) yield object.Key.slice(this.prefix.length);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /**
   * Every version and delete marker under the prefix (ListObjectVersions, which needs
   * s3:ListBucketVersions). Undefined when the store has no versions API (s3rver answers
   * MethodNotAllowed, other S3-compatible stores NotImplemented); a bucket without versioning
   * answers one `null` version a key.
   */
  async listVersions(prefix: string): Promise<ObjectVersion[] | undefined> {
    const versions: ObjectVersion[] = [];
    let marker: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (;;) {
      let page: ListObjectVersionsCommandOutput;
      try {
        page = await this.client.send(
          new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: this.prefix + prefix, ...marker }),
        );
      } catch (error) {
        if (hasNoVersionsApi(error)) return undefined;
        throw this.failure('ListObjectVersions', prefix, error);
      }
      versions.push(...this.versionsOf(page));
      if (!page.IsTruncated) break;
      marker = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
    }
    return versions.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** One page's versions and delete markers, with keys relative to the lake. */
  private versionsOf(page: ListObjectVersionsCommandOutput): ObjectVersion[] {
    const found = [
      ...(page.Versions ?? []).map((v) => ({ ...v, deleteMarker: false })),
      ...(page.DeleteMarkers ?? []).map((m) => ({
        ...m,
        deleteMarker: true,
        ETag: undefined,
        Size: undefined,
      })),
    ];
    return found.flatMap((v) =>
      v.Key?.startsWith(this.prefix)
        ? [
            {
              key: v.Key.slice(this.prefix.length),
              versionId: v.VersionId ?? 'null',
              deleteMarker: v.deleteMarker,
              ...(v.LastModified ? { lastModified: v.LastModified.toISOString() } : {}),
              // What tells an identical copy in place from a second write.
              ...(v.ETag ? { etag: v.ETag } : {}),
              ...(typeof v.Size === 'number' ? { size: v.Size } : {}),
              ...(typeof v.IsLatest === 'boolean' ? { isLatest: v.IsLatest } : {}),
            },
          ]
        : [],
    );
  }

  /** An error naming the operation, the object, S3's error code and what usually fixes it. */
  private failure(operation: S3Operation, key: string, error: unknown): Error {
    return s3Failure(operation, `${this.location}${key}`, this.bucket, this.prefix + key, error);
  }
}

/**
 * A configured endpoint URL as messages name it: without user info or query, which may carry
 * credentials or signatures.
 */
function configuredEndpointName(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The SDK fails every request on it with its own error; the text itself is not repeated.
    return 'a configured endpoint that is not a URL';
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

/** An answer saying the store has no ListObjectVersions at all (not that the caller may not call it). */
const hasNoVersionsApi = (error: unknown): boolean =>
  ['NotImplemented', 'MethodNotAllowed'].includes(codeOf(error)) || [405, 501].includes(statusOf(error) ?? 0);

/** A lost condition (another write landed first). Never a 409: that one is sent again (s3-put-in-flight.ts). */
function isConditionLost(error: unknown, options: PutOptions): boolean {
  const code = codeOf(error);
  const status = statusOf(error);
  if (status === 412 || code === 'PreconditionFailed') return true;
  // If-Match on a key that no longer exists: it changed (was deleted) since it was read.
  return (
    options.ifMatch !== undefined && (code === 'NoSuchKey' || (status === 404 && code !== 'NoSuchBucket'))
  );
}
