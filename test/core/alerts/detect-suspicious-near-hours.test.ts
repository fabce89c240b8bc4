/**
 * Which history sign-ins are "near" a sign-in's local hour, as suspicious_logins.sql counts them:
 * the whole local hours from 2 before its own to 2 after, across midnight, which the evidence
 * names; and the 5% boundary itself (`logins_near * 20 <= history_logins`) is unusual.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbEngine } from '../../../functions/adapters/duckdb-engine.ts';
import { detectSuspiciousLogins } from '../../../functions/core/alerts/detect-suspicious-logins.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { standardParams } from '../../../functions/core/queries/query-params.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { inItsHour, writeFixtureLake } from '../../queries/support/lake-fixture.ts';
import { historyProfile, record, settings } from './support/alert-fixtures.ts';

const MIN = 60_000;
const DAY = Date.parse('2026-11-18T00:00:00Z');
const comcast = { ip_address: '73.0.0.7', ip_country: 'US', ip_asn: 7922 } as const;
const signIn = (ms: number): EventRecord => record({ event_time_ms: ms, category: 'login', ...comcast });

/** 20 history sign-ins of u1, one a day on the 20 days before `DAY`, at `hour`:05 UTC. */
const dailyAt = (hour: number): EventRecord[] =>
  Array.from({ length: 20 }, (_, i) => signIn(DAY - (i + 1) * DAY_MS + hour * HOUR_MS + 5 * MIN));

/** The unusual-hour evidence raised for one sign-in at `ms`, judged against `history`. */
function unusual(history: readonly EventRecord[], ms: number): string[] {
  const fromMs = Math.floor(ms / HOUR_MS) * HOUR_MS;
  const alerts = detectSuspiciousLogins({
    instance: 'acme',
    fromMs,
    toMs: fromMs + HOUR_MS,
    events: [signIn(ms)],
    before: [],
    profile: historyProfile(history, fromMs, 'UTC'),
    settings: settings(),
  });
  return alerts.filter((a) => a.kind === 'unusual_hour').map((a) => a.evidence);
}

describe('suspicious logins: the hours near a sign-in', () => {
  it('2 hours before the usual hour is as near as 2 hours after', () => {
    const history = dailyAt(10);
    expect(unusual(history, DAY + 8 * HOUR_MS + 30 * MIN)).toEqual([]);
    expect(unusual(history, DAY + 12 * HOUR_MS + 30 * MIN)).toEqual([]);
    // 3 hours either side is no longer near.
    expect(unusual(history, DAY + 7 * HOUR_MS + 30 * MIN)).toHaveLength(1);
    expect(unusual(history, DAY + 13 * HOUR_MS + 30 * MIN)).toHaveLength(1);
  });

  it('the clock wraps at midnight: 23:xx is near 00:30, and 00:xx is near 22:30', () => {
    expect(unusual(dailyAt(23), DAY + 30 * MIN)).toEqual([]);
    expect(unusual(dailyAt(23), DAY + HOUR_MS + 30 * MIN)).toEqual([]);
    expect(unusual(dailyAt(0), DAY + 22 * HOUR_MS + 30 * MIN)).toEqual([]);
    expect(unusual(dailyAt(0), DAY + 21 * HOUR_MS + 30 * MIN)).toHaveLength(1);
  });

  it('exactly 5% of the history near the hour is still unusual (1 of 20), more is not', () => {
    const oneNear = [...dailyAt(10).slice(1), signIn(DAY - 3 * DAY_MS + 14 * HOUR_MS + 5 * MIN)];
    expect(unusual(oneNear, DAY + 14 * HOUR_MS + 30 * MIN)).toEqual([
      'login at 14:30 UTC; 1 of 20 logins in 20 days of history was in the hours 12:00 to 16:59',
    ]);
    const twoNear = [...oneNear.slice(1), signIn(DAY - 2 * DAY_MS + 15 * HOUR_MS + 5 * MIN)];
    expect(unusual(twoNear, DAY + 14 * HOUR_MS + 30 * MIN)).toEqual([]);
  });

  it('names the whole hours it counts, not "within 2 hours": 17:02 is near 19:35, 2 h 33 min away', () => {
    // Review R-QUERIES, LOW 1: two history sign-ins at 17:02 and 17:36 count for one at 19:35.
    const history = [
      ...dailyAt(10),
      ...dailyAt(11),
      signIn(DAY - 3 * DAY_MS + 17 * HOUR_MS + 2 * MIN),
      signIn(DAY - 2 * DAY_MS + 17 * HOUR_MS + 36 * MIN),
    ];
    expect(unusual(history, DAY + 19 * HOUR_MS + 35 * MIN)).toEqual([
      'login at 19:35 UTC; 2 of 42 logins in 20 days of history were in the hours 17:00 to 21:59',
    ]);
    // Across midnight the hours wrap.
    expect(unusual(dailyAt(10), DAY + 40 * MIN)).toEqual([
      'login at 00:40 UTC; 0 of 20 logins in 19 days of history were in the hours 22:00 to 02:59',
    ]);
  });

  it('the report query words both the same (DuckDB)', async () => {
    const history = [...dailyAt(10), ...dailyAt(11), signIn(DAY - 3 * DAY_MS + 17 * HOUR_MS + 2 * MIN)];
    const late = DAY + 19 * HOUR_MS + 35 * MIN;
    const dir = await mkdtemp(join(tmpdir(), 'near-hours-'));
    const stored = [...history, signIn(late), signIn(DAY + DAY_MS + 40 * MIN)].map(inItsHour);
    await writeFixtureLake(dir, { events: stored });
    const engine = await openDuckDbEngine({ lakeDir: dir });
    try {
      const params = standardParams({ instance: 'default', fromMs: DAY, toMs: DAY + 2 * DAY_MS });
      const rows = (await engine.run('suspicious_logins', params)).rows;
      expect(rows.filter((r) => r.reason === 'unusual_hour').map((r) => r.evidence)).toEqual([
        // The sign-in at 17:02 of the history is counted, 2 h 33 min before the 19:35 one.
        'login at 19:35 UTC; 1 of 41 logins in 19 days of history was in the hours 17:00 to 21:59',
        'login at 00:40 UTC; 0 of 41 logins in 19 days of history were in the hours 22:00 to 02:59',
      ]);
    } finally {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
