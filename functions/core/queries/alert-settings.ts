/**
 * What the alert detectors and the delivery are tuned by, with the defaults of docs/alerts.md. The
 * CDK config (infra/config.ts), the Lambda and the CLI all validate through {@link validateAlertSettings}.
 * Kept with the queries: the catalog checks the detection queries' parameters against the same
 * limits (query-params.ts), and the weekly report names the alerts' history, so both the alerts
 * and the report read them from below.
 */
import { assertTimeZone } from '../zoned-time.ts';

export interface AlertSettings {
  /** Failed logins of one user that make a burst... */
  burstFailures: number;
  /** ...within this many minutes (at most 30: a burst is judged from the hour before too). */
  burstMinutes: number;
  /**
   * Failed logins of one user in the hour before a sign-in of theirs (since their previous one) that
   * make it a login after failures (a lockout in that hour makes it one too).
   */
  failuresBeforeLogin: number;
  /**
   * Distinct users failing to sign in from one address within `burstMinutes` that make a password
   * spray; it scales the wider groups' thresholds too (core/alerts/spray-groups.ts).
   */
  sprayUsers: number;
  /** Days of sign-in history a login is judged against (the weekly report's 30). */
  historyDays: number;
  /** History sign-ins a user needs before an unusual hour, a new country or a new network owner counts (the weekly report's 10). */
  minHistoryLogins: number;
  /** Fastest plausible journey between two sign-ins, km/h (impossible travel; the weekly report's 1000). */
  maxSpeedKmh: number;
  /** IANA zone of "hour of day" and of the times in the message: the weekly report's zone. */
  timeZone: string;
  /** Alerts about events older than this are archived and summarised, not mailed one by one. */
  mailOlderThanHours: number;
  /** Last evaluated hours looked at again, evaluated again when their content changed (late events). */
  recheckHours: number;
  /** Most hours one run evaluates (a first run over a long backfill continues in the next run). */
  maxHoursPerRun: number;
  /**
   * Distinct objects one user exports within 60 minutes that make a bulk export; 0 (the default)
   * turns the `bulk_export` alert off, and the run then reads no export from the lake.
   */
  exportBurst: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  burstFailures: 5,
  burstMinutes: 10,
  failuresBeforeLogin: 4,
  sprayUsers: 10,
  historyDays: 30,
  minHistoryLogins: 10,
  maxSpeedKmh: 1000,
  timeZone: 'UTC',
  mailOlderThanHours: 24,
  recheckHours: 3,
  maxHoursPerRun: 24 * 100,
  exportBurst: 0,
};

/**
 * The least `exportBurst` that turns the alert on: fewer distinct objects an hour is what an
 * analyst's ordinary pull makes, and would teach the readers to skip the mail.
 */
export const EXPORT_BURST_MIN = 5;

/** Each numeric setting's [min, max, meaning]; the CLI checks its flags against them so errors name the flag. */
export const ALERT_SETTING_LIMITS: Record<
  Exclude<keyof AlertSettings, 'timeZone'>,
  [number, number, string]
> = {
  burstFailures: [2, 1000, 'failed logins of one user that make a burst'],
  burstMinutes: [1, 30, 'minutes a burst of failed logins spans'],
  failuresBeforeLogin: [
    2,
    1000,
    'failed logins of one user in the hour before a sign-in that make it an alert',
  ],
  sprayUsers: [2, 1000, 'users failing to sign in from one address that make a password spray'],
  historyDays: [1, 90, 'days of sign-in history a login is judged against'],
  minHistoryLogins: [
    1,
    10_000,
    'history sign-ins before an unusual hour, a new country or a new network owner counts',
  ],
  maxSpeedKmh: [100, 20_000, 'fastest plausible journey between two sign-ins, km/h'],
  mailOlderThanHours: [1, 24 * 366, 'hours after which alerts are summarised instead of listed'],
  recheckHours: [0, 24 * 7, 'recent hours evaluated again when late events arrive'],
  maxHoursPerRun: [1, 24 * 400, 'hours one run evaluates at most'],
  // 0 is off, and 1 to 4 are refused beside the range (validateAlertSettings).
  exportBurst: [0, 1000, 'objects one user exports within 60 minutes that make a bulk export, 0 for off'],
};

/** Why `exportBurst` of 1 to 4 is refused, or undefined when the value is one the range allows. */
export const exportBurstProblem = (value: number): string | undefined =>
  value > 0 && value < EXPORT_BURST_MIN
    ? `it must be 0 (off) or from ${EXPORT_BURST_MIN} to 1000: fewer objects an hour is an ordinary pull, and would alert every day`
    : undefined;

/** Returns complete settings (defaults filled in) or throws naming the setting and the fix. */
export function validateAlertSettings(partial: Partial<AlertSettings> = {}): AlertSettings {
  const settings = { ...DEFAULT_ALERT_SETTINGS, ...partial };
  for (const [name, [min, max, what]] of Object.entries(ALERT_SETTING_LIMITS)) {
    const value = settings[name as keyof typeof ALERT_SETTING_LIMITS];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(
        `alert setting ${name} is ${value}: it must be a whole number from ${min} to ${max} (${what})`,
      );
    }
  }
  const exportProblem = exportBurstProblem(settings.exportBurst);
  if (exportProblem !== undefined)
    throw new RangeError(`alert setting exportBurst is ${settings.exportBurst}: ${exportProblem}`);
  assertTimeZone(settings.timeZone);
  return settings;
}
