import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import { DeliveryRefusedError } from '../../../functions/core/alerts/alert-channel.ts';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { ALERT_METRICS } from '../../../functions/core/alerts/alert-metrics.ts';
import { STALE_SENDING_MS } from '../../../functions/core/alerts/deliver-alerts.ts';
import { isPrivilegedChange } from '../../../functions/core/alerts/privileged-objects.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { type ObjectStore, silentLog } from '../../../functions/core/ports.ts';
import type { AlertSettings } from '../../../functions/core/queries/alert-settings.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import type {
  LockoutBurstPattern,
  NewNetworkPattern,
  UnusualHourPattern,
} from '../../../functions/simulator/index.ts';
import { readLake } from '../../support/lake-contents.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import {
  cloneStore,
  type MemoryLake,
  memoryLake,
  RecordingChannel,
  settings,
} from './support/alert-fixtures.ts';

// Three weeks of an 8-user company; the simulator plants its patterns in 2026-10-26..11-02.
const FROM = Date.parse('2026-10-12T00:00:00Z');
const TO = Date.parse('2026-11-03T00:00:00Z');
const MIN = 60_000;
const hourOf = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

let lake: MemoryLake;
let lockout: LockoutBurstPattern;
/** The lake ingested up to the hour of the planted lockout (its hour not yet complete). */
let beforeLockout: MemoryObjectStore;
/** The same after the next ingest runs, with 3 more hours complete. */
let afterLockout: MemoryObjectStore;
let stepMs: number;

beforeAll(async () => {
  lake = memoryLake({ seed: 20261026, fromMs: FROM, toMs: TO });
  lockout = lake.planted.find((p) => p.kind === 'lockout_burst') as LockoutBurstPattern;
  await lake.ingest(hourOf(lockout.timeMs) + 15 * MIN);
  beforeLockout = cloneStore(lake.store);
  stepMs = hourOf(lockout.timeMs) + 3 * HOUR_MS + 15 * MIN;
  await lake.ingest(stepMs);
  afterLockout = cloneStore(lake.store);
  await lake.ingest(TO + 15 * MIN);
}, 60_000);

function counter() {
  const counts = new Map<string, number>();
  return {
    counts,
    metrics: { count: (name: string, value: number) => counts.set(name, (counts.get(name) ?? 0) + value) },
  };
}

async function run(
  store: ObjectStore,
  nowMs: number,
  channels: RecordingChannel[],
  overrides: Partial<AlertSettings> = {},
) {
  const { counts, metrics } = counter();
  const summary = await runAlerts(
    { store, clock: { now: () => nowMs }, log: silentLog, metrics, channels },
    { instance: 'default', settings: settings(overrides), runId: `run-${nowMs}` },
  );
  return { summary, counts };
}

const ids = (alerts: readonly Alert[]) => alerts.map((a) => a.id);
const key = (a: Alert) => `${a.kind} ${a.user_id} ${a.event_time}`;

