/**
 * Suspicious sign-ins, with the definitions of functions/queries/suspicious_logins.sql (a test runs
 * both over one simulated lake and compares): within the evaluated period,
 * - `new_network`: a user's first sign-in from a network (/24, /48) not among the networks of their
 *   sign-ins in the `historyDays` before the period, when they have at least one known network;
 * - `unusual_hour`: a sign-in when at most 5% of the user's history sign-ins (at least
 *   `minHistoryLogins` of them) fell within 2 hours of its local hour (circular).
 * Sign-ins are `login` events with a user id. The evidence strings are the query's, word for word.
 */
import { DAY_MS, lakeTimestamp } from '../lake/layout.ts';
import { wallTime } from '../zoned-time.ts';
import { type Alert, alertId } from './alert.ts';
import { byTime, type DetectionInput, inPeriod } from './detection.ts';
import { networkOf } from './ip-network.ts';
import type { UserHistory } from './login-profile.ts';

const NEAR_HOURS = 2;
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** History sign-ins within {@link NEAR_HOURS} of `localHour` on the clock. */
function loginsNear(history: UserHistory, localHour: number): number {
  let near = 0;
  for (let offset = -NEAR_HOURS; offset <= NEAR_HOURS; offset++) {
    near += history.atLocalHour[(localHour + offset + 24) % 24] ?? 0;
  }
  return near;
}

export function detectSuspiciousLogins(input: DetectionInput): Alert[] {
  const { instance, fromMs, profile, settings } = input;
  const days = settings.historyDays;
  const historyFromMs = fromMs - settings.historyDays * DAY_MS;
  const histories = new Map<string, UserHistory>();
  const historyOf = (user: string): UserHistory => {
    const known = histories.get(user) ?? profile.history(user, historyFromMs, fromMs);
    histories.set(user, known);
    return known;
  };
  const reported = new Set<string>();
  const alerts: Alert[] = [];
  const logins = input.events
    .filter((e) => e.category === 'login' && e.user_id !== null && inPeriod(e, input))
    .sort(byTime);
  for (const login of logins) {
    const user = login.user_id as string;
    const history = historyOf(user);
    const base = {
      instance,
      user_id: user,
      user_name: login.user_name,
      event_time: lakeTimestamp(login.event_time_ms),
      event_time_ms: login.event_time_ms,
      ip_address: login.ip_address,
      event_ids: [login.event_id],
    };
    const network = networkOf(login.ip_address);
    const firstFromNetwork = network !== null && !reported.has(`${user}\n${network}`);
    if (firstFromNetwork && history.networks.size > 0 && !history.networks.has(network)) {
      reported.add(`${user}\n${network}`);
      const known = history.networks.size;
      alerts.push({
        ...base,
        id: alertId(instance, 'new_network', base.event_ids),
        kind: 'new_network',
        evidence: `network ${network} not used in the previous ${days} days (${known} network${known === 1 ? '' : 's'} known)`,
      });
    }
    const local = wallTime(login.event_time_ms, settings.timeZone);
    const near = loginsNear(history, local.hour);
    if (history.logins >= settings.minHistoryLogins && near * 20 <= history.logins) {
      alerts.push({
        ...base,
        id: alertId(instance, 'unusual_hour', base.event_ids),
        kind: 'unusual_hour',
        evidence: `login at ${pad2(local.hour)}:${pad2(local.minute)} ${settings.timeZone}; ${near} of ${history.logins} logins in the previous ${days} days were within 2 hours of this time of day`,
      });
    }
  }
  return alerts;
}
