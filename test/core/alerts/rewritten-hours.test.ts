/**
 * Hours rewritten after the alerts folded them into the login profile (`enrich` filling the geo
 * columns of a lake written without them): the profile folds them again, so the place alerts of
 * the hours evaluated next are the ones a fresh evaluation finds, raised once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { containerGeo } from '../../../functions/adapters/geo-file-lookup.ts';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { writeCoverage } from '../../../functions/core/lake/coverage.ts';
import { appendDigest, readDigestHead } from '../../../functions/core/lake/digest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, digestPrefix, lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { type GeoLookup, type ObjectStore, silentLog } from '../../../functions/core/ports.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { login, manifest, withoutGeoColumns } from '../../queries/support/lake-fixture.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { cloneStore, memoryLake, RecordingChannel, settings } from './support/alert-fixtures.ts';

const MIN = 60_000;
const PLACE_KINDS = new Set(['new_country', 'new_network', 'impossible_travel']);
const key = (a: Alert) => `${a.kind} ${a.user_id} ${a.event_time}`;
const place = (alerts: readonly Alert[]) => alerts.filter((a) => PLACE_KINDS.has(a.kind));

async function alertsRun(store: ObjectStore, nowMs: number, channel = new RecordingChannel()) {
  return runAlerts(
    { store, clock: { now: () => nowMs }, log: silentLog, channels: [channel] },
    { instance: 'default', settings: settings(), runId: `run-${nowMs}` },
  );
}

/** The same lake without the alerts' state and archive: what a first (or local) run sees. */
function fresh(store: MemoryObjectStore): MemoryObjectStore {
  const copy = cloneStore(store);
  for (const k of [...copy.objects.keys()]) if (k.startsWith('alerts')) copy.objects.delete(k);
  return copy;
}

