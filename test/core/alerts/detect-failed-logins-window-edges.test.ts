/**
 * The edges of the failed-login windows: a burst counts the failures in (t - burstMinutes, t], a
 * lockout's evidence those in (t - 1 hour, t]; and failures without a user id are one user per
 * name they carry (as failed_logins_and_lockouts.sql groups them), never one nameless crowd.
 */
import { describe, expect, it } from 'vitest';
import {
  detectFailedLoginBursts,
  detectLockouts,
} from '../../../functions/core/alerts/detect-failed-logins.ts';
import type { DetectionInput } from '../../../functions/core/alerts/detection.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { record, settings } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-18T14:00:00Z');
const MIN = 60_000;

const input = (events: EventRecord[], before: EventRecord[] = []): DetectionInput => ({
  instance: 'acme',
  fromMs: H,
  toMs: H + HOUR_MS,
  events,
  before,
  profile: new LoginProfile('acme', 'UTC'),
  settings: settings({ burstFailures: 5, burstMinutes: 10 }),
});
const failure = (ms: number, fields: Partial<EventRecord> = {}) =>
  record({ event_time_ms: ms, category: 'login_failed', ...fields });

describe('failed-login bursts: the window edge', () => {
  it('a failure exactly burstMinutes before the 5th is outside its window', () => {
    const four = [0, 1, 2, 3].map((i) => failure(H + i * MIN));
    expect(detectFailedLoginBursts(input([...four, failure(H + 10 * MIN)]))).toEqual([]);
    expect(detectFailedLoginBursts(input([...four, failure(H + 10 * MIN - 1)]))).toHaveLength(1);
  });

  it('failures without a user id from two names are two users, neither in a burst', () => {
    const nameless = [0, 1, 2].flatMap((i) => [
      failure(H + i * MIN, { user_id: null, user_name: 'alice' }),
      failure(H + i * MIN + 1000, { user_id: null, user_name: 'bob' }),
    ]);
    expect(detectFailedLoginBursts(input(nameless))).toEqual([]);
  });
});

describe('lockout evidence: the hour before, its edges', () => {
  it('counts a failure at the lockout’s very millisecond, not one exactly an hour before', () => {
    const at = H + 3 * MIN;
    const before = [
      failure(at - HOUR_MS, { ip_address: '203.0.113.1' }),
      failure(at - HOUR_MS + 1, { ip_address: '203.0.113.2' }),
    ];
    const events = [
      failure(at, { ip_address: '203.0.113.3' }),
      record({ event_time_ms: at, category: 'lockout' }),
    ];
    expect(detectLockouts(input(events, before)).map((a) => a.evidence)).toEqual([
      'locked out after 2 failed logins in the hour before, from 2 IPs 203.0.113.2, 203.0.113.3',
    ]);
  });
});
