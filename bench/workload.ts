import { HOUR_MS } from '../functions/core/time-units.ts';
import { generateInstance, type SimEvent } from '../functions/simulator/index.ts';

/** A synthetic instance of an exact size: `events` events spread over `hours` hours ending at `toMs`. */
export interface WorkloadSpec {
  events: number;
  hours: number;
  toMs: number;
  seed: number;
}

// The generator makes about 40 events per user and calendar day (weekends are quiet); aim a bit
// above the target, then thin evenly to the exact count.
const EVENTS_PER_USER_HOUR = 35 / 24;

export const workloadFromMs = (spec: WorkloadSpec): number => spec.toMs - spec.hours * HOUR_MS;

/** Exactly `spec.events` events of the seeded synthetic company, in time order. */
export function workloadEvents(spec: WorkloadSpec): SimEvent[] {
  const fromMs = workloadFromMs(spec);
  let users = Math.max(4, Math.ceil(spec.events / (spec.hours * EVENTS_PER_USER_HOUR)));
  for (;;) {
    const { events } = generateInstance({ seed: spec.seed, fromMs, toMs: spec.toMs, users });
    if (events.length >= spec.events) return thin(events, spec.events);
    users = Math.ceil((users * spec.events * 1.1) / Math.max(1, events.length));
  }
}

/** Keeps `count` of `events`, evenly spaced, so the time profile of the day stays the same. */
function thin<T>(events: readonly T[], count: number): T[] {
  const kept: T[] = [];
  for (let i = 0; i < count; i++) kept.push(events[Math.floor((i * events.length) / count)] as T);
  return kept;
}
