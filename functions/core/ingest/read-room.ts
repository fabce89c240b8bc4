import { HOUR_MS } from '../time-units.ts';
import { EventBudget, type EventShare } from './event-budget.ts';
import type { Span } from './span-plan.ts';

/**
 * The memory the run's reads of Domo share. Each span in flight (reading, or storing what it read)
 * holds a seat, and may hold its share of the entries' memory (`maxHeldChars`, a third of the
 * memory shared by the seats). A read past its share takes the whole room and goes on with what
 * one read may hold when it is the only one (`maxHeldCharsAlone`, a sixth of the memory): at once
 * when its span is the only one in flight (on a busy day the budget of entries in flight mostly
 * runs busy spans one at a time already), else its span fails for now, and once every span in
 * flight has stored its hours and ended, its hours not stored are read again alone; the spans
 * after it wait meanwhile. So a concurrency too high for the memory costs time and requests on
 * busy hours, not their failure (review R-BIG H1: at 1,024 MB and concurrency 8, 5 of 6 busy
 * hours of a simulated 1M-event day failed on every run), and the reads never hold more together
 * than the seats' shares, or one lone read.
 *
 * A seat is taken last, after the span's turn to read and its share of the entries in flight: a
 * span waiting for the room holds neither of those in its way, and the spans ahead of it in the
 * room hold seats only, which they give back as they end. Widening never waits, so two reads past
 * their shares cannot wait for each other.
 */
export class ReadRoom {
  private readonly seats: EventBudget;

  /** `spans`: the most spans the run has in flight at once (each holds one seat). */
  constructor(spans: number) {
    this.seats = new EventBudget(spans);
  }

  /** A span's seat: at once, unless an hour is read alone (or waits to be). */
  seat(): Promise<EventShare> {
    return this.seats.take(1);
  }

  /** Every seat: once the spans in flight have ended; the spans after wait until it is given back. */
  whole(): Promise<EventShare> {
    return this.seats.take(this.seats.capacity);
  }

  /**
   * Makes `seat` (one seat) the whole room at once, when it is the only seat taken and nobody waits:
   * a read past its share that has the run to itself goes on, rather than fail and be read again.
   * Whether it did; the spans that come after wait until the seat is given back.
   */
  widen(seat: EventShare): boolean {
    if (this.seats.inUse !== 1 || this.seats.queued > 0) return false;
    seat.resize(this.seats.capacity);
    return true;
  }
}

/** The hours of `span` not in `stored`, as runs of consecutive hours, oldest first. */
export function hoursLeft(span: Span, stored: ReadonlySet<number>): Span[] {
  const left: Span[] = [];
  for (let ms = span.startMs; ms < span.endMs; ms += HOUR_MS) {
    if (stored.has(ms)) continue;
    const last = left[left.length - 1];
    if (last !== undefined && last.endMs === ms) last.endMs = ms + HOUR_MS;
    else left.push({ startMs: ms, endMs: ms + HOUR_MS });
  }
  return left;
}