describe('a lake enriched after the alerts folded it (small lake, fake geo database)', () => {
  const DAY0 = Date.parse('2026-10-01T00:00:00Z');
  /** Where the first alerts run stops: the ingest watermark then. */
  const X = DAY0 + 12 * DAY_MS;
  /** The hour of u1's first sign-in from abroad, after X. */
  const ABROAD = X + 10 * HOUR_MS;
  const at = (ms: number) => lakeTimestamp(ms).slice(0, 19);
  const HOME = '8.8.8.8';
  const AWAY = '81.2.69.160';
  const geo: GeoLookup = {
    version: 'fake-geo@1',
    lookup: (ip) =>
      ip === HOME
        ? { country: 'US', asn: 15169, org: 'Google LLC' }
        : ip === AWAY
          ? { country: 'DE', asn: 3320, org: 'Deutsche Telekom AG' }
          : undefined,
  };

  /** Sign-ins as written before the lake had geo columns, one object and manifest per hour. */
  async function writeHours(store: MemoryObjectStore, records: EventRecord[]) {
    const hours = new Map<number, EventRecord[]>();
    for (const r of records) hours.set(r.window_start_ms, [...(hours.get(r.window_start_ms) ?? []), r]);
    for (const [hour, rows] of hours) {
      await store.put(activityKey('default', hour), encodeNdjsonGzip(rows.map(withoutGeoColumns)));
      await writeCoverage(store, 'default', manifest(at(hour).slice(0, 16), { event_count: rows.length }));
    }
  }

  const watermark = (store: ObjectStore, ms: number) =>
    advanceCheckpoint(store, 'default', { watermarkMs: ms, runId: 'ingest', codeVersion: 'test', now: ms });

  async function lake() {
    const store = new MemoryObjectStore();
    const records: EventRecord[] = [];
    for (let day = 0; day < 12; day++) {
      const morning = DAY0 + day * DAY_MS + 9 * HOUR_MS;
      records.push(login(at(morning + 5 * MIN), 'login', { user_id: 'u1', ip_address: HOME }));
      // u2 moves abroad on day 11: an old hour by the time the lake is enriched.
      const u2 = day < 11 ? HOME : AWAY;
      records.push(login(at(morning + 7 * MIN), 'login', { user_id: 'u2', ip_address: u2 }));
    }
    await writeHours(store, records);
    await watermark(store, X);
    return store;
  }

  /** The hour abroad arrives (without geo, as the rest of the lake). */
  async function abroad(store: MemoryObjectStore) {
    await writeHours(store, [login(at(ABROAD + 30 * MIN), 'login', { user_id: 'u1', ip_address: AWAY })]);
    await watermark(store, ABROAD + HOUR_MS);
  }

  const enrich = (store: ObjectStore) =>
    enrichLake(
      { store, geo },
      { instance: 'default', fromMs: DAY0, toMs: ABROAD + HOUR_MS, nowIso: '2026-10-13T12:00:00.000Z' },
    );

  it('raises the place alerts of the hours evaluated after enrich once, as a fresh run finds them', async () => {
    const store = await lake();
    const first = await alertsRun(store, X + 20 * MIN);
    expect(place(first.raised)).toEqual([]);
    await abroad(store);
    expect((await enrich(store)).hoursRewritten).toBe(13);

    const channel = new RecordingChannel();
    const second = await alertsRun(store, ABROAD + HOUR_MS + 20 * MIN, channel);
    expect(second.raised.map(key)).toEqual([
      `new_country u1 ${lakeTimestamp(ABROAD + 30 * MIN)}`,
      `new_network u1 ${lakeTimestamp(ABROAD + 30 * MIN)}`,
    ]);
    // The lake is 12 days old: the evidence says so rather than "in 30 days".
    expect(second.raised[0]?.evidence).toBe(
      'first login from DE in 12 days of history; previous: US (12 logins)',
    );
    expect(channel.delivered.map(key)).toEqual(second.raised.map(key));

    // Nothing changed: nothing new, nothing sent again.
    const third = await alertsRun(store, ABROAD + HOUR_MS + 35 * MIN, channel);
    expect(third.raised).toEqual([]);
    expect(channel.delivered).toHaveLength(2);

    // A fresh evaluation of the enriched lake finds the same from X on; before X it also finds u2's
    // move of day 11, an hour older than the recheck window when it was enriched: not raised.
    const reference = await alertsRun(fresh(store), ABROAD + HOUR_MS + 20 * MIN);
    const fromX = (alerts: readonly Alert[]) =>
      alerts
        .filter((a) => a.event_time_ms >= X)
        .map(key)
        .sort();
    expect(fromX(reference.raised)).toEqual(fromX([...first.raised, ...second.raised]));
    expect(
      place(reference.raised)
        .filter((a) => a.event_time_ms < X)
        .map((a) => `${a.kind} ${a.user_id}`),
    ).toEqual(['new_country u2', 'new_network u2']);
  });

  it('folds the history again, with a warning, when a digest below the head is gone', async () => {
    const store = await lake();
    await alertsRun(store, X + 20 * MIN);
    await abroad(store);
    await enrich(store);
    // Another run appends after enrich; then enrich's first digest is deleted. Read as the end of
    // the chain, the gap would hide enrich's rewrites from this run and every later one.
    const [gone] = [...store.objects.keys()].filter((k) => k.startsWith(digestPrefix('default'))).sort();
    if (gone === undefined) throw new Error('enrich wrote no digest');
    await appendDigest(store, {
      instance: 'default',
      runId: 'later',
      createdAt: '2026-10-13T13:00:00.000Z',
      objects: [],
      sealed: true,
      fromMs: null,
      head: await readDigestHead(store, 'default'),
    });
    store.objects.delete(gone);
    const warnings: string[] = [];
    const log = {
      ...silentLog,
      warn: (message: string, fields?: object) => warnings.push(`${message} ${JSON.stringify(fields)}`),
    };
    const second = await runAlerts(
      { store, clock: { now: () => ABROAD + HOUR_MS + 20 * MIN }, log, channels: [new RecordingChannel()] },
      { instance: 'default', settings: settings(), runId: 'after-gap' },
    );
    expect(second.raised.map(key)).toEqual([
      `new_country u1 ${lakeTimestamp(ABROAD + 30 * MIN)}`,
      `new_network u1 ${lakeTimestamp(ABROAD + 30 * MIN)}`,
    ]);
    expect(warnings.join('\n')).toMatch(/folding the login history again.*missing from the chain/);
  });

  it('without enrich the same runs raise no place alert (the history has no places)', async () => {
    const store = await lake();
    await alertsRun(store, X + 20 * MIN);
    await abroad(store);
    const second = await alertsRun(store, ABROAD + HOUR_MS + 20 * MIN);
    expect(place(second.raised)).toEqual([]);
  });

  it('evaluates again an hour enriched while still in the recheck window, raising its alerts once', async () => {
    const store = await lake();
    await abroad(store);
    // The hour abroad is evaluated without places...
    const first = await alertsRun(store, ABROAD + HOUR_MS + 20 * MIN);
    expect(place(first.raised).filter((a) => a.event_time_ms >= X)).toEqual([]);
    await enrich(store);
    // ...and again at the next hour, while it is among the last 3 before the watermark.
    await watermark(store, ABROAD + 2 * HOUR_MS);
    const second = await alertsRun(store, ABROAD + 2 * HOUR_MS + 20 * MIN);
    expect(second.raised.map(key)).toEqual([
      `new_country u1 ${lakeTimestamp(ABROAD + 30 * MIN)}`,
      `new_network u1 ${lakeTimestamp(ABROAD + 30 * MIN)}`,
    ]);
    await watermark(store, ABROAD + 3 * HOUR_MS);
    expect((await alertsRun(store, ABROAD + 3 * HOUR_MS + 20 * MIN)).raised).toEqual([]);
  });
});

