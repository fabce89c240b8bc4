/**
 * `evidence --alert`'s core: an alert found in the archive by its id, one read per day of a
 * bounded list (the id is a hash and says no day), the archive gone told from an id of another
 * day, and the case its bundle takes (review EVIDALERT).
 */
import { describe, expect, it } from 'vitest';
import {
  ALERT_SEARCH_DAYS,
  type AlertCaseFields,
  AlertEventTally,
  alertAddressCase,
  alertCase,
  alertSearchDays,
  alertUserRefusal,
  archivedAlertOf,
  findArchivedAlert,
  journeyDepartureMs,
  pulledEnd,
} from '../../../functions/core/evidence/evidence-alert.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { alertKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const ID = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const NOW = Date.parse('2026-12-07T13:20:00Z');
const EVENT_MS = Date.parse('2026-12-02T18:13:45.886Z');

const record = (over: Record<string, unknown> = {}) => ({
  id: ID,
  instance: 'main',
  kind: 'new_country',
  user_id: '2127303241',
  user_name: 'Tomas Lovelace',
  event_time: '2026-12-02 18:13:45.886',
  event_time_ms: EVENT_MS,
  evidence: 'first sign-in from Brazil',
  ip_address: '18.231.24.189',
  event_ids: 'e1,e2',
  detected_at: '2026-12-02T19:00:00.000Z',
  run_id: 'r1',
  quieted_by: null,
  ...over,
});

