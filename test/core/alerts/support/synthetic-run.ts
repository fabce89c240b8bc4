import type { AlertChannel } from '../../../../functions/core/alerts/alert-channel.ts';
import type { Detector } from '../../../../functions/core/alerts/detection.ts';
import { type AlertsRunSummary, runAlerts } from '../../../../functions/core/alerts/run-alerts.ts';
import { checkpointKey } from '../../../../functions/core/lake/layout.ts';
import { silentLog } from '../../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../../functions/core/time-units.ts';
import type { MemoryObjectStore } from '../../../support/memory-store.ts';
import { settings } from './alert-fixtures.ts';
import { alertAt, INSTANCE } from './delivery-fixtures.ts';

/** Alerts runs start here in these tests. */
export const START = Date.parse('2026-11-18T00:00:00Z');

/** One alert in every hour evaluated, half past it: a detector whose findings are known in advance. */
export const hourlyAlert: Detector = (input) => [
  alertAt(`hour-${input.fromMs}`, input.fromMs + HOUR_MS / 2, input.instance),
];

/** Stores the ingest checkpoint with the watermark at `watermarkMs` (the lake itself stays empty). */
export function ingestedUpTo(store: MemoryObjectStore, watermarkMs: number): void {
  const checkpoint = {
    version: 1,
    instance: INSTANCE,
    watermark_ms: watermarkMs,
    watermark: new Date(watermarkMs).toISOString(),
    updated_at: new Date(watermarkMs).toISOString(),
    run_id: 'ingest',
    code_version: 'test',
  };
  store.putNow(checkpointKey(INSTANCE), new TextEncoder().encode(JSON.stringify(checkpoint)));
}

/** An alerts run at `nowMs` with {@link hourlyAlert}, starting at {@link START} when it is the first. */
export function alertsRun(
  store: MemoryObjectStore,
  nowMs: number,
  channels: readonly AlertChannel[],
  recheckHours = 3,
): Promise<AlertsRunSummary> {
  return runAlerts(
    { store, clock: { now: () => nowMs }, log: silentLog, channels, detectors: [hourlyAlert] },
    { instance: INSTANCE, settings: settings({ recheckHours }), runId: `run-${nowMs}`, startMs: START },
  );
}
