/**
 * Alerts enabled on a months-old lake (or a corrupt checkpoint deleted, as its error advises) take in
 * thousands of alerts at once (here 120 days, one alert an hour: more than a run may evaluate). On S3-like latency inside a 5-minute Lambda, checking and archiving
 * them one request after another, with the archive list trimmed only once all were written, timed
 * out in every run, kept no progress, and no alert was ever delivered again.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import type { Detector } from '../../../functions/core/alerts/detection.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { activityKey, alertsPrefix, alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { cloneStore, RecordingChannel, settings } from './support/alert-fixtures.ts';
import { DOCUMENTED_CONCURRENCY } from './support/archive-backlog.ts';
import { alertAt, INSTANCE } from './support/delivery-fixtures.ts';
import { ingestedUpTo } from './support/synthetic-run.ts';
import { LatencyStore, TIMED_OUT, VirtualClock } from './support/timed-lambda.ts';

const DAY_MS = 24 * HOUR_MS;
const LAKE_START = Date.parse('2026-08-01T00:00:00Z');
const DAYS = 120;
const WATERMARK = LAKE_START + DAYS * DAY_MS;
const REQUEST_MS = 40;
const TIMEOUT_MS = 5 * 60_000;
const SCHEDULE_MS = 15 * 60_000;

/** One lockout a minute into every hour evaluated. */
const hourly: Detector = (input) => [alertAt(`hour-${input.fromMs}`, input.fromMs + 60_000, input.instance)];

const archivedCount = (memory: MemoryObjectStore): number =>
  [...memory.objects.keys()].filter((key) => key.startsWith(alertsPrefix(INSTANCE))).length;

/** Alerts runs every 15 minutes, each a Lambda invocation stopped after 5 minutes. */
async function scheduledRuns(
  memory: MemoryObjectStore,
  clock: VirtualClock,
  channel: RecordingChannel,
  runs: number,
) {
  const outcomes: string[] = [];
  let maxInFlight = 0;
  for (let run = 0; run < runs; run++) {
    const startMs = clock.nowMs;
    clock.deadlineMs = startMs + TIMEOUT_MS;
    const store = new LatencyStore(memory, clock, REQUEST_MS);
    try {
      await runAlerts(
        {
          store,
          clock,
          log: silentLog,
          channels: [channel],
          detectors: [hourly],
          remainingTimeMs: clock.remainingTimeMs,
        },
        { instance: INSTANCE, settings: settings(), runId: `run-${startMs}` },
      );
      outcomes.push('ok');
    } catch (error) {
      if ((error as Error).message !== TIMED_OUT) throw error;
      outcomes.push('timed out');
    }
    maxInFlight = Math.max(maxInFlight, store.maxInFlight);
    clock.deadlineMs = Number.POSITIVE_INFINITY;
    clock.nowMs = startMs + SCHEDULE_MS;
  }
  return { outcomes, maxInFlight };
}

/** A lake of {@link DAYS} days whose alerts the first runs have all taken in, archived and delivered. */
async function caughtUp() {
  const memory = new MemoryObjectStore();
  ingestedUpTo(memory, WATERMARK);
  memory.putNow(activityKey(INSTANCE, LAKE_START), encodeNdjsonGzip([]));
  const clock = new VirtualClock(WATERMARK + 20 * 60_000);
  const channel = new RecordingChannel('sns');
  const runs = await scheduledRuns(memory, clock, channel, 6);
  return { memory, clock, channel, ...runs };
}

/**
 * The lake once the first runs have caught up, built once for the file (the six runs over 120 days
 * are most of its time): each test goes on from its own copy of the lake, clock and channel.
 */
let caught: Awaited<ReturnType<typeof caughtUp>>;
beforeAll(async () => {
  caught = await caughtUp();
}, 120_000);

/** A test's own copy of {@link caught}: what a fresh `caughtUp()` gives. */
function caughtUpCopy() {
  const channel = new RecordingChannel(caught.channel.name);
  channel.messages.push(...caught.channel.messages);
  channel.attempts = caught.channel.attempts;
  return {
    ...caught,
    memory: cloneStore(caught.memory),
    clock: new VirtualClock(caught.clock.nowMs),
    channel,
  };
}

describe('a first alerts run over 120 days of lake, on S3 latency in a 5-minute Lambda', () => {
  it('archives the backlog within a few runs and then delivers a fresh lockout', async () => {
    const { memory, clock, channel, outcomes, maxInFlight } = caughtUpCopy();
    const checkpoint = (await readAlertCheckpoint(memory, INSTANCE))?.checkpoint;
    expect(outcomes).not.toContain('timed out');
    // The figure docs/alerts.md promises, not the code's own constant (which would agree with any value).
    expect(maxInFlight).toBe(DOCUMENTED_CONCURRENCY);
    expect(checkpoint?.next_hour_ms).toBe(WATERMARK);
    expect(checkpoint?.archive).toEqual([]);
    expect(archivedCount(memory)).toBe(DAYS * 24);
    // Each alert once: carried by a message, or (past the outbox's cap) only counted in one.
    const folded = channel.messages.reduce((n, m) => n + (m.folded ?? 0), 0);
    expect(channel.delivered.length + folded).toBe(DAYS * 24);
    expect(new Set(channel.delivered.map((a) => a.id)).size).toBe(channel.delivered.length);
    // One summary per run that evaluated part of the lake: counted, not listed, in a few messages.
    expect(channel.messages.length).toBeGreaterThan(1);
    expect(channel.messages.length).toBeLessThanOrEqual(6);

    // The ingest completes one more hour: its lockout is listed in the next run's message.
    ingestedUpTo(memory, WATERMARK + HOUR_MS);
    const sent = channel.messages.length;
    await scheduledRuns(memory, clock, channel, 1);
    expect(channel.messages.slice(sent).map((m) => m.subject)).toEqual([
      `Security alerts (${INSTANCE}): 1 lockout`,
    ]);
    expect(channel.messages.at(-1)?.alerts.map((a) => a.event_time_ms)).toEqual([WATERMARK + 60_000]);
    expect(archivedCount(memory)).toBe(DAYS * 24 + 1);
    expect(memory.objects.has(alertsStateKey(INSTANCE, 'checkpoint.json'))).toBe(true);
  }, 120_000);

  it('after the checkpoint is deleted, evaluates the lake again and sends nothing twice', async () => {
    const { memory, clock, channel } = caughtUpCopy();
    const sent = channel.messages.length;
    // What the corrupt-checkpoint error tells operators to do.
    memory.objects.delete(alertsStateKey(INSTANCE, 'checkpoint.json'));
    const { outcomes } = await scheduledRuns(memory, clock, channel, 5);
    expect(outcomes).not.toContain('timed out');
    expect((await readAlertCheckpoint(memory, INSTANCE))?.checkpoint.next_hour_ms).toBe(WATERMARK);
    expect(channel.messages.length).toBe(sent);
    expect(archivedCount(memory)).toBe(DAYS * 24);
  }, 120_000);
});
