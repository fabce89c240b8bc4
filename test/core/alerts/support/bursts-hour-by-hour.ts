import type { Alert } from '../../../../functions/core/alerts/alert.ts';
import { detectFailedLoginBursts } from '../../../../functions/core/alerts/detect-failed-logins.ts';
import { LoginProfile } from '../../../../functions/core/alerts/login-profile.ts';
import type { EventRecord } from '../../../../functions/core/lake/event-record.ts';
import { HOUR_MS } from '../../../../functions/core/lake/layout.ts';
import { record, settings } from './alert-fixtures.ts';

/** A failed login of the fixtures' user at `ms`, from `ip`. */
export const failure = (ms: number, ip: string | null) =>
  record({ event_time_ms: ms, category: 'login_failed', ip_address: ip });

/**
 * The bursts each hour from `from` to `to` raises (`n` failures in 10 minutes), evaluated one hour
 * at a time as the alerts run does: each hour with the hour before it as what came before.
 */
export function burstsHourByHour(failures: readonly EventRecord[], from: number, to: number, n = 5): Alert[] {
  const inHour = (hour: number) =>
    failures.filter((f) => f.event_time_ms >= hour && f.event_time_ms < hour + HOUR_MS);
  const alerts: Alert[] = [];
  for (let hour = from; hour < to; hour += HOUR_MS) {
    alerts.push(
      ...detectFailedLoginBursts({
        instance: 'acme',
        fromMs: hour,
        toMs: hour + HOUR_MS,
        events: inHour(hour),
        before: inHour(hour - HOUR_MS),
        profile: new LoginProfile('acme', 'UTC'),
        settings: settings({ burstFailures: n, burstMinutes: 10 }),
      }),
    );
  }
  return alerts;
}

/** The alerts' times of day, `hh:mm:ss`. */
export const clock = (alerts: readonly Alert[]) => alerts.map((a) => a.event_time.slice(11, 19));
