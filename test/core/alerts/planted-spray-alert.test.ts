/**
 * The simulator's password spray, end to end on the in-memory store: ingested on the schedule's
 * terms, then one scheduled alerts run with the default settings raises one `password_spray`
 * alert for it (what `npm run demo` and `simulate` + `ingest` + `alerts` show), and no
 * failed-login burst for any account it tried. One account it tried signs in from its address
 * two minutes after it (added here: the simulator plants no such sign-in), which the run raises as
 * `login_after_spray`, read through the lake as every kind is.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import {
  LOGIN_ACTIONS,
  type PasswordSprayPattern,
  type SimEvent,
} from '../../../functions/simulator/index.ts';
import {
  type MemoryLake,
  memoryLake,
  memoryLakeAlertsRun,
  RecordingChannel,
} from './support/alert-fixtures.ts';

// Two weeks and a day of a 20-user company; the simulator plants its patterns in 2026-10-26..11-02.
const FROM = Date.parse('2026-10-19T00:00:00Z');
const TO = Date.parse('2026-11-03T00:00:00Z');

let lake: MemoryLake;
let spray: PasswordSprayPattern;
let raised: Alert[];
let taken: SimEvent | undefined;

/** The spray's last failure, as a sign-in two minutes later: the account it took. */
function signInAfterSpray(events: readonly SimEvent[], planted: readonly { kind: string }[]): SimEvent[] {
  const found = planted.find((p) => p.kind === 'password_spray') as PasswordSprayPattern | undefined;
  const last = events.find(
    (e) => e.timeMs === found?.timeMs && e.entry.actionType === LOGIN_ACTIONS.loginFailed.actionType,
  );
  if (last === undefined) return [];
  taken = { timeMs: last.timeMs + 2 * 60_000, entry: { ...last.entry, ...LOGIN_ACTIONS.login } };
  return [taken];
}

beforeAll(async () => {
  lake = memoryLake({ seed: 20261204, fromMs: FROM, toMs: TO, users: 20, more: signInAfterSpray });
  spray = lake.planted.find((p) => p.kind === 'password_spray') as PasswordSprayPattern;
  await lake.ingest(TO + 15 * 60_000);
  raised = (await memoryLakeAlertsRun(lake.store, TO + 20 * 60_000, new RecordingChannel())).raised;
}, 60_000);

describe("the simulator's password spray", () => {
  it('raises one password_spray alert, from its address, within its minutes', () => {
    expect(spray).toBeDefined();
    const sprays = raised.filter((a) => a.kind === 'password_spray');
    expect(sprays).toHaveLength(1);
    const [alert] = sprays as [Alert];
    expect(alert.ip_address).toBe(spray.evidence.ipAddress);
    expect(alert.user_id).toBeNull();
    expect(alert.event_time_ms).toBeGreaterThanOrEqual(spray.evidence.firstFailureMs);
    expect(alert.event_time_ms).toBeLessThanOrEqual(spray.timeMs);
    // Raised by the failure that brings the distinct users up to the default threshold of 10.
    expect(alert.evidence).toMatch(/^failed logins of 10 users \(\d+ failures\) within 10 minutes /);
  });

  it('raises no failed-login burst or lockout for the accounts it tried: each failed once or twice', () => {
    const tried = new Set(spray.evidence.userIds);
    const others = raised.filter(
      (a) => (a.kind === 'failed_login_burst' || a.kind === 'lockout') && tried.has(a.user_id as string),
    );
    expect(others).toEqual([]);
  });
});

describe("a sign-in from the spray's address after it", () => {
  it('raises one login_after_spray for the account, naming the spray', () => {
    expect(taken).toBeDefined();
    const after = raised.filter((a) => a.kind === 'login_after_spray');
    expect(after).toHaveLength(1);
    const [alert] = after as [Alert];
    expect(alert.ip_address).toBe(spray.evidence.ipAddress);
    expect(alert.event_time_ms).toBe(taken?.timeMs);
    expect(alert.evidence).toMatch(
      / after that IP failed for \d+ users \(\d+ failures\) in the hour before \(.*\), a password spray; \d+ of those failures (was|were) this user's$/,
    );
  });
});
