import { describe, expect, it } from 'vitest';
import {
  INGEST_ENV,
  type IngestHandlerConfig,
  ingestEnvironment,
  readIngestEnv,
} from '../../functions/ingest/config.ts';

const config: IngestHandlerConfig = {
  instance: 'acme',
  bucket: 'lake-bucket',
  prefix: '',
  secretId: 'DomoActivityLake/domo/acme',
  apiBase: 'https://api.domo.com',
  settleMinutes: 15,
  lookbackHours: 2,
  backfillDays: 90,
  concurrency: 4,
  docTimeZone: 'UTC',
  budgetMarginMs: 60_000,
  digestKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/digest',
};

describe('ingest function environment', () => {
  it('round-trips: what the CDK app sets is exactly what the handler reads', () => {
    const env = ingestEnvironment(config);
    expect(Object.keys(env).sort()).toEqual(Object.values(INGEST_ENV).sort());
    expect(readIngestEnv(env)).toEqual(config);
  });

  it('lists every missing or malformed variable and says to redeploy rather than hand-edit', () => {
    const env = {
      ...ingestEnvironment(config),
      [INGEST_ENV.concurrency]: 'four',
      [INGEST_ENV.settleMinutes]: '',
    };
    delete (env as Record<string, string | undefined>)[INGEST_ENV.bucket];
    expect(() => readIngestEnv(env)).toThrow(
      /LAKE_BUCKET is not set; INGEST_SETTLE_MINUTES must be a whole number from 0 to 240; INGEST_CONCURRENCY must be a whole number from 1 to 16\. The CDK stack sets these variables; redeploy it/,
    );
  });

  it('rejects out-of-range numbers and a non-URL API base', () => {
    const env = {
      ...ingestEnvironment(config),
      [INGEST_ENV.backfillDays]: '0',
      [INGEST_ENV.apiBase]: 'api.domo.com',
    };
    expect(() => readIngestEnv(env)).toThrow(
      /DOMO_API_BASE must be an http\(s\) URL; INGEST_BACKFILL_DAYS must be a whole number from 1 to 366/,
    );
  });
});
