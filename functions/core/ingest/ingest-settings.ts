import * as z from 'zod';
import { DEFAULT_SETTLE_MINUTES, MAX_BACKFILL_DAYS } from '../lake/closed-hours.ts';
import { DEFAULT_LOOKBACK_HOURS, DEFAULT_REPULL_AFTER_HOURS } from '../lake/later-pull-due.ts';

/** One whole-number ingest setting: its limits, its default, and what it means. */
interface IngestSettingLimit {
  min: number;
  max: number;
  default: number;
  /** What the number is, for messages: "minutes an hour must be closed before it is pulled". */
  what: string;
}

/**
 * The ingest settings an operator tunes (cdk.json `ingest.*`, the ingest function's environment,
 * the `ingest` command's flags), with the one set of limits and defaults all three accept. The
 * limits are a deployment's: a run re-pulls at most two days of late hours on the schedule, and
 * older hours are re-pulled deliberately with an explicit range.
 */
export const INGEST_SETTINGS = {
  settleMinutes: {
    min: 0,
    max: 240,
    default: DEFAULT_SETTLE_MINUTES,
    what: 'minutes an hour must be closed before it is pulled',
  },
  lookbackHours: {
    min: 0,
    max: 48,
    default: DEFAULT_LOOKBACK_HOURS,
    what: 'completed hours re-pulled by each run that has a newly closed hour',
  },
  // A week: a lake whose later pulls were held that long is re-pulled deliberately with a range.
  repullAfterHours: {
    min: 0,
    max: 168,
    default: DEFAULT_REPULL_AFTER_HOURS,
    what: 'hours after which the schedule pulls an hour once more (0: never)',
  },
  // Domo keeps about a year of activity; older windows come back empty, not as errors.
  backfillDays: {
    min: 1,
    max: MAX_BACKFILL_DAYS,
    default: 90,
    what: 'days the first run reaches back; Domo keeps about 365',
  },
  concurrency: { min: 1, max: 16, default: 4, what: 'spans of hours read from Domo at once' },
} as const satisfies Record<string, IngestSettingLimit>;

export type IngestSettingName = keyof typeof INGEST_SETTINGS;

/** Zone of Domo's `yyyy-MM-dd hh:mm:ss a` times unless configured. */
export const DEFAULT_DOC_TIME_ZONE = 'UTC';

/** Says what a value must be, naming no key: each caller puts its own name in front. */
export const settingRule = (limit: IngestSettingLimit): string =>
  `must be a whole number from ${limit.min} to ${limit.max}, for example ${limit.default}`;

/** The schema of one setting: a whole number within its limits, its default when left out. */
const ingestSetting = (name: IngestSettingName) => {
  const limit = INGEST_SETTINGS[name];
  const error = settingRule(limit);
  return z
    .number({ error })
    .int({ error })
    .min(limit.min, { error })
    .max(limit.max, { error })
    .default(limit.default);
};

/**
 * The shared settings as zod object fields: the CDK config spreads them into its ingest object
 * (cdk.json), the ingest function's environment and the command's flags check their numbers with
 * {@link ingestSetting}. A function, so that importing this module builds no schema.
 */
export const ingestSettingFields = () => ({
  settleMinutes: ingestSetting('settleMinutes'),
  lookbackHours: ingestSetting('lookbackHours'),
  repullAfterHours: ingestSetting('repullAfterHours'),
  backfillDays: ingestSetting('backfillDays'),
  concurrency: ingestSetting('concurrency'),
});

/** Whether `value` is an acceptable value of the setting. */
export const acceptsSetting = (name: IngestSettingName, value: number): boolean =>
  ingestSetting(name).safeParse(value).success;

/**
 * `repullAfterHours` when it is not set: its default, or 0 (no later pull) beside a `lookbackHours`
 * of at least that, which pulls each hour that late anyway. So a configuration that raised its
 * lookback to a day or more before the later pull existed keeps working as it did (no setting it
 * never had is refused on upgrade).
 */
export const defaultRepullAfterHours = (lookbackHours: number): number =>
  lookbackHours >= INGEST_SETTINGS.repullAfterHours.default ? 0 : INGEST_SETTINGS.repullAfterHours.default;

/**
 * {@link settingRule} of `repullAfterHours` beside `lookbackHours`, with an example that fits it:
 * 24 does not beside a lookback of a day or more (review R-FINAL F6).
 */
export function repullRule(lookbackHours: number): string {
  const limit = INGEST_SETTINGS.repullAfterHours;
  if (lookbackHours < limit.default) return settingRule(limit);
  return `must be a whole number from ${limit.min} to ${limit.max}, for example 0 (no later pull) or ${lookbackHours + 1}`;
}

/**
 * Why `repullAfterHours` does not fit `lookbackHours` (undefined: it does), worded after the
 * setting's name: the later pull must come after the lookback has let the hour go, or it would
 * pull an hour the lookback pulls anyway. `lookbackName` names the other setting as the caller's
 * reader knows it (a key, a flag, a variable).
 */
export function repullProblem(
  values: { repullAfterHours: number; lookbackHours: number },
  lookbackName: string,
): string | undefined {
  const { repullAfterHours: repull, lookbackHours: lookback } = values;
  if (repull === 0 || repull > lookback) return undefined;
  const example = Math.max(INGEST_SETTINGS.repullAfterHours.default, lookback + 1);
  return `must be 0 (no later pull) or more than ${lookbackName} (${lookback}), which pulls an hour again until then; for example ${example}`;
}