const bytes = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value)}\n`);

/** A store holding the alert at its key, counting the reads. */
function archiveWith(eventMs: number, body: Uint8Array = bytes(record({ event_time_ms: eventMs }))) {
  const store = new MemoryObjectStore();
  store.objects.set(alertKey('main', eventMs, ID), { body, etag: '"x"' });
  const gets: string[] = [];
  const get = store.get.bind(store);
  store.get = (key: string) => {
    gets.push(key);
    return get(key);
  };
  return { store, gets };
}

describe('finding an archived alert by its id', () => {
  it('reads one key a day, today first, and finds an alert of 5 days ago as stored', async () => {
    const { store, gets } = archiveWith(EVENT_MS);
    const lookup = await findArchivedAlert(store, 'main', ID, alertSearchDays(NOW));
    expect(lookup.found?.key).toBe(`alerts/instance=main/dt=2026-12-02/${ID}.json`);
    expect(lookup.found?.event_ids).toEqual(['e1', 'e2']);
    expect(new TextDecoder().decode(lookup.found?.body)).toBe(`${JSON.stringify(record())}\n`);
    expect(gets).toEqual(
      ['07', '06', '05', '04', '03', '02'].map((d) => `alerts/instance=main/dt=2026-12-${d}/${ID}.json`),
    );
  });

  it('searches today and the 31 days before, no further: an older alert is not found, and the archive is said to be there', async () => {
    const { store, gets } = archiveWith(NOW - (ALERT_SEARCH_DAYS + 1) * DAY_MS);
    const lookup = await findArchivedAlert(store, 'main', ID, alertSearchDays(NOW));
    expect(lookup).toMatchObject({ archive: true });
    expect(gets).toHaveLength(ALERT_SEARCH_DAYS + 1);
  });

  it('with its date, reads that day and the day either side only', async () => {
    const { store, gets } = archiveWith(EVENT_MS);
    const dayAfter = Date.parse('2026-12-03');
    const lookup = await findArchivedAlert(store, 'main', ID, alertSearchDays(NOW, dayAfter));
    expect(lookup.found?.id).toBe(ID);
    expect(gets).toEqual([
      `alerts/instance=main/dt=2026-12-03/${ID}.json`,
      `alerts/instance=main/dt=2026-12-02/${ID}.json`,
    ]);
    const far = archiveWith(EVENT_MS);
    const missed = await findArchivedAlert(
      far.store,
      'main',
      ID,
      alertSearchDays(NOW, Date.parse('2026-11-20')),
    );
    expect(missed).toMatchObject({ archive: true });
    expect(far.gets).toHaveLength(3);
  });

  it('tells a lake with no archive of the instance from an id not in it', async () => {
    const lookup = await findArchivedAlert(new MemoryObjectStore(), 'main', ID, alertSearchDays(NOW));
    expect(lookup).toMatchObject({ archive: false });
  });

  it("refuses an object that is not the alert's record", async () => {
    const key = alertKey('main', EVENT_MS, ID);
    expect(() => archivedAlertOf(key, bytes(record({ id: 'another' })), ID)).toThrow(
      `${key}: not an alert the alerts function archived (its id not as written)`,
    );
    expect(() => archivedAlertOf(key, new TextEncoder().encode('{"id":'), ID)).toThrow('not one JSON object');
    expect(() => archivedAlertOf(key, bytes(record({ event_ids: ['e1'] })), ID)).toThrow('its event_ids');
  });

  it('takes each of its event ids once, as check.py counts them (review REVIEW86)', () => {
    const key = alertKey('main', EVENT_MS, ID);
    const alert = archivedAlertOf(key, bytes(record({ event_ids: 'e2,e1,e2,,e1' })), ID);
    expect(alert.event_ids).toEqual(['e2', 'e1']);
  });
});

/** An archived alert's fields its case is made of: a new country's, but for those given. */
const caseFields = (over: Partial<AlertCaseFields> & Pick<AlertCaseFields, 'user_id' | 'event_time_ms'>) => ({
  kind: 'new_country',
  evidence: 'first login from BR',
  ip_address: '18.231.24.189',
  spray_key: null,
  user_name: null,
  ...over,
});

describe("the case of an alert's bundle", () => {
  const lakeEnd = Date.parse('2026-12-07T13:00:00Z');

  it("is the user's events from the UTC day before the alert's day to the end of the day after", () => {
    expect(alertCase(caseFields({ user_id: '2127303241', event_time_ms: EVENT_MS }), lakeEnd)).toEqual({
      fromMs: Date.parse('2026-12-01'),
      toMs: Date.parse('2026-12-04'),
      userId: '2127303241',
    });
  });

  it("is the events of a spray's group, from its spray_key, in the alert hour and the 3 hours either side", () => {
    const spray = caseFields({ user_id: null, event_time_ms: EVENT_MS, kind: 'password_spray' });
    expect(alertCase({ ...spray, spray_key: 'NET 178.62.10.0/24' }, lakeEnd)).toEqual({
      fromMs: Date.parse('2026-12-02T15:00:00Z'),
      toMs: Date.parse('2026-12-02T22:00:00Z'),
      address: { scope: 'network', group: '178.62.10.0/24' },
    });
    const caseOf = (over: Partial<AlertCaseFields>) => alertCase({ ...spray, ...over }, lakeEnd).address;
    expect(caseOf({ spray_key: 'OWNER AS14061' })).toEqual({ scope: 'owner', group: 'AS14061' });
    expect(caseOf({ spray_key: 'ANY any address' })).toEqual({ scope: 'instance', group: 'any address' });
    expect(caseOf({ spray_key: 'SLOW 5.6.7.8' })).toEqual({ scope: 'address', group: '5.6.7.8' });
    // Archived before its key: read back from its evidence, else its address.
    const evidence =
      'failed logins of 31 users (40 failures) within 10 minutes (10:01-10:09 UTC) from network owner AS14061 (NL), 5.6.7.8';
    expect(caseOf({ evidence })).toEqual({ scope: 'owner', group: 'AS14061' });
    expect(caseOf({ ip_address: '5.6.7.8:50001' })).toEqual({ scope: 'address', group: '5.6.7.8' });
  });

  it('is the events under the name of a lockout or burst of no user id, whatever their address', () => {
    for (const kind of ['lockout', 'failed_login_burst']) {
      const failures = caseFields({ user_id: null, user_name: 'Ann.Lee', event_time_ms: EVENT_MS, kind });
      expect(alertCase({ ...failures, ip_address: '10.0.0.1, 5.6.7.8' }, lakeEnd)).toEqual({
        fromMs: Date.parse('2026-12-02T15:00:00Z'),
        toMs: Date.parse('2026-12-02T22:00:00Z'),
        userName: 'Ann.Lee',
      });
      // No address, or none a key reads, is no refusal: the name is the case.
      expect(alertCase({ ...failures, ip_address: null }, lakeEnd).userName).toBe('Ann.Lee');
      // Failures with neither id nor name are one to the detector: the case of no name.
      expect(alertCase({ ...failures, user_name: null }, lakeEnd).userName).toBe('');
    }
  });

  it("is the events of the address of an alert of no user of another kind, keyed as a spray's", () => {
    const change = caseFields({ user_id: null, event_time_ms: EVENT_MS, kind: 'privileged_change' });
    expect(alertCase({ ...change, ip_address: '10.0.0.1, 5.6.7.8' }, lakeEnd).address).toEqual({
      scope: 'address',
      group: '5.6.7.8',
    });
    expect(alertAddressCase({ ...change, ip_address: 'unknown' })).toBeUndefined();
    expect(() => alertCase({ ...change, ip_address: null }, lakeEnd)).toThrow(
      'the alert names neither a user nor an address (its address null)',
    );
  });

  it("starts an impossible journey's bundle at its departure's UTC day, when before the day before", () => {
    // 5,000 minutes before 2026-12-02T18:13:45Z is 2026-11-29T06:53:45Z: the departure's day.
    const journey = caseFields({
      user_id: '2127303241',
      event_time_ms: EVENT_MS,
      kind: 'impossible_travel',
      evidence:
        'DE to BR: 9800 km in 5000 min; previous login 2026-11-29 07:53 (+01:00) Europe/Berlin from 1.2.3.4',
    });
    expect(alertCase(journey, lakeEnd)).toMatchObject({
      fromMs: Date.parse('2026-11-29'),
      userId: '2127303241',
    });
    expect(journeyDepartureMs(journey)).toBe(Date.parse('2026-11-29T06:52:45.886Z'));
    // A departure within the day before: the day before, as for any alert of a user.
    const near = { ...journey, evidence: journey.evidence.replace('5000 min', '600 min') };
    expect(alertCase(near, lakeEnd).fromMs).toBe(Date.parse('2026-12-01'));
    // Another kind's evidence so worded is no journey.
    expect(alertCase({ ...journey, kind: 'new_country' }, lakeEnd).fromMs).toBe(Date.parse('2026-12-01'));
  });

  it('refuses a user id with white space, which trimmed is another id (review EVID3)', () => {
    const of = (user_id: string | null) => caseFields({ user_id, event_time_ms: EVENT_MS });
    expect(() => alertCase(of(' 2127303241'), lakeEnd)).toThrow(
      `the alert's user " 2127303241" is an id with white space in it: a bundle of a user takes an id without white space`,
    );
    expect(() => alertCase(of('2127 303241'), lakeEnd)).toThrow('an id with white space in it');
    expect(() => alertCase(of('  '), lakeEnd)).toThrow('an id of white space alone');
    expect(() => alertCase(of(''), lakeEnd)).toThrow('an id of white space alone');
    expect(alertUserRefusal(of('2127303241'))).toBeUndefined();
    expect(alertUserRefusal(of(null))).toBeUndefined();
  });

  it("ends at the hours the lake has pulled, but never before the end of the alert's hour", () => {
    const today = Date.parse('2026-12-07T09:30:00Z');
    expect(alertCase(caseFields({ user_id: '1', event_time_ms: today }), lakeEnd).toMs).toBe(lakeEnd);
    expect(alertCase(caseFields({ user_id: '1', event_time_ms: lakeEnd + 10 }), lakeEnd).toMs).toBe(
      lakeEnd + HOUR_MS,
    );
  });

  it("takes the lake's end from its watermark, or the current hour without a checkpoint", async () => {
    const store = new MemoryObjectStore();
    const alert = caseFields({ user_id: 'u1', event_time_ms: Date.parse('2026-12-06T20:10:00Z') });
    expect(await pulledEnd(store, 'main', NOW, alert)).toBe(Date.parse('2026-12-07T13:00:00Z'));
    await advanceCheckpoint(store, 'main', {
      watermarkMs: Date.parse('2026-12-07T10:00:00Z'),
      runId: 'r',
      codeVersion: 'test',
      now: NOW,
    });
    expect(await pulledEnd(store, 'main', NOW, alert)).toBe(Date.parse('2026-12-07T10:00:00Z'));
  });

  it("takes a copy's end, without a checkpoint, from the last hour of the alert's period it covers", async () => {
    // A copy of the deployed lake's days (no state/): pulled to 09:00 on 2026-12-07, copied at 13:20.
    const store = new MemoryObjectStore();
    const manifest = new TextEncoder().encode('{}');
    for (
      let hour = Date.parse('2026-12-05T00:00:00Z');
      hour < Date.parse('2026-12-07T09:00:00Z');
      hour += HOUR_MS
    )
      await store.put(coverageKey('main', hour), manifest);
    const ofUser = caseFields({ user_id: 'u1', event_time_ms: Date.parse('2026-12-06T20:10:00Z') });
    expect(await pulledEnd(store, 'main', NOW, ofUser)).toBe(Date.parse('2026-12-07T09:00:00Z'));
    const spray = caseFields({ user_id: null, event_time_ms: Date.parse('2026-12-07T07:30:00Z') });
    expect(await pulledEnd(store, 'main', NOW, spray)).toBe(Date.parse('2026-12-07T09:00:00Z'));
    // A manifest after the alert's period is not the period's end.
    await store.put(coverageKey('main', Date.parse('2026-12-09T02:00:00Z')), manifest);
    const early = caseFields({ user_id: null, event_time_ms: Date.parse('2026-12-05T10:30:00Z') });
    expect(await pulledEnd(store, 'main', NOW, early)).toBe(Date.parse('2026-12-05T14:00:00Z'));
  });
});

describe("the alert's events among the bundle's lines", () => {
  it('counts those written and names the others, in the order the alert lists them', () => {
    const tally = new AlertEventTally(['c', 'a', 'b']);
    tally.add(['{"event_id":"a"}', 'not json', '{"event_id":"z"}']);
    tally.add(['{"event_id":"a"}']);
    expect(tally.result()).toEqual({ in_bundle: 1, not_in_bundle: ['c', 'b'] });
  });
});
