import { DEFAULT_CATEGORY_RULES } from '../domo/category-rules.ts';
import { assertInstanceName } from '../lake/layout.ts';
import { MINUTE_MS } from '../time-units.ts';
import { CODE_VERSION } from '../version.ts';
import { assertTimeZone } from '../zoned-time.ts';
import { DEFAULT_MAX_HELD_CHARS, MAX_READ_MS } from './fetch-range.ts';
import {
  DEFAULT_DOC_TIME_ZONE,
  INGEST_SETTINGS,
  type IngestSettingName,
  repullProblem,
} from './ingest-settings.ts';
import type { IngestConfig } from './ingest-types.ts';

/** One page of 1,000 entries at the body cap (8 MiB) must fit, or no busy hour could be read. */
const MIN_HELD_CHARS = 8 * 1024 * 1024;

/**
 * How much of the memory a run has (bytes) one read's entries may take: measured, a read's entries
 * cost the run about three times their weight at its peak (the parsed values, the records, their
 * lines and gzip; an entry weighs its JSON's bytes, twice its characters once one is past U+00FF,
 * as V8 then holds each of its strings at two bytes a character: `entry-weight.ts`), and up to `concurrency` reads are in flight at once, plus the rest of the run:
 * a third of the memory shared by `concurrency + 1` (a sixth for one read at a time).
 */
export const heldCharsForMemory = (memoryBytes: number, concurrency: number): number =>
  Math.max(MIN_HELD_CHARS, Math.floor(memoryBytes / (3 * (Math.max(1, concurrency) + 1))));

/** The defaults of DESIGN §3.2 (ingest-settings.ts): settle 15 min, lookback 2 h, backfill 90 days, 4 windows at once. */
export function defaultIngestConfig(instance: string): IngestConfig {
  return {
    instance: assertInstanceName(instance),
    settleMinutes: INGEST_SETTINGS.settleMinutes.default,
    lookbackHours: INGEST_SETTINGS.lookbackHours.default,
    repullAfterHours: INGEST_SETTINGS.repullAfterHours.default,
    backfillDays: INGEST_SETTINGS.backfillDays.default,
    concurrency: INGEST_SETTINGS.concurrency.default,
    budgetMarginMs: MINUTE_MS,
    docTimeZone: DEFAULT_DOC_TIME_ZONE,
    categoryRules: DEFAULT_CATEGORY_RULES,
    maxPagesPerRange: 50,
    maxHeldChars: DEFAULT_MAX_HELD_CHARS,
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
  const repull = repullProblem(config, 'lookbackHours');
  if (repull !== undefined) throw new Error(`repullAfterHours is ${config.repullAfterHours}: it ${repull}`);
  integerIn(
    'budgetMarginMs',
    config.budgetMarginMs,
    0,
    15 * MINUTE_MS,
    'time kept in reserve at the end of a run',
  );
  integerIn('maxPagesPerRange', config.maxPagesPerRange, 2, 10_000, 'pages before a time range is split');
  integerIn(
    'maxHeldChars',
    config.maxHeldChars,
    MIN_HELD_CHARS,
    Number.MAX_SAFE_INTEGER,
    "characters of entries' JSON one range may hold",
  );
  if (config.maxHeldCharsAlone !== undefined) {
    integerIn(
      'maxHeldCharsAlone',
      config.maxHeldCharsAlone,
      MIN_HELD_CHARS,
      Number.MAX_SAFE_INTEGER,
      "characters of entries' JSON an hour read alone may hold",
    );
  }
  if (config.maxReadMs !== undefined) {
    integerIn('maxReadMs', config.maxReadMs, MINUTE_MS, MAX_READ_MS, 'time one read of Domo may take');
  }
  assertTimeZone(config.docTimeZone);
  return config;
}
