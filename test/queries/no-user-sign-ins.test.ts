/**
 * A sign-in under a user id of "", white space or 0 names no one: suspicious_logins leaves it out
 * (as the alerts do, user-id.ts), so login_history must not count it as a user, and data_health
 * must count it among the sign-ins no check judged (logins_without_user), or it is counted nowhere.
 */
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { dataHealth, loginHistory, standardSuspiciousOptions } from './support/expected-answers.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { login, manifest } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-10-26T00:00:00Z');
const period = { instance: 'default', fromMs: FROM, toMs: FROM + 7 * DAY_MS };
const coverage = [manifest('2026-10-26 09:00')];

// Ids naming no user: none, empty, ASCII white space, 0 alone or within it.
const noOne = [null, '', ' ', '\t', '0', ' 0 ', '\n0\r'];
// Ids naming a user, however odd: only "" and 0 are Domo's none.
const someone = ['7', '00', '-1', 'null', '0 0'];
const events: EventRecord[] = [...noOne, ...someone].flatMap((id, i) => [
  // One in the period and one in its history, each from a placed address.
  login(`2026-10-27 ${String(i).padStart(2, '0')}:00`, 'login', { user_id: id, ip_country: 'US' }),
  login(`2026-10-20 ${String(i).padStart(2, '0')}:00`, 'login', { user_id: id, ip_country: 'US' }),
]);

const lake = useFixtureEngine('no-user-sign-ins-', { events, coverage });

describe('sign-ins naming no user', () => {
  it('data_health counts them all in logins_without_user, not only a null id', async () => {
    const { rows } = await lake.engine.run('data_health', standardParams(period));
    expect(rows[0]).toMatchObject({ logins: 12, logins_without_user: noOne.length });
    expect(rows).toEqual(dataHealth(events, coverage, period));
  });

  it('login_history counts no user for them, as suspicious_logins judges none', async () => {
    const { rows } = await lake.engine.run('login_history', standardParams(period));
    expect(rows).toEqual([{ users: someone.length, short_history_users: 5, short_placed_history_users: 5 }]);
    expect(rows).toEqual(loginHistory(events, period, standardSuspiciousOptions(FROM)));
  });
});
