import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { dailyActivity, dataHealth } from './support/expected-answers.ts';
import { openFixtureEngine, useFixtureEngine } from './support/fixture-engine.ts';
import { event, login, manifest, withoutGeoColumns } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-10-26T00:00:00Z');
const TO = FROM + 7 * DAY_MS;
const looked = { ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast', geo_db_version: 'g' };

// Period sign-ins: 2 placed, 1 private address (looked up, no country), 1 without an address,
// 2 never looked up (one stored without the database, one written before the geo columns existed),
// 1 placed without a user id (Domo nested the user fields: `user: {id, name}`).
const events: EventRecord[] = [
  login('2026-10-26 09:00', 'login', { ...looked, ip_address: '73.1.2.3' }),
  login('2026-10-27 09:00', 'login', { ...looked, ip_address: '73.1.2.4' }),
  login('2026-10-27 10:00', 'login', { ip_address: '10.0.0.7', geo_db_version: 'g' }),
  login('2026-10-27 11:00', 'login', { ip_address: null }),
  login('2026-10-27 12:00', 'login', { ...looked, ip_address: '73.1.2.5', user_id: null, user_name: null }),
  login('2026-10-28 09:00', 'login', { ip_address: '81.2.69.142' }),
  withoutGeoColumns(login('2026-10-28 10:00', 'login', { ip_address: '81.2.69.143' })) as EventRecord,
  // Not sign-ins, or not in the period: never counted.
  event('2026-10-28 11:00', { ip_address: '81.2.69.144' }),
  event('2026-10-28 12:00', { ip_address: null, user_id: null }),
  login('2026-10-28 13:00', 'login_failed', { ip_address: null, user_id: null }),
  login('2026-10-25 09:00', 'login', { ip_address: '81.2.69.145', user_id: null }),
];

const period = { instance: 'default', fromMs: FROM, toMs: TO };

const lake = useFixtureEngine('unplaced-logins-', { events, coverage: [manifest('2026-10-26 09:00')] });

describe('data_health: sign-ins the place checks could not judge', () => {
  it('counts sign-ins with an address no geo database looked up, records without the geo keys too', async () => {
    const { rows } = await lake.engine.run('data_health', standardParams(period));
    expect(rows[0]).toMatchObject({ logins: 7, unplaced_logins: 2 });
    expect(rows).toEqual(dataHealth(events, [manifest('2026-10-26 09:00')], period));
  });

  // Neither is an unplaced sign-in: enrich fills neither, and the report names each for what it is.
  it('counts sign-ins without a user id and sign-ins without an address apart', async () => {
    const { rows } = await lake.engine.run('data_health', standardParams(period));
    expect(rows[0]).toMatchObject({ logins: 7, logins_without_user: 1, logins_without_ip: 1 });
  });

  // Review R-GEO L1: a private, reserved or unknown address is looked up and gets no country; the
  // place checks cannot judge it, and the report said nothing of it.
  it('counts sign-ins looked up without a country apart: the private address, nothing else', async () => {
    const { rows } = await lake.engine.run('data_health', standardParams(period));
    expect(rows[0]).toMatchObject({ logins: 7, unplaced_logins: 2, logins_without_country: 1 });
  });
});

describe('data_health: a text that names no address is a sign-in without one', () => {
  // Review R-QUERIES L1: `""`, `unknown` and `-` were neither without an address nor unplaced,
  // only a country "unknown" with no word on why. No address is written without a dot or a colon.
  it('counts "", "unknown", "-" and white space as without an address, never as unplaced', async () => {
    const texts = ['', 'unknown', '-', ' \t', 'UNKNOWN'];
    const none = [
      ...texts.map((ip, i) => login(`2026-10-27 0${i}:00`, 'login', { ip_address: ip, geo_db_version: 'g' })),
      // Stored before the geo data: still no address, so nothing enrich could place.
      login('2026-10-27 06:00', 'login', { ip_address: 'unknown' }),
      // A dot or a colon: an address text (unplaced when never looked up).
      login('2026-10-27 07:00', 'login', { ip_address: 'unknown.host' }),
    ];
    const noneLake = await openFixtureEngine('no-address-logins-', {
      events: none,
      coverage: [manifest('2026-10-27 00:00')],
    });
    try {
      const { rows } = await noneLake.engine.run('data_health', standardParams(period));
      expect(rows[0]).toMatchObject({ logins: 7, logins_without_ip: 6, unplaced_logins: 1 });
      expect(rows).toEqual(dataHealth(none, [manifest('2026-10-27 00:00')], period));
    } finally {
      await noneLake.close();
    }
  });
});

describe('data_health: covered hours that lost events from the lake', () => {
  // Manifests count what each hour held when stored; the table now holds less in two of them.
  const coverage = [
    manifest('2026-10-27 09:00', { event_count: 1 }),
    manifest('2026-10-27 10:00', { event_count: 3 }),
    manifest('2026-10-29 05:00', { event_count: 4 }),
    // Holds its one record, timed in the next hour (a misplaced record): not short.
    manifest('2026-10-30 05:00', { event_count: 1 }),
  ];
  const shortEvents = [
    ...events,
    event('2026-10-30 06:10', { window_start_ms: Date.parse('2026-10-30T05:00:00Z') }),
  ];
  const shortLake = useFixtureEngine('short-hours-', { events: shortEvents, coverage });

  it('counts them and the events gone, so a week with a deleted object is not called complete', async () => {
    const { rows } = await shortLake.engine.run('data_health', standardParams(period));
    expect(rows[0]).toMatchObject({ covered_hours: 4, missing_hours: 164, short_hours: 2, short_events: 6 });
    expect(rows).toEqual(dataHealth(shortEvents, coverage, period));
  });

  // Review R-SUSP2 M2: an hour the period ends inside was compared with nothing (its events after
  // the end were not read), so its loss went unseen. It is now read whole.
  it('judges an hour the period ends inside whole: its loss is counted', async () => {
    const cut = { ...period, toMs: Date.parse('2026-10-27T10:30:00Z') };
    const { rows } = await shortLake.engine.run('data_health', standardParams(cut));
    expect(rows[0]).toMatchObject({ short_hours: 1, short_events: 2 });
    expect(rows).toEqual(dataHealth(shortEvents, coverage, cut));
    const daily = await shortLake.engine.run('daily_activity', { ...standardParams(cut), time_zone: 'UTC' });
    expect(daily.rows.every((r) => r.short_hours === 0 && r.short_events === 0)).toBe(true);
    expect(daily.rows).toEqual(dailyActivity(shortEvents, coverage, cut, 'UTC'));
  });

  it('counts none short or over in an hour cut at both ends whose events are all there', async () => {
    const hour = [event('2026-10-27 10:10'), event('2026-10-27 10:50')];
    const cover = [manifest('2026-10-27 10:00', { event_count: 2 })];
    const whole = await openFixtureEngine('cut-hour-', { events: hour, coverage: cover });
    try {
      for (const cut of [
        { ...period, fromMs: Date.parse('2026-10-27T10:30:00Z') },
        { ...period, toMs: Date.parse('2026-10-27T10:30:00Z') },
      ]) {
        const { rows } = await whole.engine.run('data_health', standardParams(cut));
        expect(rows[0]).toMatchObject({ events: 1, covered_hours: 1, short_hours: 0, extra_hours: 0 });
        expect(rows).toEqual(dataHealth(hour, cover, cut));
      }
    } finally {
      await whole.close();
    }
  });

  // The report marks the days that lost events, so a lower count is not read as a quiet day.
  for (const timeZone of ['UTC', 'Pacific/Kiritimati']) {
    it(`daily_activity puts them on the local day their hour starts in (${timeZone})`, async () => {
      const { rows } = await shortLake.engine.run('daily_activity', {
        ...standardParams(period),
        time_zone: timeZone,
      });
      expect(rows).toEqual(dailyActivity(shortEvents, coverage, period, timeZone));
      const short = rows.filter((r) => Number(r.short_hours) > 0);
      // UTC+14 moves 2026-10-27 10:00Z to the next local day.
      expect(short.map((r) => [r.day, r.short_hours, r.short_events])).toEqual(
        timeZone === 'UTC'
          ? [
              ['2026-10-27', 1, 2],
              ['2026-10-29', 1, 4],
            ]
          : [
              ['2026-10-28', 1, 2],
              ['2026-10-29', 1, 4],
            ],
      );
    });
  }
});