describe('runAlerts over a simulated instance (memory store)', () => {
  it('the planted patterns become exactly the expected alerts in their week', async () => {
    const store = cloneStore(lake.store);
    const channel = new RecordingChannel();
    const { summary } = await run(store, TO + 20 * MIN, [channel]);
    const week = summary.raised.filter((a) => a.event_time_ms >= Date.parse('2026-10-26T00:00:00Z'));
    const newNetwork = lake.planted.find((p) => p.kind === 'new_network') as NewNetworkPattern;
    const unusual = lake.planted.find((p) => p.kind === 'unusual_hour') as UnusualHourPattern;
    const burstEnd = lockout.timeMs; // the lockout follows the burst's last failure
    const at = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
    // Every privileged change of the week (the simulated users' access tokens), one alert each.
    const changes = (await readLake(store, 'default')).events
      .filter((e) => isPrivilegedChange(e) && e.event_time_ms >= Date.parse('2026-10-26T00:00:00Z'))
      .map((e) => `privileged_change ${e.user_id} ${e.event_time}`);
    expect(changes.length).toBeGreaterThan(0);
    expect(week.map(key).sort()).toEqual(
      [
        `lockout ${lockout.userId} ${at(lockout.timeMs)}`,
        `new_network ${newNetwork.userId} ${at(newNetwork.timeMs)}`,
        `unusual_hour ${unusual.userId} ${at(unusual.timeMs)}`,
        ...changes,
        ...week.filter((a) => a.kind === 'failed_login_burst').map(key),
        // The planted trip (new country) and stolen password (impossible travel), with what they
        // raise; working hours abroad are unusual hours at home too.
        ...lake.planted.flatMap((p) =>
          p.kind === 'new_country' || p.kind === 'impossible_travel'
            ? p.findings.map((kind) => `${kind} ${p.userId} ${at(p.timeMs)}`)
            : [],
        ),
        ...week
          .filter(
            (a) =>
              a.kind === 'unusual_hour' &&
              lake.planted.some((p) => p.kind === 'new_country' && p.userId === a.user_id),
          )
          .map(key),
      ].sort(),
    );
    expect(new Set(week.map((a) => a.kind))).toEqual(
      new Set([
        'lockout',
        'failed_login_burst',
        'new_network',
        'unusual_hour',
        'new_country',
        'impossible_travel',
        'privileged_change',
      ]),
    );
    const bursts = week.filter((a) => a.kind === 'failed_login_burst');
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toMatchObject({ user_id: lockout.userId });
    expect(bursts[0]?.event_time_ms).toBeLessThan(burstEnd);
    expect(bursts[0]?.event_ids).toHaveLength(5);
    // Scattered single failed logins raise nothing.
    expect(summary.raised.filter((a) => a.kind === 'failed_login_burst')).toHaveLength(1);
    // One message carries every alert of the run; all are older than 24 h, so they are summarised.
    expect(channel.messages).toHaveLength(1);
    expect(ids(channel.delivered).sort()).toEqual(ids(summary.raised).sort());
    // The subject names the rarest kinds that fit (review R-PHONE M5).
    expect(channel.messages[0]?.subject).toBe(
      `Security alerts (default): ${summary.raised.length} earlier, archived: 1 lockout, +${summary.raised.length - 1}`,
    );
    // Every alert is archived once under alerts/instance=default/dt=<date of its event>/.
    const archived = [...store.objects.keys()].filter((k) => k.startsWith('alerts/instance=default/dt='));
    expect(archived.sort()).toEqual(
      summary.raised
        .map((a) => `alerts/instance=default/dt=${a.event_time.slice(0, 10)}/${a.id}.json`)
        .sort(),
    );
  });

  it('reruns, later runs and re-evaluated hours never deliver an alert twice', async () => {
    const store = cloneStore(beforeLockout);
    const channel = new RecordingChannel();
    const first = await run(store, hourOf(lockout.timeMs) + 20 * MIN, [channel]);
    expect(first.summary.raised.some((a) => a.kind === 'lockout' && a.user_id === lockout.userId)).toBe(
      false,
    );
    const again = await run(store, hourOf(lockout.timeMs) + 25 * MIN, [channel]);
    expect(again.summary.raised).toEqual([]);
    for (const [k, v] of afterLockout.objects) if (!k.startsWith('alerts')) store.objects.set(k, v);
    const next = await run(store, stepMs + 5 * MIN, [channel]);
    expect(next.summary.raised.map((a) => a.kind).sort()).toEqual(['failed_login_burst', 'lockout']);
    // The lockout is listed (recent), in one message with the burst (newest first).
    expect(channel.messages.at(-1)?.subject).toBe(
      'Security alerts (default): 1 lockout, 1 failed-login burst',
    );
    // Forget which hours were evaluated: they are evaluated again and nothing is taken twice.
    const stored = await readAlertCheckpoint(store, 'default');
    const checkpoint = { ...stored?.checkpoint, evaluated: {} };
    store.objects.set(alertsStateKey('default', 'checkpoint.json'), {
      body: new TextEncoder().encode(JSON.stringify(checkpoint)),
      etag: '"forgotten"',
    });
    const rerun = await run(store, stepMs + 10 * MIN, [channel]);
    expect(rerun.summary.hoursEvaluated).toBeGreaterThan(0);
    expect(rerun.summary.raised).toEqual([]);
    const delivered = ids(channel.delivered);
    expect(new Set(delivered).size).toBe(delivered.length);
  });

  it('a late lockout in an hour already evaluated is alerted once the lookback re-pull finds it', async () => {
    const store = cloneStore(afterLockout);
    const channel = new RecordingChannel();
    await run(store, stepMs + 5 * MIN, [channel]);
    const lateHour = hourOf(stepMs) - 2 * HOUR_MS;
    lake.source.add({
      timeMs: lateHour + 30 * MIN,
      entry: {
        actionType: 'LOCKED_OUT',
        eventText: 'User locked out',
        userId: '77',
        userName: 'Late Larry',
        time: lateHour + 30 * MIN,
        ipAddress: '192.0.2.1',
      },
    });
    try {
      // The scheduled ingest one hour later re-pulls its lookback hours.
      await lake.ingest(stepMs + HOUR_MS, store);
    } finally {
      lake.source.entries.pop();
    }
    const { summary } = await run(store, stepMs + HOUR_MS + 5 * MIN, [channel]);
    expect(summary.raised.map((a) => `${a.kind} ${a.user_name}`)).toContain('lockout Late Larry');
    const delivered = ids(channel.delivered);
    expect(new Set(delivered).size).toBe(delivered.length);
  });
});

