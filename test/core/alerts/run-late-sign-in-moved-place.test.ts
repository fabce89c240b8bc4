/**
 * A late, earlier sign-in that moves a place alert already sent, through two alerts runs (review
 * rc s7): Alice signs in from the US at 08:00 and from DE at 08:30, alerted at 09:15 as a new
 * country, a new network owner and an impossible journey. A second DE sign-in at 08:10, stored by
 * a later ingest, is now her first from DE, from that owner and the journey's arrival: the recheck
 * finds all three under its id, and no longer those of 08:30. They were sent; they are not sent
 * again (docs/alerts.md, "Late events"). A journey the user makes again is another one, and sent.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import {
  type ExpectedRule,
  parseExpectedActivity,
} from '../../../functions/core/alerts/expected-activity.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { writeCoverage } from '../../../functions/core/lake/coverage.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, alertsStateKey, lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { login, manifest } from '../../queries/support/lake-fixture.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel, settings } from './support/alert-fixtures.ts';

const DAY0 = Date.parse('2026-11-08T00:00:00Z');
/** The day of the trip: 12 days of history before it, more than the 10 placed sign-ins needed. */
const DAY = DAY0 + 12 * DAY_MS;
const EIGHT = DAY + 8 * HOUR_MS;
const MIN = 60_000;
const US = { ip_address: '73.9.9.9', ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast' };
const DE = { ip_country: 'DE', ip_asn: 3320, ip_org: 'Deutsche Telekom AG' };
const at = (ms: number) => lakeTimestamp(ms).slice(0, 19);
const signIn = (ms: number, place: Partial<EventRecord>) =>
  login(at(ms), 'login', { user_id: '101', user_name: 'alice', ...place });

function alertsLake(expected: readonly ExpectedRule[] = []) {
  const store = new MemoryObjectStore();
  const channel = new RecordingChannel();
  /** One hour as the ingest stores it: its events, and the manifest whose hash a recheck compares. */
  const hour = async (hourMs: number, events: readonly EventRecord[], hash = 'first') => {
    await store.put(activityKey('default', hourMs), encodeNdjsonGzip(events));
    await writeCoverage(store, 'default', manifest(at(hourMs).slice(0, 16), { content_hash: hash }));
  };
  const watermark = (ms: number) =>
    advanceCheckpoint(store, 'default', { watermarkMs: ms, runId: 'ingest', codeVersion: 'test', now: ms });
  const run = async (nowMs: number) =>
    (
      await runAlerts(
        { store, clock: { now: () => nowMs }, log: silentLog, channels: [channel] },
        { instance: 'default', settings: settings(), runId: `run-${nowMs}`, startMs: DAY, expected },
      )
    ).raised;
  return { store, channel, hour, watermark, run };
}

/** Alice's history: a sign-in from home every morning of the 12 days before the trip. */
async function history(lake: ReturnType<typeof alertsLake>) {
  for (let day = 0; day < 12; day++) {
    const morning = DAY0 + day * DAY_MS + 9 * HOUR_MS;
    await lake.hour(morning, [signIn(morning + 5 * MIN, US)]);
  }
}

const shown = (alerts: readonly Alert[]) =>
  alerts.map((a) => `${a.event_time.slice(11, 16)} ${a.kind} ${a.evidence.split(';')[0]}`);

describe('alerts runs: a late, earlier sign-in that moves a place alert already sent', () => {
  it('the recheck sends none of the three again under the late sign-in', async () => {
    const lake = alertsLake();
    await history(lake);
    const onTime = [signIn(EIGHT, US), signIn(EIGHT + 30 * MIN, { ...DE, ip_address: '93.200.1.5' })];
    await lake.hour(EIGHT, onTime);
    await lake.watermark(EIGHT + HOUR_MS);
    const first = await lake.run(EIGHT + HOUR_MS + 15 * MIN);
    expect(shown(first)).toEqual([
      '08:30 impossible_travel US to DE: 7861 km in 30 min',
      '08:30 new_country first login from DE in 11 days of history',
      '08:30 new_network first login from network owner AS3320 (Deutsche Telekom AG) in 11 days of history',
    ]);

    // The ingest's lookback pulls 08:00 again with the late sign-in; the next hour closes.
    const late = signIn(EIGHT + 10 * MIN, { ...DE, ip_address: '93.200.1.9' });
    await lake.hour(EIGHT, [...onTime, late], 'with-the-late-sign-in');
    await lake.hour(EIGHT + HOUR_MS, []);
    await lake.watermark(EIGHT + 2 * HOUR_MS);
    const second = await lake.run(EIGHT + 2 * HOUR_MS + 15 * MIN);
    // Without the record: 08:10 impossible_travel (US to DE in 10 min), new_country, new_network.
    expect(shown(second)).toEqual([]);
    expect(lake.channel.delivered).toHaveLength(3);
    // The checkpoint's record: the three places sent, by alert id.
    const places = (await readAlertCheckpoint(lake.store, 'default'))?.checkpoint.places;
    expect(Object.values(places ?? {}).sort()).toEqual(['c DE 101', 'n 3320 101', 't US DE 101']);
    expect(Object.keys(places ?? {}).sort()).toEqual(first.map((a) => a.id).sort());
  });

  it('a journey made again, found through a late sign-in, is another one and sent', async () => {
    const lake = alertsLake();
    await history(lake);
    const onTime = [
      signIn(EIGHT, US),
      signIn(EIGHT + 30 * MIN, { ...DE, ip_address: '93.200.1.5' }),
      signIn(EIGHT + 50 * MIN, { ...DE, ip_address: '93.200.1.5' }),
    ];
    await lake.hour(EIGHT, onTime);
    await lake.watermark(EIGHT + HOUR_MS);
    expect(shown(await lake.run(EIGHT + HOUR_MS + 15 * MIN))).toHaveLength(3);

    // Back home at 08:45 (stored late), in DE again at 08:50: two more journeys, the 08:30 one still found.
    await lake.hour(EIGHT, [...onTime, signIn(EIGHT + 45 * MIN, US)], 'with-the-late-sign-in');
    await lake.hour(EIGHT + HOUR_MS, []);
    await lake.watermark(EIGHT + 2 * HOUR_MS);
    expect(shown(await lake.run(EIGHT + 2 * HOUR_MS + 15 * MIN))).toEqual([
      '08:45 impossible_travel DE to US: 7861 km in 15 min',
      '08:50 impossible_travel US to DE: 7861 km in 5 min',
    ]);
  });

  it('a checkpoint written before the record loads; its place alerts are not recognised then', async () => {
    const lake = alertsLake();
    await history(lake);
    const onTime = [signIn(EIGHT, US), signIn(EIGHT + 30 * MIN, { ...DE, ip_address: '93.200.1.5' })];
    await lake.hour(EIGHT, onTime);
    await lake.watermark(EIGHT + HOUR_MS);
    await lake.run(EIGHT + HOUR_MS + 15 * MIN);
    const key = alertsStateKey('default', 'checkpoint.json');
    const stored = JSON.parse(new TextDecoder().decode((await lake.store.get(key))?.body));
    delete stored.places;
    await lake.store.put(key, new TextEncoder().encode(JSON.stringify(stored)));

    await lake.hour(EIGHT, [...onTime, signIn(EIGHT + 10 * MIN, DE)], 'with-the-late-sign-in');
    await lake.hour(EIGHT + HOUR_MS, []);
    await lake.watermark(EIGHT + 2 * HOUR_MS);
    // The first recheck after the upgrade sends the moved places once more, and records them.
    expect(shown(await lake.run(EIGHT + 2 * HOUR_MS + 15 * MIN))).toHaveLength(3);
    const places = (await readAlertCheckpoint(lake.store, 'default'))?.checkpoint.places;
    expect(Object.keys(places ?? {})).toHaveLength(3);
  });

  /** Review R-MUTE M3: a quieted place was recorded as sent, and a moved version of it dropped silently. */
  describe('when the expected-activity list quieted the place', () => {
    // The rule covers the journey's US departure too (review R-MUTE2 B): only the late sign-in differs.
    const trip = async (rule: Record<string, unknown>) => {
      const lake = alertsLake(parseExpectedActivity([{ reason: 'Alice at the Berlin hotel', ...rule }]));
      await history(lake);
      const onTime = [signIn(EIGHT, US), signIn(EIGHT + 30 * MIN, { ...DE, ip_address: '93.200.1.5' })];
      await lake.hour(EIGHT, onTime);
      await lake.watermark(EIGHT + HOUR_MS);
      expect(await lake.run(EIGHT + HOUR_MS + 15 * MIN)).toEqual([]);
      const late = signIn(EIGHT + 10 * MIN, { ...DE, ip_address: '93.200.1.9' });
      await lake.hour(EIGHT, [...onTime, late], 'with-the-late-sign-in');
      await lake.hour(EIGHT + HOUR_MS, []);
      await lake.watermark(EIGHT + 2 * HOUR_MS);
      return { lake, second: await lake.run(EIGHT + 2 * HOUR_MS + 15 * MIN) };
    };

    it('sends the places a late sign-in from an address the rule does not cover moved', async () => {
      const { lake, second } = await trip({ user: '101', ip: ['93.200.1.5', US.ip_address] });
      expect(shown(second)).toEqual([
        '08:10 impossible_travel US to DE: 7861 km in 10 min',
        '08:10 new_country first login from DE in 11 days of history',
        '08:10 new_network first login from network owner AS3320 (Deutsche Telekom AG) in 11 days of history',
      ]);
      expect(lake.channel.delivered).toHaveLength(3);
    });

    it('quiets them again when the rule covers the late sign-in too', async () => {
      const { lake, second } = await trip({ user: '101', ip: ['93.200.1.0/24', US.ip_address] });
      expect(second).toEqual([]);
      expect(lake.channel.delivered).toHaveLength(0);
    });

    // Review R-MUTE5 L10: each moved place is a new alert (the late sign-in's), quieted, counted and
    // archived as such beside the one it moved from; docs/alerts.md says so.
    it('counts and archives the moved places as alerts of their own, beside those they moved from', async () => {
      const { lake } = await trip({ user: '101', ip: ['93.200.1.0/24', US.ip_address] });
      const quieted = [...lake.store.objects]
        .filter(([key]) => key.startsWith('alerts/'))
        .map(([, object]) => JSON.parse(Buffer.from(object.body).toString()) as Record<string, string>)
        .filter((row) => row.quieted_by !== undefined)
        .map((row) => row.event_time?.slice(11, 16));
      expect(quieted.sort()).toEqual(['08:10', '08:10', '08:10', '08:30', '08:30', '08:30']);
    });
  });
});
