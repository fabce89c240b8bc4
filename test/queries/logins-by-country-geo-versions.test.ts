import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event, login, manifest, withoutGeoColumns } from './support/lake-fixture.ts';

// Addresses move between countries from one geo data release to the next: the report names the
// releases that placed the week's sign-ins, which this column gives per country.
const FROM = Date.parse('2026-10-26T00:00:00Z');
const TO = FROM + 7 * DAY_MS;
const june = 'dbip-country@2.3.2026060120+asn@2.3.2026061719';
const may = 'dbip-country@2.3.2026050120+asn@2.3.2026051719';
const us = (version: string) => ({
  ip_country: 'US',
  ip_asn: 7922,
  ip_org: 'Comcast',
  geo_db_version: version,
});

const events: EventRecord[] = [
  login('2026-10-26 09:00', 'login', { ...us(june), ip_address: '73.1.2.3' }),
  login('2026-10-27 09:00', 'login', { ...us(may), ip_address: '73.1.2.4', user_id: '2' }),
  login('2026-10-27 10:00', 'login', { ...us(june), ip_address: '73.1.2.5', user_id: '3' }),
  login('2026-10-27 11:00', 'login', {
    ip_country: 'DE',
    ip_asn: 3320,
    ip_org: 'Deutsche Telekom AG',
    geo_db_version: june,
    ip_address: '81.2.69.142',
  }),
  // Looked up, no country (a private address): the release still answered it.
  login('2026-10-27 12:00', 'login', { ip_address: '10.0.0.7', geo_db_version: may }),
  // Never looked up: no release to name.
  login('2026-10-28 09:00', 'login', { ip_address: '81.2.69.143' }),
  withoutGeoColumns(login('2026-10-28 10:00', 'login', { ip_address: '81.2.69.144' })) as EventRecord,
  // Not sign-ins of the period: their releases are not the week's.
  event('2026-10-28 11:00', { ...us('other@1'), ip_address: '73.1.2.9' }),
  login('2026-10-28 12:00', 'login_failed', { ...us('failed@1'), ip_address: '73.1.2.9' }),
  login('2026-10-25 09:00', 'login', { ...us('before@1'), ip_address: '73.1.2.9' }),
];

const period = { instance: 'default', fromMs: FROM, toMs: TO };

const lake = useFixtureEngine('geo-versions-', { events, coverage: [manifest('2026-10-26 09:00')] });

describe('logins_by_country: the geo data releases that placed each row', () => {
  it("lists each row's distinct geo_db_versions in name order, only of the period's sign-ins", async () => {
    const { rows } = await lake.engine.run('logins_by_country', standardParams(period));
    expect(rows.map((r) => [r.country, r.logins, r.geo_db_versions])).toEqual([
      ['US', 3, `${may}, ${june}`],
      [null, 3, may],
      ['DE', 1, june],
    ]);
  });

  it('is null for a row no geo database looked up', async () => {
    const unplaced = { ...period, fromMs: Date.parse('2026-10-28T00:00:00Z') };
    const { rows } = await lake.engine.run('logins_by_country', standardParams(unplaced));
    expect(rows).toEqual([{ country: null, logins: 2, users: 1, geo_db_versions: null }]);
  });
});
