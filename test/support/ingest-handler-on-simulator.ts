import type { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { ingestEnvironment } from '../../functions/ingest/config.ts';
import type { createIngestHandler } from '../../functions/ingest/handler.ts';

export interface HandlerOnSimulatorOptions {
  /** The handler module's factory (a test may import the module after setting its environment). */
  create: typeof createIngestHandler;
  s3Client: S3Client;
  /** The bucket the function is configured with (one s3rver lacks, to make the lake the failure). */
  bucket: string;
  /** The bucket the returned store reads; default `bucket`. */
  storeBucket?: string;
  apiBase: string;
  /** Makes the secret id and the lake prefix this handler's own (middy caches secrets by id). */
  seq: number;
  secretStem: string;
  now: number;
  digestKeyId: string;
  concurrency: number;
  extraEnv?: Record<string, string>;
  /** s3rver ignores conditional writes: the probe would (rightly) refuse it, so only its tests run it. */
  probeConditionalWrites?: boolean;
}

/**
 * An ingest handler of instance `acme` on a simulator and s3rver, with its own secret id and lake
 * prefix, and the store of that prefix.
 */
export function ingestHandlerOnSimulator(options: HandlerOnSimulatorOptions) {
  const secretId = `test/domo/${options.secretStem}-${options.seq}`;
  const prefix = `lake-${options.seq}`;
  const env = ingestEnvironment({
    stack: 'DomoActivityLake',
    instance: 'acme',
    bucket: options.bucket,
    prefix,
    secretId,
    apiBase: options.apiBase,
    settleMinutes: 15,
    lookbackHours: 2,
    repullAfterHours: 24,
    backfillDays: 1,
    concurrency: options.concurrency,
    docTimeZone: 'UTC',
    budgetMarginMs: 60_000,
    digestKeyId: options.digestKeyId,
    lakeStartDate: '2025-01-01',
    categoryRules: '[]',
    maxDays: null,
  });
  const run = options.create({
    env: { ...env, ...options.extraEnv },
    s3Client: options.s3Client,
    clock: { now: () => options.now },
    sleep: async () => undefined,
    unsafeSkipConditionalWriteCheck: options.probeConditionalWrites !== true,
  });
  const store = new S3ObjectStore({
    client: options.s3Client,
    bucket: options.storeBucket ?? options.bucket,
    prefix,
  });
  return { run, secretId, store };
}