describe('send-once under crashes, retries and lost state (memory store)', () => {
  /** The store after a clean run before the lockout hour, plus the next ingest's hours. */
  async function incremental(): Promise<MemoryObjectStore> {
    const store = cloneStore(beforeLockout);
    await run(store, hourOf(lockout.timeMs) + 20 * MIN, [new RecordingChannel()]);
    for (const [k, v] of afterLockout.objects) if (!k.startsWith('alerts')) store.objects.set(k, v);
    return store;
  }
  const now = () => stepMs + 5 * MIN;

  it('a crash before any one write of a run still ends with each alert delivered once, a second time only marked as a possible repeat', async () => {
    const snapshot = await incremental();
    const reference = cloneStore(snapshot);
    const clean = new RecordingChannel();
    await run(reference, now(), [clean]);
    const expected = ids(clean.delivered).sort();
    expect(expected).toHaveLength(2);
    const writes = reference.puts.length;
    expect(writes).toBeGreaterThanOrEqual(6);
    for (let crashAt = 1; crashAt <= writes; crashAt++) {
      const store = cloneStore(snapshot);
      const channel = new RecordingChannel();
      store.beforePut = (_key, n) => {
        if (n === crashAt) throw new Error(`crash before write ${n}`);
      };
      await expect(run(store, now(), [channel])).rejects.toThrow('crash');
      store.beforePut = undefined;
      await run(store, now() + MIN, [channel]);
      await run(store, now() + MIN + STALE_SENDING_MS, [channel]);
      // A crash between sending and recording leaves the outcome unknown: sent again, marked.
      const unmarked = channel.messages.filter((m) => m.possibleRepeat === undefined);
      const marked = channel.messages.flatMap((m) => m.possibleRepeat?.alertIds ?? []);
      const plain = unmarked.flatMap((m) => ids(m.alerts));
      expect([...new Set(ids(channel.delivered))].sort(), `crash before write ${crashAt}`).toEqual(expected);
      expect(plain.length, `crash before write ${crashAt}`).toBe(new Set(plain).size);
      expect(ids(channel.delivered).length - plain.length).toBe(marked.length);
      const archived = [...store.objects.keys()]
        .filter((k) => k.startsWith('alerts/'))
        .map((k) => k.slice(-37, -5));
      expect(archived.filter((id) => expected.includes(id)).sort()).toEqual(expected);
    }
  });

  it('a refused delivery is retried by the next run, once; an unknown outcome is repeated once, marked', async () => {
    const store = await incremental();
    const refused = new RecordingChannel('sns');
    refused.fail = (attempt) => (attempt === 1 ? new DeliveryRefusedError('throttled') : undefined);
    const unknown = new RecordingChannel('email');
    unknown.fail = (attempt) => (attempt === 1 ? new Error('socket hang up') : undefined);
    const first = await run(store, now(), [refused, unknown]);
    expect(first.summary.deliveries.map((d) => d.status)).toEqual(['refused', 'unknown']);
    expect(first.counts.get(ALERT_METRICS.deliveryFailed)).toBe(2);
    const second = await run(store, now() + 15 * MIN, [refused, unknown]);
    expect(second.summary.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    await run(store, now() + 30 * MIN, [refused, unknown]);
    expect(refused.delivered.map((a) => a.kind).sort()).toEqual(['failed_login_burst', 'lockout']);
    expect(unknown.attempts).toBe(2);
    expect(unknown.messages[0]?.subject).toMatch(/^\[Possible repeat\] /);
    expect(unknown.messages[0]?.possibleRepeat?.alertIds.slice().sort()).toEqual(
      ids(refused.delivered).sort(),
    );
    const checkpoint = (await readAlertCheckpoint(store, 'default'))?.checkpoint;
    expect(checkpoint?.channels.email?.unknown[0]).toMatchObject({
      error: 'socket hang up',
      alert_ids: expect.arrayContaining(ids(refused.delivered)),
    });
    expect(checkpoint?.channels.sns).toMatchObject({ outbox: [], sending: null, delivered: 2, failures: 0 });
  });

  it('a lost login profile is rebuilt from the lake and finds the same alerts', async () => {
    const withProfile = await incremental();
    const without = cloneStore(withProfile);
    without.objects.delete(alertsStateKey('default', 'login-profile.json.gz'));
    const a = await run(withProfile, now(), [new RecordingChannel()]);
    const b = await run(without, now(), [new RecordingChannel()]);
    expect(ids(b.summary.raised)).toEqual(ids(a.summary.raised));
    expect(without.objects.has(alertsStateKey('default', 'login-profile.json.gz'))).toBe(true);
  });

  it('an hourly run reads a fixed number of objects and lists only past the digest chain, whatever the age of the lake', async () => {
    const store = await incremental();
    const counted = { gets: 0, lists: [] as string[] };
    const spy: ObjectStore = {
      location: store.location,
      get: (k) => {
        counted.gets += 1;
        return store.get(k);
      },
      put: (k, b, o) => store.put(k, b, o),
      list: (p, o) => {
        counted.lists.push(`${p} after ${o?.startAfter}`);
        return store.list(p, o);
      },
    };
    const { summary } = await run(spy, now(), [new RecordingChannel()]);
    expect(summary.hoursEvaluated).toBe(3);
    // One listing after the last digest read (S3's StartAfter: one request, nothing listed), which
    // tells the chain's end from a deleted digest.
    expect(counted.lists).toHaveLength(1);
    expect(counted.lists[0]).toMatch(
      /^digest\/instance=default\/ after digest\/instance=default\/\d{10}\.json$/,
    );
    // 2 checkpoints, the profile, per hour (3 + 1 before) its events and coverage, a few rechecks,
    // one archive probe per new alert, and re-reads by the conditional checkpoint writes; plus, to
    // find rewritten hours, the digests the ingest wrote since the last run, the probe past them and
    // the check that the last one read is still there.
    const digests = (s: MemoryObjectStore) =>
      [...s.objects.keys()].filter((k) => k.startsWith('digest/')).length;
    const newDigests = digests(afterLockout) - digests(beforeLockout);
    // An ingest run's digests: its opening, one listing each write before it lands (intents: the
    // hours' events and coverage objects, a few shared), and its seal; none for the lake's age.
    expect(newDigests).toBeLessThanOrEqual(12);
    expect(counted.gets).toBeLessThanOrEqual(20 + newDigests + 2);
  });
});
