/**
 * A late failure that moves a burst earlier, through two alerts runs: the first run sends the
 * burst and records it in the checkpoint (when it was raised, the addresses of its window); the
 * run that rechecks the hour the failure landed in finds the attack raised by other failures,
 * under other ids (the moved burst, and a second one its move lets the same attack's address
 * raise), and sends neither again (review rv34h). A late failure from an address no alert named
 * is still sent.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { writeCoverage } from '../../../functions/core/lake/coverage.ts';
import type { CoverageManifest } from '../../../functions/core/lake/coverage-manifest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel, settings } from './support/alert-fixtures.ts';
import { failure } from './support/bursts-hour-by-hour.ts';
import { INSTANCE } from './support/delivery-fixtures.ts';
import { ingestedUpTo } from './support/synthetic-run.ts';

const H = Date.parse('2026-11-18T14:00:00Z');
const at = (hms: string, ip: string) => failure(Date.parse(`2026-11-18T${hms}Z`), ip);
const [A, B, C, D] = ['198.51.100.2', '203.0.113.9', '10.0.0.6', '192.0.2.8'];

// Five failures from four addresses raise a burst at 14:41:06; D goes on failing, in its window.
const attack = [
  ...[
    ['14:33:59', A],
    ['14:35:46', B],
    ['14:37:50', C],
    ['14:39:45', A],
  ].map(([t, ip]) => at(t as string, ip as string)),
  ...['14:41:06', '14:43:12', '14:45:10', '14:46:31', '14:47:52'].map((t) => at(t, D)),
];

/** A lake whose hour 14:00 is rewritten as the ingest's lookback would, and alerts runs over it. */
function alertsLake() {
  const store = new MemoryObjectStore();
  ingestedUpTo(store, H + 2 * HOUR_MS);
  const channel = new RecordingChannel();
  return {
    store,
    channel,
    /** 14:00 as the ingest stores it: the events and the coverage manifest whose hash the recheck compares. */
    hour: async (events: readonly EventRecord[], hash: string) => {
      await store.put(activityKey(INSTANCE, H), encodeNdjsonGzip(events));
      await writeCoverage(store, INSTANCE, coverage(hash));
    },
    run: (nowMs: number) =>
      runAlerts(
        { store, clock: { now: () => nowMs }, log: silentLog, channels: [channel] },
        { instance: INSTANCE, settings: settings(), runId: `run-${nowMs}`, startMs: H },
      ),
  };
}

async function runs(late: EventRecord) {
  const { store, channel, hour, run } = alertsLake();
  await hour(attack, 'first');
  const first = await run(H + 2 * HOUR_MS + 5 * 60_000);
  const recorded = (await readAlertCheckpoint(store, INSTANCE))?.checkpoint.bursts;
  await hour([...attack, late], 'with-the-late-failure'); // the ingest's lookback pulls 14:00 again
  const second = await run(H + 3 * HOUR_MS + 5 * 60_000);
  return { first: first.raised, recorded, second: second.raised, delivered: channel.delivered };
}

const coverage = (hash: string): CoverageManifest => ({
  window_start_ms: H,
  window_end_ms: H + HOUR_MS,
  window_start: new Date(H).toISOString(),
  event_count: 0,
  quarantined_count: 0,
  out_of_window_count: 0,
  pages: 1,
  requests: 1,
  content_hash: hash,
  fetch_count: 1,
  late_events: 0,
  late_events_total: 0,
  first_fetched_at: new Date(H).toISOString(),
  fetched_at: new Date(H).toISOString(),
  code_version: 'test',
  run_id: 'ingest',
});

const times = (alerts: readonly Alert[]) => alerts.map((a) => a.event_time.slice(11, 19));

describe('alerts runs: a late failure that moves a burst', () => {
  it('the recheck sends neither the moved burst nor the one its move raises', async () => {
    const { first, recorded, second, delivered } = await runs(at('14:37:08', B));
    expect(times(first)).toEqual(['14:41:06']);
    // Without the record: 14:39:45 (five in its window with the late failure, no new address),
    // then 14:47:52 (D's five, new since that burst), both sent again.
    expect(times(second)).toEqual([]);
    // The checkpoint's record of it: 77 bytes of JSON for this user.
    expect(recorded).toEqual({ 'id:u1': [[Date.parse('2026-11-18T14:41:06Z'), A, B, C, D]] });
    expect(times(delivered)).toEqual(['14:41:06']);
  });

  it('a late failure from an address no alert named is sent', async () => {
    const { second } = await runs(at('14:37:08', '73.1.1.1'));
    // 14:47:52 (D's five) is not: the 14:41:06 alert named D.
    expect(times(second)).toEqual(['14:39:45']);
    expect(second[0]?.evidence).toContain('73.1.1.1');
  });

  it('two late failures in two runs: a burst sent again for a new address is not sent a third time without one', async () => {
    const [X, Y, Z] = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];
    const base = [
      ...['14:30:00', '14:31:00', '14:32:00', '14:33:00', '14:34:00'].map((t) => at(t, X)),
      ...['14:36:00', '14:37:00', '14:38:00', '14:39:00', '14:40:00'].map((t) => at(t, Y)),
    ];
    const lake = alertsLake();
    const { channel, hour } = lake;
    const run = async (nowMs: number) => (await lake.run(nowMs)).raised;
    await hour(base, 'first');
    expect(times(await run(H + 2 * HOUR_MS + 5 * 60_000))).toEqual(['14:34:00', '14:40:00']);
    await hour([...base, at('14:38:30', Z)], 'late-1');
    // Z is new to the 14:40 burst: sent again, naming it.
    const second = await run(H + 2 * HOUR_MS + 20 * 60_000);
    expect(times(second)).toEqual(['14:40:00']);
    expect(second[0]?.evidence).toContain(Z);
    await hour([...base, at('14:38:30', Z), at('14:35:30', X)], 'late-2');
    // X, Y and Z were all named by then: nothing new to send (the record had kept only X and Y).
    expect(times(await run(H + 2 * HOUR_MS + 35 * 60_000))).toEqual([]);
    expect(times(channel.delivered)).toEqual(['14:34:00', '14:40:00', '14:40:00']);
  });
});
