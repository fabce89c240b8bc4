import { INGEST_SETTINGS, type IngestSettingName } from '../core/ingest/ingest-settings.ts';
import { parseWholeNumber } from './options.ts';

/** A shared ingest setting from its flag, with the limits and default cdk.json and the Lambda use. */
export function settingOption(flag: string, value: string | undefined, name: IngestSettingName): number {
  const limit = INGEST_SETTINGS[name];
  return parseWholeNumber(flag, value, limit.default, { min: limit.min, max: limit.max, why: limit.what });
}
