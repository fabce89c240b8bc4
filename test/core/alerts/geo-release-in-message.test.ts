/**
 * A place alert names the geo data release that placed its sign-in, beside the data's attribution:
 * addresses move between countries and network owners from month to month, so a reader judging
 * "login from a new country" needs to know how old the data behind it is. The release travels with
 * the alert through the outbox, so a delivery retried by a later run still names it.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import { DeliveryRefusedError } from '../../../functions/core/alerts/alert-channel.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { GEO_ATTRIBUTION } from '../../../functions/core/geo/country-names.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { writeCoverage } from '../../../functions/core/lake/coverage.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, alertKey, lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { login, manifest } from '../../queries/support/lake-fixture.ts';
import { creditHtml } from '../../support/geo-credit-html.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { textWords } from '../../support/text-part.ts';
import { alertOf, RecordingChannel, settings } from './support/alert-fixtures.ts';

const MAY = 'dbip-country@2.3.2026050120+asn@2.3.2026051719';
const JUNE = 'dbip-country@2.3.2026060120+asn@2.3.2026061719';
const DAY0 = Date.parse('2026-11-08T00:00:00Z');
const DAY = DAY0 + 12 * DAY_MS;
const EIGHT = DAY + 8 * HOUR_MS;
const MIN = 60_000;
const at = (ms: number) => lakeTimestamp(ms).slice(0, 19);
const signIn = (ms: number, place: Partial<EventRecord>) =>
  login(at(ms), 'login', { user_id: '101', user_name: 'alice', ...place });
const US = { ip_address: '73.9.9.9', ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast', geo_db_version: MAY };
const DE = { ip_address: '93.200.1.5', ip_country: 'DE', ip_asn: 3320, ip_org: 'Deutsche Telekom AG' };

async function tripLake() {
  const store = new MemoryObjectStore();
  const hour = async (hourMs: number, events: readonly EventRecord[]) => {
    await store.put(activityKey('default', hourMs), encodeNdjsonGzip(events));
    await writeCoverage(store, 'default', manifest(at(hourMs).slice(0, 16)));
  };
  // A sign-in from home every morning of the 12 days before, placed by May's release.
  for (let day = 0; day < 12; day++) {
    const morning = DAY0 + day * DAY_MS + 9 * HOUR_MS;
    await hour(morning, [signIn(morning + 5 * MIN, US)]);
  }
  // The trip, placed by June's (the database was updated in between).
  await hour(EIGHT, [signIn(EIGHT, US), signIn(EIGHT + 30 * MIN, { ...DE, geo_db_version: JUNE })]);
  await advanceCheckpoint(store, 'default', {
    watermarkMs: EIGHT + HOUR_MS,
    runId: 'ingest',
    codeVersion: 'test',
    now: EIGHT + HOUR_MS,
  });
  return store;
}

const credit = (release: string) => `Places from geo data released ${release}. ${GEO_ATTRIBUTION}`;

describe('the alerts name the geo data release that placed their sign-ins', () => {
  it('each place alert carries its sign-in’s, and a delivery retried from the outbox names it', async () => {
    const store = await tripLake();
    const channel = new RecordingChannel();
    // The first delivery is refused: the alerts wait in the checkpoint's outbox for the next run.
    channel.fail = (attempt) =>
      attempt === 1 ? new DeliveryRefusedError('SendingPausedException') : undefined;
    const run = (nowMs: number) =>
      runAlerts(
        { store, clock: { now: () => nowMs }, log: silentLog, channels: [channel] },
        { instance: 'default', settings: settings(), runId: `run-${nowMs}`, startMs: DAY },
      );
    const { raised } = await run(EIGHT + HOUR_MS + 15 * MIN);
    expect(raised.map((a) => [a.kind, a.geo_db_version])).toEqual([
      ['impossible_travel', JUNE],
      ['new_country', JUNE],
      ['new_network', JUNE],
    ]);
    expect(channel.messages).toEqual([]);
    await run(EIGHT + HOUR_MS + 30 * MIN);
    const [message] = channel.messages;
    expect(message?.alerts.map((a) => a.geo_db_version)).toEqual([JUNE, JUNE, JUNE]);
    // The journey set out from a sign-in May's release placed: both are named, each by its end.
    expect(message?.alerts.map((a) => a.departure_geo_db_version)).toEqual([MAY, undefined, undefined]);
    const both = credit('2026-05-01 (departure) and 2026-06-01 (arrival)');
    expect(textWords(message?.text ?? '')).toContain(both);
    expect(message?.html).toContain(creditHtml(both));
  });

  it("names a journey's departure release kept in the stored login profile, an hour and a run before", async () => {
    const store = new MemoryObjectStore();
    const hour = async (hourMs: number, events: readonly EventRecord[]) => {
      await store.put(activityKey('default', hourMs), encodeNdjsonGzip(events));
      await writeCoverage(store, 'default', manifest(at(hourMs).slice(0, 16)));
    };
    const upTo = async (watermarkMs: number) =>
      advanceCheckpoint(store, 'default', {
        watermarkMs,
        runId: 'ingest',
        codeVersion: 'test',
        now: watermarkMs,
      });
    const run = (nowMs: number, channel: RecordingChannel) =>
      runAlerts(
        { store, clock: { now: () => nowMs }, log: silentLog, channels: [channel] },
        { instance: 'default', settings: settings(), runId: `run-${nowMs}`, startMs: EIGHT - HOUR_MS },
      );
    // Departure at 07:50, placed by May's release; the run that evaluates its hour stores the profile.
    await hour(EIGHT - HOUR_MS, [signIn(EIGHT - 10 * MIN, US)]);
    await upTo(EIGHT);
    expect((await run(EIGHT + 15 * MIN, new RecordingChannel())).raised).toEqual([]);
    // Arrival at 08:20 in Germany, placed by June's, evaluated by the next run.
    await hour(EIGHT, [signIn(EIGHT + 20 * MIN, { ...DE, geo_db_version: JUNE })]);
    await upTo(EIGHT + HOUR_MS);
    const channel = new RecordingChannel();
    const { raised } = await run(EIGHT + HOUR_MS + 15 * MIN, channel);
    expect(raised.map((a) => [a.kind, a.departure_geo_db_version, a.geo_db_version])).toEqual([
      ['impossible_travel', MAY, JUNE],
    ]);
    expect(textWords(channel.messages[0]?.text ?? '')).toContain(
      credit('2026-05-01 (departure) and 2026-06-01 (arrival)'),
    );
  });

  it('names one release as before when the same one placed both ends of a journey', async () => {
    const message = render([
      placeAlert({ kind: 'impossible_travel', geo_db_version: JUNE, departure_geo_db_version: JUNE }),
    ]);
    expect(textWords(message.text)).toContain(credit('2026-06-01'));
    expect(message.text).not.toContain('(departure)');
  });

  it("names a journey's departure release when its arrival's is unknown", () => {
    const message = render([placeAlert({ kind: 'impossible_travel', departure_geo_db_version: MAY })]);
    expect(textWords(message.text)).toContain(credit('2026-05-01 (departure)'));
  });

  it('the archive keeps the release of each place alert, for the Glue table alerts', async () => {
    const store = await tripLake();
    const { raised } = await runAlerts(
      { store, clock: { now: () => EIGHT + HOUR_MS + 15 * MIN }, log: silentLog, channels: [] },
      { instance: 'default', settings: settings(), runId: 'run', startMs: DAY },
    );
    const archived = raised.map((alert) => {
      const key = alertKey('default', alert.event_time_ms, alert.id);
      const body = store.objects.get(key)?.body;
      return JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;
    });
    expect(archived.map((line) => [line.kind, line.geo_db_version])).toEqual([
      ['impossible_travel', JUNE],
      ['new_country', JUNE],
      ['new_network', JUNE],
    ]);
  });

  const placeAlert = (fields: Partial<Alert>): Alert =>
    alertOf({
      kind: 'new_country',
      evidence: 'first login from DE in 30 days; previous: US (41 logins)',
      ...fields,
    });
  const render = (alerts: Alert[]) =>
    renderAlertMessage(alerts, {
      instance: 'main',
      timeZone: 'UTC',
      nowMs: Date.parse('2026-11-02T09:00:00Z'),
      mailOlderThanHours: 24,
    });

  it('dates the releases of the place alerts listed only', () => {
    const message = render([
      placeAlert({ id: 'a'.repeat(32), geo_db_version: MAY }),
      placeAlert({ id: 'b'.repeat(32), kind: 'new_network', geo_db_version: JUNE }),
      // Not a place alert: what it carries names no place shown.
      alertOf({ id: 'c'.repeat(32), kind: 'unusual_hour', geo_db_version: 'other@1' }),
    ]);
    expect(textWords(message.text)).toContain(credit('2026-05-01 and 2026-06-01'));
    expect(message.html).toContain(creditHtml(credit('2026-05-01 and 2026-06-01')));
  });

  it('gives the attribution alone for place alerts taken in before the release was recorded', () => {
    const message = render([placeAlert({})]);
    expect(textWords(message.text)).toContain(GEO_ATTRIBUTION);
    expect(message.text).not.toContain('Places from geo data');
    expect(message.html).not.toContain('Places from geo data');
  });
});
