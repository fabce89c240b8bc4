import { type Alert, alertId } from '../../../../functions/core/alerts/alert.ts';
import {
  type AlertCheckpoint,
  type ChannelState,
  emptyChannel,
  newAlertCheckpoint,
  readAlertCheckpoint,
  updateAlertCheckpoint,
} from '../../../../functions/core/alerts/alert-checkpoint.ts';
import type { DeliveryContext } from '../../../../functions/core/alerts/deliver-alerts.ts';
import { alertsStateKey, lakeTimestamp } from '../../../../functions/core/lake/layout.ts';
import { silentLog } from '../../../../functions/core/ports.ts';
import { MemoryObjectStore } from '../../../support/memory-store.ts';
import { RecordingChannel, settings } from './alert-fixtures.ts';

export const INSTANCE = 'acme';
export const NOW = Date.parse('2026-11-18T15:00:00Z');

/** A lockout alert of `instance` at `eventTimeMs`, its id derived from `tag`. */
export function alertAt(tag: string, eventTimeMs: number, instance = INSTANCE): Alert {
  return {
    id: alertId(instance, 'lockout', [tag]),
    instance,
    kind: 'lockout',
    user_id: '42',
    user_name: 'Ann',
    event_time: lakeTimestamp(eventTimeMs),
    event_time_ms: eventTimeMs,
    evidence: `locked out (${tag})`,
    ip_address: '203.0.113.7',
    event_ids: [tag],
  };
}

/** Metric totals by name, and a sink that adds to them. */
export function metricCounter() {
  const counts = new Map<string, number>();
  return {
    counts,
    metrics: { count: (name: string, value: number) => counts.set(name, (counts.get(name) ?? 0) + value) },
  };
}

/** Stores an alerts checkpoint whose channel `name` is `channel` (the rest of a new checkpoint). */
export function storeChannel(store: MemoryObjectStore, name: string, channel: Partial<ChannelState>): void {
  const checkpoint: AlertCheckpoint = {
    ...newAlertCheckpoint(INSTANCE, NOW),
    channels: { [name]: { ...emptyChannel(), ...channel } },
  };
  store.putNow(
    alertsStateKey(INSTANCE, 'checkpoint.json'),
    new TextEncoder().encode(`${JSON.stringify(checkpoint)}\n`),
  );
}

/** A lake whose channel `name` holds `outbox` (nothing else of it set), and a channel of that name recording what it is sent. */
export function channelWithOutbox(
  name: string,
  outbox: ChannelState['outbox'],
): { store: MemoryObjectStore; channel: RecordingChannel } {
  const store = new MemoryObjectStore();
  storeChannel(store, name, { outbox });
  return { store, channel: new RecordingChannel(name) };
}

/** The stored state of channel `name`. */
export async function channelState(
  store: MemoryObjectStore,
  name: string,
): Promise<ChannelState | undefined> {
  return (await readAlertCheckpoint(store, INSTANCE))?.checkpoint.channels[name];
}

/** What deliverChannel needs, at `nowMs`, counting metrics into `counts`. */
export function deliveryContext(
  store: MemoryObjectStore,
  nowMs: number,
  overrides: Partial<DeliveryContext> = {},
): DeliveryContext & { counts: Map<string, number> } {
  const { counts, metrics } = metricCounter();
  return {
    store,
    clock: { now: () => nowMs },
    log: silentLog,
    metrics,
    instance: INSTANCE,
    settings: settings(),
    initial: () => newAlertCheckpoint(INSTANCE, NOW),
    counts,
    ...overrides,
  };
}

/** Adds `alerts` to the outbox of channel `name`, as a later run taking them in does. */
export async function addToOutbox(
  store: MemoryObjectStore,
  name: string,
  alerts: readonly Alert[],
): Promise<void> {
  await updateAlertCheckpoint(
    store,
    INSTANCE,
    () => newAlertCheckpoint(INSTANCE, NOW),
    (checkpoint) => {
      const channel = checkpoint.channels[name] ?? emptyChannel();
      channel.outbox.push(...alerts);
      checkpoint.channels[name] = channel;
      return checkpoint;
    },
  );
}
