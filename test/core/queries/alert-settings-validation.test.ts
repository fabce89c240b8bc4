import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ALERT_SETTINGS,
  validateAlertSettings,
} from '../../../functions/core/queries/alert-settings.ts';

describe('validateAlertSettings', () => {
  it('fills in the defaults', () => {
    expect(validateAlertSettings()).toEqual(DEFAULT_ALERT_SETTINGS);
    expect(validateAlertSettings({ timeZone: 'America/Denver', recheckHours: 0 })).toMatchObject({
      timeZone: 'America/Denver',
      recheckHours: 0,
    });
  });

  it('refuses a setting that is not a whole number, naming it and the range', () => {
    expect(() => validateAlertSettings({ burstMinutes: 2.5 })).toThrow(
      'alert setting burstMinutes is 2.5: it must be a whole number from 1 to 30 (minutes a burst of failed logins spans)',
    );
    expect(() => validateAlertSettings({ historyDays: Number.NaN })).toThrow(
      /historyDays is NaN: it must be a whole number/,
    );
  });

  it('refuses a setting out of its range', () => {
    expect(() => validateAlertSettings({ burstMinutes: 31 })).toThrow(/burstMinutes is 31/);
    expect(() => validateAlertSettings({ burstFailures: 1 })).toThrow(/burstFailures is 1/);
  });

  it('refuses a time zone that is not an IANA zone name', () => {
    expect(() => validateAlertSettings({ timeZone: 'Mars/Olympus_Mons' })).toThrow(
      'time zone "Mars/Olympus_Mons" is not a known IANA zone name',
    );
  });
});
