/**
 * Alerts from failed sign-ins (the events functions/queries/failed_logins_and_lockouts.sql counts):
 * - `lockout`: every lockout event, with the user's failed logins of the hour before as evidence;
 * - `failed_login_burst`: `burstFailures` failed logins of one user within `burstMinutes`. The alert
 *   is raised by the failure that brings the count in its trailing window up to the threshold; the
 *   next one only once that count has fallen to half the threshold, so a long attack raises one
 *   alert even when its count keeps dipping under the threshold (a slow script with jitter), and a
 *   new burst after a lull raises another. The attack is followed from the hour before the period
 *   (`burstMinutes` is at most 30): one that stays under the threshold but above half of it for
 *   that whole hour may be raised again.
 * Failures without a user id are grouped by the user name they carry, as in the SQL.
 */

import type { EventRecord } from '../lake/event-record.ts';
import { HOUR_MS, lakeTimestamp } from '../lake/layout.ts';
import { type Alert, alertId } from './alert.ts';
import { byTime, type DetectionInput, inPeriod, userKey } from './detection.ts';
import { localHhmm } from './local-time.ts';

const MINUTE_MS = 60_000;

const distinctIps = (events: readonly EventRecord[]): string[] => [
  ...new Set(events.map((e) => e.ip_address).filter((ip): ip is string => ip !== null)),
];

const ipList = (ips: readonly string[]): string =>
  ips.length === 0
    ? 'no recorded IP address'
    : `${ips.length === 1 ? 'IP' : `${ips.length} IPs`} ${ips.join(', ')}`;

function byUser(
  events: readonly EventRecord[],
  category: EventRecord['category'],
): Map<string, EventRecord[]> {
  const groups = new Map<string, EventRecord[]>();
  for (const event of events) {
    if (event.category !== category) continue;
    const group = groups.get(userKey(event)) ?? [];
    group.push(event);
    groups.set(userKey(event), group);
  }
  for (const group of groups.values()) group.sort(byTime);
  return groups;
}

const alertOf = (
  input: DetectionInput,
  kind: Alert['kind'],
  key: EventRecord,
  triggering: readonly EventRecord[],
  evidence: string,
): Alert => {
  const eventIds = triggering.map((e) => e.event_id);
  return {
    id: alertId(input.instance, kind, eventIds),
    instance: input.instance,
    kind,
    user_id: key.user_id,
    user_name: key.user_name,
    event_time: lakeTimestamp(key.event_time_ms),
    event_time_ms: key.event_time_ms,
    evidence,
    ip_address: key.ip_address,
    event_ids: eventIds,
  };
};

export function detectLockouts(input: DetectionInput): Alert[] {
  const failures = byUser([...input.before, ...input.events], 'login_failed');
  const lockouts = input.events.filter((e) => e.category === 'lockout' && inPeriod(e, input)).sort(byTime);
  return lockouts.map((lockout) => {
    const earlier = (failures.get(userKey(lockout)) ?? []).filter(
      (f) => f.event_time_ms <= lockout.event_time_ms && f.event_time_ms > lockout.event_time_ms - HOUR_MS,
    );
    const evidence =
      earlier.length === 0
        ? 'locked out; no failed login of this user in the hour before'
        : `locked out after ${earlier.length} failed login${earlier.length === 1 ? '' : 's'} in the hour before, from ${ipList(distinctIps(earlier))}`;
    return alertOf(input, 'lockout', lockout, [lockout], evidence);
  });
}

export function detectFailedLoginBursts(input: DetectionInput): Alert[] {
  const { burstFailures: n, burstMinutes: minutes, timeZone } = input.settings;
  const span = minutes * MINUTE_MS;
  const alerts: Alert[] = [];
  for (const failures of byUser([...input.before, ...input.events], 'login_failed').values()) {
    // count[i]: failures in (t_i - span, t_i], from a sliding left edge. Armed: no burst raised
    // (or reached before the period) since the window last fell to half the threshold; `n` is at
    // least 2. Half, not empty: a client retrying a stale password every few minutes never leaves
    // the window empty, and must not hide another attack on the same user behind it; a script
    // hovering near the threshold stays above half and remains one alert.
    const rearmAt = Math.max(1, Math.floor(n / 2));
    let left = 0;
    let armed = true;
    failures.forEach((failure, i) => {
      while ((failures[left] as EventRecord).event_time_ms <= failure.event_time_ms - span) left++;
      const count = i - left + 1;
      if (count <= rearmAt) armed = true;
      if (count < n || !armed) return;
      armed = false;
      if (inPeriod(failure, input)) {
        const burst = failures.slice(left, i + 1);
        const first = burst[0] as EventRecord;
        alerts.push(
          alertOf(
            input,
            'failed_login_burst',
            failure,
            burst,
            `${count} failed logins within ${minutes} minutes (${localHhmm(first.event_time_ms, timeZone)}-${localHhmm(failure.event_time_ms, timeZone)} ${timeZone}) from ${ipList(distinctIps(burst))}`,
          ),
        );
      }
    });
  }
  return alerts;
}
