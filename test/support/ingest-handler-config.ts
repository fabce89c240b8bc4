import type { IngestHandlerConfig } from '../../functions/ingest/config.ts';

/** A complete ingest function configuration with the shipped defaults, for environment tests. */
export const SAMPLE_INGEST_HANDLER_CONFIG: IngestHandlerConfig = {
  stack: 'DomoActivityLake',
  instance: 'acme',
  bucket: 'lake-bucket',
  prefix: '',
  secretId: 'DomoActivityLake/domo/acme',
  apiBase: 'https://api.domo.com',
  settleMinutes: 15,
  lookbackHours: 2,
  repullAfterHours: 24,
  backfillDays: 90,
  concurrency: 4,
  docTimeZone: 'UTC',
  budgetMarginMs: 60_000,
  digestKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/digest',
  lakeStartDate: '2025-01-01',
  categoryRules: '[]',
  maxDays: null,
};
