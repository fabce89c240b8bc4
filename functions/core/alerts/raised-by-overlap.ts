/**
 * Sprays and bursts an overlapping alerts run took in after this run read the checkpoint. The
 * detectors hold back a spray or burst already raised (a late failure moved its raising failure,
 * so its id) by the records of the checkpoint the run read at its start; a run that overlapped
 * this one, reading the hour before or after a re-pull stored a late failure, took in the same
 * attack under another id, and each run sent it (review R-ALERTS2, the spray overlap race). The
 * conditional checkpoint write re-reads the checkpoint: the records in it that the starting one
 * did not hold are another run's, and an alert of this run within one window of such a record
 * is that attack.
 */
import type { Alert } from './alert.ts';
import type { AlertCheckpoint } from './alert-checkpoint.ts';
import { userKey } from './detection.ts';
import { addressKey } from './ip-network.ts';
import type { RaisedBurst } from './raised-burst.ts';

const MINUTE_MS = 60_000;

/** The checkpoints an overlap is judged between: the run's starting one, the one written since. */
export interface OverlapView {
  start: Pick<AlertCheckpoint, 'sprays' | 'bursts'>;
  current: Pick<AlertCheckpoint, 'sprays' | 'bursts'>;
  /** `burstMinutes`, in milliseconds: how far apart two raises of one attack can be. */
  spanMs: number;
}

/** Whether `spray` is one an overlapping run recorded: the same address, raised within a window. */
function sprayTaken(view: OverlapView, spray: Alert): boolean {
  const key = addressKey(spray.ip_address);
  if (key === null || key === '') return false;
  const had = view.start.sprays[key] ?? [];
  return (view.current.sprays[key] ?? []).some(
    (at) => !had.includes(at) && Math.abs(at - spray.event_time_ms) <= view.spanMs,
  );
}

/**
 * Whether `burst` (its record `mine`) is one an overlapping run recorded: the same user, raised
 * within a window, its addresses all named there (one that brings an address the other did not
 * name is a second attack, sent as the detector sends it).
 */
function burstTaken(view: OverlapView, burst: Alert, mine: RaisedBurst | undefined): boolean {
  const user = userKey(burst);
  const had = new Set((view.start.bursts[user] ?? []).map(([at]) => at));
  const [, ...ips] = mine ?? [burst.event_time_ms, burst.ip_address];
  return (view.current.bursts[user] ?? []).some(([at, ...named]) => {
    if (had.has(at) || Math.abs(at - burst.event_time_ms) > view.spanMs) return false;
    return ips.every((ip) => named.includes(ip));
  });
}

/**
 * The alerts of `alerts` that are not a spray or burst an overlapping run took in since the run
 * read the checkpoint ({@link OverlapView}); `bursts` holds this run's burst records by alert id.
 */
export function notTakenByOverlap(
  view: OverlapView,
  alerts: readonly Alert[],
  bursts: ReadonlyMap<string, RaisedBurst>,
): Alert[] {
  return alerts.filter((alert) => {
    if (alert.kind === 'password_spray') return !sprayTaken(view, alert);
    if (alert.kind === 'failed_login_burst') return !burstTaken(view, alert, bursts.get(alert.id));
    return true;
  });
}

/** `burstMinutes` in milliseconds, for {@link OverlapView.spanMs}. */
export const overlapSpanMs = (burstMinutes: number): number => burstMinutes * MINUTE_MS;
