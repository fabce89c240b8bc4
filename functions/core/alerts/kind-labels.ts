/**
 * The kinds as a message names them, singular and plural, and a count of alerts by kind in those
 * words (`2 lockouts, 1 password spray`).
 */
import type { Alert, AlertKind } from './alert.ts';
import type { FoldedAlerts } from './alert-checkpoint.ts';

export const KIND_LABELS: Record<AlertKind, [string, string]> = {
  lockout: ['lockout', 'lockouts'],
  failed_login_burst: ['failed-login burst', 'failed-login bursts'],
  password_spray: ['password spray', 'password sprays'],
  login_after_failures: ['login after failed logins', 'logins after failed logins'],
  login_after_spray: ['login from a spraying address', 'logins from a spraying address'],
  impossible_travel: ['login after impossible travel', 'logins after impossible travel'],
  new_country: ['login from a new country', 'logins from a new country'],
  new_network: ['login from a new network owner', 'logins from a new network owner'],
  unusual_hour: ['login at an unusual hour', 'logins at an unusual hour'],
  privileged_change: ['privileged change', 'privileged changes'],
  bulk_export: ['bulk export', 'bulk exports'],
  activity_after_deactivation: ['activity after deactivation', 'activities after deactivation'],
};

export function countByKind(alerts: readonly Alert[], folded?: FoldedAlerts): string {
  const counts = new Map<AlertKind, number>();
  for (const alert of alerts) counts.set(alert.kind, (counts.get(alert.kind) ?? 0) + 1);
  for (const [kind, n] of Object.entries(folded?.kinds ?? {}) as [AlertKind, number][]) {
    counts.set(kind, (counts.get(kind) ?? 0) + n);
  }
  return [...counts].map(([kind, n]) => `${n} ${KIND_LABELS[kind][n === 1 ? 0 : 1]}`).join(', ');
}