describe('the reviewer’s case: a simulated lake ingested without geo, then enriched', () => {
  // Three weeks of an 8-user company; the simulator plants its patterns in 2026-10-26..11-02.
  const FROM = Date.parse('2026-10-12T00:00:00Z');
  const TO = Date.parse('2026-11-03T00:00:00Z');
  /** The first alerts run evaluates up to here, before the planted week. */
  const X = Date.parse('2026-10-24T00:00:00Z');
  let beforeEnrich: MemoryObjectStore;

  beforeAll(async () => {
    // No geo database: the lake of an installation from before geo enrichment.
    const { store, ingest } = memoryLake({ seed: 20261026, fromMs: FROM, toMs: TO, placeLogins: false });
    await ingest(X + 15 * MIN);
    await alertsRun(store, X + 20 * MIN);
    await ingest(TO + 15 * MIN);
    beforeEnrich = cloneStore(store);
  }, 60_000);

  it('after enrich, the next run raises the new countries and networks a fresh run finds, once', async () => {
    const store = cloneStore(beforeEnrich);
    const geo = containerGeo(silentLog).geo;
    if (!geo) throw new Error('no geo database: run npm run geo:build');
    const summary = await enrichLake(
      { store, geo },
      { instance: 'default', fromMs: FROM, toMs: TO, nowIso: '2026-11-03T01:00:00.000Z' },
    );
    expect(summary.hoursRewritten).toBeGreaterThan(300);
    const channel = new RecordingChannel();
    const run = await alertsRun(store, TO + 20 * MIN, channel);
    const reference = await alertsRun(fresh(store), TO + 20 * MIN);

    const kinds = (alerts: readonly Alert[]) => place(alerts).map((a) => a.kind);
    expect(kinds(run.raised).filter((k) => k === 'new_country').length).toBeGreaterThanOrEqual(1);
    expect(kinds(run.raised).filter((k) => k === 'new_network').length).toBeGreaterThanOrEqual(1);
    // From X on, exactly what a fresh evaluation of the enriched lake finds, each alert once.
    const fromX = (alerts: readonly Alert[]) =>
      alerts
        .filter((a) => a.event_time_ms >= X)
        .map(key)
        .sort();
    expect(fromX(run.raised)).toEqual(fromX(reference.raised));
    expect(new Set(run.raised.map((a) => a.id)).size).toBe(run.raised.length);

    const again = await alertsRun(store, TO + 35 * MIN, channel);
    expect(again.raised).toEqual([]);
    expect(channel.delivered.map((a) => a.id).sort()).toEqual(run.raised.map((a) => a.id).sort());
  });
});
