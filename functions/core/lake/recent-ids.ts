import { HOUR_MS } from '../time-units.ts';
import { RepeatedHourTwins } from './repeated-hour-twins.ts';

/**
 * How far apart two hours holding the same id are still looked for. An event's id hashes its entry,
 * time included, so the same id in two hours is one entry stored twice: what a time read in the
 * wrong zone (at most 26 hours off) and then read in the right one leaves. A day keeps memory to a
 * day of ids whatever the lake's size.
 */
export const ACROSS_HOURS_MS = 26 * HOUR_MS;

/** The event ids of the hours checked within {@link ACROSS_HOURS_MS} of the current one. */
export class RecentIds {
  /** The repeated hour's twins among the ids held in two hours. */
  readonly twins = new RepeatedHourTwins();
  private readonly hours = new Map<number, Set<string>>();
  /** Each id's newest hour and its time there, for the hours kept. */
  private readonly heldAt = new Map<string, { hour: number; timeMs: number }>();

  /** Another hour kept that holds `id`, and its time there, if one does. */
  heldBefore(id: string, startMs: number): { hour: number; timeMs: number } | undefined {
    const held = this.heldAt.get(id);
    return held !== undefined && held.hour !== startMs ? held : undefined;
  }

  keep(startMs: number, ids: ReadonlyMap<string, number>): void {
    for (const [hour, held] of this.hours) {
      if (hour > startMs - ACROSS_HOURS_MS) continue;
      for (const id of held) if (this.heldAt.get(id)?.hour === hour) this.heldAt.delete(id);
      this.hours.delete(hour);
    }
    this.hours.set(startMs, new Set(ids.keys()));
    // The newest hour holding an id: when the oldest copy's hour is let go, the later copies still
    // count a further one within a day of them.
    for (const [id, timeMs] of ids) this.heldAt.set(id, { hour: startMs, timeMs });
  }
}
