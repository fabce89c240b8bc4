import { DEFAULT_CATEGORY_RULES } from '../domo/category-rules.ts';
import { assertInstanceName } from '../lake/layout.ts';
import { CODE_VERSION } from '../version.ts';
import { assertTimeZone } from '../zoned-time.ts';
import type { IngestConfig } from './ingest-types.ts';

/** The defaults of DESIGN §3.2: settle 15 min, lookback 2 h, backfill 90 days, 4 windows at once. */
export function defaultIngestConfig(instance: string): IngestConfig {
  return {
    instance: assertInstanceName(instance),
    settleMinutes: 15,
    lookbackHours: 2,
    backfillDays: 90,
    concurrency: 4,
    budgetMarginMs: 60_000,
    docTimeZone: 'UTC',
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
  integerIn(
    'settleMinutes',
    config.settleMinutes,
    0,
    24 * 60,
    'minutes a window must be closed before it is pulled',
  );
  integerIn('lookbackHours', config.lookbackHours, 0, 24 * 7, 'completed hours re-pulled each run');
  // Domo keeps about a year of activity; older windows come back empty, not as errors.
  integerIn(
    'backfillDays',
    config.backfillDays,
    1,
    366,
    'days the first run reaches back; Domo keeps about 365',
  );
  integerIn('concurrency', config.concurrency, 1, 16, 'windows pulled at once');
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
