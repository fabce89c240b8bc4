/**
 * A failed-login burst's evidence names its span on the wall clock of the alerts' zone: across the
 * hour the clocks go back that read backwards (01:56-01:02), and across the hour they skip, as 66
 * minutes for 6. Then each end shows its offset; any other span shows the one both ends share.
 */
import { describe, expect, it } from 'vitest';
import { detectAlerts } from '../../../functions/core/alerts/detect-hour.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { record, settings } from './support/alert-fixtures.ts';

const MIN = 60_000;

/** The evidence of the burst of failures at `minutes` from the hour `hourMs`, read in `timeZone`. */
function burstEvidence(hourMs: number, minutes: readonly number[], timeZone: string): string[] {
  const failures = minutes.map((m) => record({ event_time_ms: hourMs + m * MIN, category: 'login_failed' }));
  return detectAlerts({
    instance: 'acme',
    fromMs: hourMs,
    toMs: hourMs + HOUR_MS,
    events: failures.filter((f) => f.event_time_ms >= hourMs),
    before: failures.filter((f) => f.event_time_ms < hourMs),
    profile: new LoginProfile('acme', timeZone),
    settings: settings({ timeZone }),
  }).map((a) => a.evidence);
}

describe('failed-login burst evidence across a clock change', () => {
  it('shows each end with its offset across the hour clocks go back, instead of 01:56-01:02', () => {
    // 05:56Z-06:02Z on 2026-11-01: 01:56 EDT, then 01:00 EST again at 06:00Z.
    expect(burstEvidence(Date.parse('2026-11-01T06:00:00Z'), [-4, -3, -2, 1, 2], 'America/New_York')).toEqual(
      ['5 failed logins within 10 minutes (01:56 -04:00 to 01:02 -05:00 America/New_York) from IP 10.0.0.5'],
    );
  });

  it('and across the hour they skip, and at a half-hour change (Lord Howe)', () => {
    // 06:56Z-07:02Z on 2026-03-08: 01:56 EST, then 03:02 EDT, 6 minutes later.
    expect(burstEvidence(Date.parse('2026-03-08T07:00:00Z'), [-4, -3, -2, 1, 2], 'America/New_York')).toEqual(
      ['5 failed logins within 10 minutes (01:56 -05:00 to 03:02 -04:00 America/New_York) from IP 10.0.0.5'],
    );
    // Lord Howe goes back half an hour at 02:00 +11:00 (15:00Z) on 2026-04-05.
    expect(
      burstEvidence(Date.parse('2026-04-04T15:00:00Z'), [-4, -3, -2, 1, 2], 'Australia/Lord_Howe'),
    ).toEqual([
      '5 failed logins within 10 minutes (01:56 +11:00 to 01:32 +10:30 Australia/Lord_Howe) from IP 10.0.0.5',
    ]);
  });

  it('gives the offset once when both ends share it, and none in UTC', () => {
    const hour = Date.parse('2026-11-01T07:00:00Z');
    expect(burstEvidence(hour, [-4, -3, -2, 1, 2], 'America/New_York')).toEqual([
      '5 failed logins within 10 minutes (01:56 to 02:02 -05:00 America/New_York) from IP 10.0.0.5',
    ]);
    expect(burstEvidence(Date.parse('2026-11-01T06:00:00Z'), [-4, -3, -2, 1, 2], 'UTC')).toEqual([
      '5 failed logins within 10 minutes (05:56 to 06:02 UTC) from IP 10.0.0.5',
    ]);
  });
});
