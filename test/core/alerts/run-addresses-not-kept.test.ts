/**
 * The addresses an alert carries for the expected-activity list (alert-addresses.ts) are judged
 * when it is taken in and never stored: not in the checkpoint (its outbox and archive list would
 * grow by up to 2 KB an alert) nor in the archive (review R-MUTE2 F).
 */
import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { alertAddresses } from '../../../functions/core/alerts/alert-addresses.ts';
import { detectFailedLoginBursts } from '../../../functions/core/alerts/detect-failed-logins.ts';
import type { DetectionInput } from '../../../functions/core/alerts/detection.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { recordingLog } from '../../support/recording-log.ts';
import { RecordingChannel, record, settings } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-18T09:00:00Z');

/** A stand-in for the sign-in detector: an alert with its addresses, as a sign-in alert carries them. */
const withAddresses = (input: DetectionInput) =>
  detectFailedLoginBursts(input).map((alert) => ({
    ...alert,
    kind: 'new_network' as const,
    ...alertAddresses(input.events),
  }));

const text = (key: string, bytes: Uint8Array): string =>
  (key.endsWith('.gz') ? gunzipSync(bytes) : Buffer.from(bytes)).toString('utf8');

it('stores no alert addresses in the checkpoint or the archive', async () => {
  const store = new MemoryObjectStore();
  const failures = Array.from({ length: 8 }, (_, i) =>
    record({ category: 'login_failed', event_time_ms: H + i * 30_000, user_id: '42', ip_address: '6.6.6.6' }),
  );
  await store.put(activityKey('acme', H), encodeNdjsonGzip(failures));
  const now = H + HOUR_MS + 600_000;
  await advanceCheckpoint(store, 'acme', { watermarkMs: H + HOUR_MS, runId: 'i1', codeVersion: 'test', now });
  // A channel that refuses keeps the alerts in the checkpoint's outbox.
  const channel = new RecordingChannel('sns');
  channel.fail = () => new Error('refused');
  const deps = {
    ...{ store, clock: { now: () => now }, log: recordingLog().log, channels: [channel] },
    detectors: [withAddresses],
  };
  const run = await runAlerts(deps, { instance: 'acme', settings: settings(), runId: 'r1' });
  expect(run.raised.map((a) => a.kind)).toContain('new_network');
  expect(run.raised[0]?.addresses).toEqual([{ ip: '6.6.6.6' }]);
  const stored = [...store.objects].filter(([key]) => key.includes('alert'));
  expect(
    stored.some(
      ([key, object]) => key.endsWith('checkpoint.json') && text(key, object.body).includes('outbox'),
    ),
  ).toBe(true);
  for (const [key, object] of stored) expect(text(key, object.body), key).not.toContain('"addresses"');
});
