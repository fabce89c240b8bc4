import type { Alert } from '../../../../functions/core/alerts/alert.ts';
import { detectFailedLoginBursts } from '../../../../functions/core/alerts/detect-failed-logins.ts';
import { LoginProfile } from '../../../../functions/core/alerts/login-profile.ts';
import type { RaisedBursts } from '../../../../functions/core/alerts/raised-burst.ts';
import { recordRaisedBursts } from '../../../../functions/core/alerts/raised-bursts.ts';
import type { EventRecord } from '../../../../functions/core/lake/event-record.ts';
import { HOUR_MS } from '../../../../functions/core/time-units.ts';
import { record, settings } from './alert-fixtures.ts';

/** A failed login of the fixtures' user at `ms`, from `ip`. */
export const failure = (ms: number, ip: string | null) =>
  record({ event_time_ms: ms, category: 'login_failed', ip_address: ip });

/**
 * The bursts each hour from `from` to `to` raises (`n` failures in 10 minutes), evaluated one hour
 * at a time as the alerts run does: each hour with the hour before it as what came before. With
 * `raised`, each hour also gets the bursts raised so far and adds its own, as the alerts checkpoint
 * carries them from run to run.
 */
export function burstsHourByHour(
  failures: readonly EventRecord[],
  from: number,
  to: number,
  n = 5,
  raised?: RaisedBursts,
): Alert[] {
  const inHour = (hour: number) =>
    failures.filter((f) => f.event_time_ms >= hour && f.event_time_ms < hour + HOUR_MS);
  const alerts: Alert[] = [];
  for (let hour = from; hour < to; hour += HOUR_MS) {
    const [events, before] = [inHour(hour), inHour(hour - HOUR_MS)];
    const found = detectFailedLoginBursts({
      instance: 'acme',
      fromMs: hour,
      toMs: hour + HOUR_MS,
      events,
      before,
      profile: new LoginProfile('acme', 'UTC'),
      settings: settings({ burstFailures: n, burstMinutes: 10 }),
      ...(raised ? { raisedBursts: raised } : {}),
    });
    if (raised) recordRaisedBursts(raised, found, [...before, ...events]);
    alerts.push(...found);
  }
  return alerts;
}

/** The alerts' times of day, `hh:mm:ss`. */
export const clock = (alerts: readonly Alert[]) => alerts.map((a) => a.event_time.slice(11, 19));
