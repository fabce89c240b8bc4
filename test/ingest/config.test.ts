import { describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORY_RULES } from '../../functions/core/domo/category-rules.ts';
import {
  categoryRulesFromEnv,
  INGEST_ENV,
  ingestEnvironment,
  readIngestEnv,
} from '../../functions/ingest/config.ts';
import { SAMPLE_INGEST_HANDLER_CONFIG } from '../support/ingest-handler-config.ts';

const config = SAMPLE_INGEST_HANDLER_CONFIG;

describe('ingest function environment', () => {
  it('round-trips: what the CDK app sets is exactly what the handler reads', () => {
    const expecting = { ...config, domoCustomer: 'acme-corp' };
    const env = ingestEnvironment(expecting);
    expect(Object.keys(env).sort()).toEqual(Object.values(INGEST_ENV).sort());
    expect(readIngestEnv(env)).toEqual(expecting);
  });

  it('reads the category rules as the built-in ones when the stack sets none', () => {
    const env: Record<string, string | undefined> = { ...ingestEnvironment(config) };
    delete env[INGEST_ENV.categoryRules];
    expect(categoryRulesFromEnv(readIngestEnv(env).categoryRules)).toEqual(DEFAULT_CATEGORY_RULES);
  });

  it('names the rules variable in a fault of the whole value, and only once in a fault of one rule', () => {
    expect(() => categoryRulesFromEnv('null')).toThrow(
      /^INGEST_CATEGORY_RULES: Expected a JSON array of rules/,
    );
    expect(() => categoryRulesFromEnv('{"replaceBuiltIn": true, "rules": []}')).toThrow(
      /^INGEST_CATEGORY_RULES: "replaceBuiltIn": true drops the built-in rules/,
    );
    expect(() => categoryRulesFromEnv('[{"category":"login"}]')).toThrow(
      /^INGEST_CATEGORY_RULES\[0\]: a rule needs at least one of/,
    );
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

  it("holds the time-budget margin to a Lambda's 15 minutes, and the API base to http(s)", () => {
    const env = ingestEnvironment(config);
    expect(readIngestEnv({ ...env, [INGEST_ENV.budgetMarginMs]: '900000' }).budgetMarginMs).toBe(900_000);
    expect(() => readIngestEnv({ ...env, [INGEST_ENV.budgetMarginMs]: '900001' })).toThrow(
      /INGEST_BUDGET_MARGIN_MS must be a whole number from 0 to 900000/,
    );
    expect(() => readIngestEnv({ ...env, [INGEST_ENV.apiBase]: 'ftp://api.domo.com' })).toThrow(
      /DOMO_API_BASE must be an http\(s\) URL/,
    );
  });

  it('wants lakeStartDate as YYYY-MM-DD and reads a missing prefix as the bucket root', () => {
    const env: Record<string, string | undefined> = ingestEnvironment(config);
    expect(() => readIngestEnv({ ...env, [INGEST_ENV.lakeStartDate]: '2025-1-1' })).toThrow(
      /LAKE_START_DATE must be a date such as 2025-01-01/,
    );
    // A day that does not exist, which the reading of it would roll into March.
    expect(() => readIngestEnv({ ...env, [INGEST_ENV.lakeStartDate]: '2025-02-30' })).toThrow(
      /LAKE_START_DATE must be a date such as 2025-01-01/,
    );
    expect(readIngestEnv({ ...env, [INGEST_ENV.prefix]: undefined }).prefix).toBe('');
  });
});
