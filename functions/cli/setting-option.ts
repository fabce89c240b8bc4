import { INGEST_SETTINGS, type IngestSettingName } from '../core/ingest/ingest-settings.ts';
import { ALERT_SETTING_LIMITS, DEFAULT_ALERT_SETTINGS } from '../core/queries/alert-settings.ts';
import { parseWholeNumber } from './options.ts';

/** A shared ingest setting from its flag, with the limits and default cdk.json and the Lambda use. */
export function settingOption(flag: string, value: string | undefined, name: IngestSettingName): number {
  const limit = INGEST_SETTINGS[name];
  return parseWholeNumber(flag, value, limit.default, { min: limit.min, max: limit.max, why: limit.what });
}

/**
 * An alert setting from its flag, checked against the limits synth and the alerts function check
 * it by (ALERT_SETTING_LIMITS), so the error names the flag, not the setting.
 */
export function alertSettingOption(
  flag: string,
  value: string | undefined,
  name: keyof typeof ALERT_SETTING_LIMITS,
): number {
  const [min, max, why] = ALERT_SETTING_LIMITS[name];
  return parseWholeNumber(flag, value, DEFAULT_ALERT_SETTINGS[name], { min, max, why });
}
