import { DEFAULT_CATEGORY_RULES } from '../domo/category-rules.ts';
import { assertInstanceName } from '../lake/layout.ts';
import { CODE_VERSION } from '../version.ts';
import { assertTimeZone } from '../zoned-time.ts';
import { DEFAULT_DOC_TIME_ZONE, INGEST_SETTINGS, type IngestSettingName } from './ingest-settings.ts';
import type { IngestConfig } from './ingest-types.ts';

/** The defaults of DESIGN §3.2 (ingest-settings.ts): settle 15 min, lookback 2 h, backfill 90 days, 4 windows at once. */
export function defaultIngestConfig(instance: string): IngestConfig {
  return {
    instance: assertInstanceName(instance),
    settleMinutes: INGEST_SETTINGS.settleMinutes.default,
    lookbackHours: INGEST_SETTINGS.lookbackHours.default,
    backfillDays: INGEST_SETTINGS.backfillDays.default,
    concurrency: INGEST_SETTINGS.concurrency.default,
    budgetMarginMs: 60_000,
    docTimeZone: DEFAULT_DOC_TIME_ZONE,
    categoryRules: DEFAULT_CATEGORY_RULES,
    maxPagesPerRange: 50,
    codeVersion: CODE_VERSION,
  };
}

const integerIn = (name: string, value: number, min: number, max: number, hint: string): void => {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} is ${value}: it must be a whole number from ${min} to ${max} (${hint})`);
  }
};

/** Checks a configuration before a run uses it, with messages that name the setting and the fix. */
export function validateIngestConfig(config: IngestConfig): IngestConfig {
  assertInstanceName(config.instance);
  for (const name of Object.keys(INGEST_SETTINGS) as IngestSettingName[]) {
    const { min, max, what } = INGEST_SETTINGS[name];
    integerIn(name, config[name], min, max, what);
  }
  integerIn(
    'budgetMarginMs',
    config.budgetMarginMs,
    0,
    15 * 60_000,
    'time kept in reserve at the end of a run',
  );
  integerIn('maxPagesPerRange', config.maxPagesPerRange, 2, 10_000, 'pages before a time range is split');
  assertTimeZone(config.docTimeZone);
  return config;
}
