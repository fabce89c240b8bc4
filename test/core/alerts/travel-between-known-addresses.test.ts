/**
 * A user switching between two addresses of their placed history (home and a VPN's exit in another
 * country) makes no impossible journey: until 2026-12-06 it raised `impossible_travel` twice a day,
 * 28 alerts in 14 days, though new_country and new_network already took both addresses as known
 * (review R-ONCALL M3). The detector and suspicious_logins.sql judge it alike.
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
const H = DAY + 14 * HOUR_MS;
type Place = Pick<EventRecord, 'ip_address' | 'ip_country' | 'ip_asn' | 'ip_org'>;
const home: Place = { ip_address: '73.1.2.3', ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast' };
const vpn: Place = { ip_address: '106.49.32.5', ip_country: 'GB', ip_asn: 9009, ip_org: 'M247' };
const signIn = (ms: number, place: Place): EventRecord =>
  record({ event_time_ms: ms, category: 'login', ...place });

/** 20 days of home at 14:05 and 19:05 UTC and the VPN at 14:25, before `DAY`. */
const history: EventRecord[] = Array.from({ length: 20 }, (_, i) => {
  const day = DAY - (i + 1) * DAY_MS;
  return [
    signIn(day + 14 * HOUR_MS + 5 * MIN, home),
    signIn(day + 14 * HOUR_MS + 25 * MIN, vpn),
    signIn(day + 19 * HOUR_MS + 5 * MIN, home),
  ];
}).flat();

/** The impossible journeys the detector raises in the hour from `H` for `today`'s sign-ins. */
function journeys(today: readonly EventRecord[]): string[] {
  return detectSuspiciousLogins({
    instance: 'default',
    fromMs: H,
    toMs: H + HOUR_MS,
    events: today,
    before: [],
    profile: historyProfile(history, H, 'UTC'),
    settings: settings(),
  })
    .filter((a) => a.kind === 'impossible_travel')
    .map((a) => a.evidence);
}

/** The same, by suspicious_logins over the same hour on DuckDB. */
async function sqlJourneys(today: readonly EventRecord[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'known-travel-'));
  const stored = [...history, ...today].map(inItsHour);
  await writeFixtureLake(dir, { events: stored });
  const engine = await openDuckDbEngine({ lakeDir: dir });
  try {
    const params = standardParams({ instance: 'default', fromMs: H, toMs: H + HOUR_MS });
    const rows = (await engine.run('suspicious_logins', params)).rows;
    return rows.filter((r) => r.reason === 'impossible_travel').map((r) => String(r.evidence));
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const usual = [signIn(H + 5 * MIN, home), signIn(H + 25 * MIN, vpn)];
// The same switch to an exit address the history never used: a journey as before.
const newExit = [signIn(H + 5 * MIN, home), signIn(H + 25 * MIN, { ...vpn, ip_address: '106.49.32.77' })];
const newExitEvidence = 'US to GB: 6830 km in 20 min; previous login 2026-11-18 14:05 UTC from 73.1.2.3';

describe('impossible travel between addresses of the placed history', () => {
  it('is no journey: home and the VPN, both known, switch without an alert', () => {
    expect(journeys(usual)).toEqual([]);
  });

  it('a new address at either end is still a journey', () => {
    expect(journeys(newExit)).toEqual([newExitEvidence]);
    const fromNewHome = [
      signIn(H + 5 * MIN, { ...home, ip_address: '73.1.2.99' }),
      signIn(H + 25 * MIN, vpn),
    ];
    expect(journeys(fromNewHome)).toEqual([newExitEvidence.replace('73.1.2.3', '73.1.2.99')]);
  });

  it('the report query judges both alike (DuckDB)', async () => {
    expect(await sqlJourneys(usual)).toEqual([]);
    expect(await sqlJourneys(newExit)).toEqual([newExitEvidence]);
  });
});
