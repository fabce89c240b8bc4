/**
 * How many fetched entries the spans in flight may hold together. A span holds its entries until
 * its hours are stored, and a span is at least one hour, so on a busy instance `concurrency` spans
 * of one dense hour each hold `concurrency` x that hour's events: memory that grew with the
 * instance's events per hour, not with any setting. Spans therefore take a share of this budget
 * before they fetch (what they are expected to hold) and give it back as their hours are stored.
 *
 * A span expecting more than the whole budget takes all of it: it runs alone rather than never.
 * Waiting spans are served in order, so a big span is not starved by small ones.
 */
export class EventBudget {
  private held = 0;
  private readonly waiting: { events: number; grant: () => void }[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`EventBudget: capacity must be a positive integer, got ${capacity}`);
    }
  }

  /** Entries currently held by the shares handed out. */
  get inUse(): number {
    return this.held;
  }

  /** Takers waiting for their share. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Waits until `expected` entries (at most the capacity) fit beside those held, then holds them. */
  async take(expected: number): Promise<EventShare> {
    const events = Math.min(this.capacity, Math.max(0, Math.ceil(expected)));
    if (this.waiting.length > 0 || !this.fits(events)) {
      await new Promise<void>((grant) => this.waiting.push({ events, grant }));
    } else {
      this.held += events;
    }
    return new EventShare(this, events);
  }

  /** @internal Moves a share's holding from `from` to `to` entries, then lets waiting spans in. */
  change(from: number, to: number): void {
    this.held += to - from;
    for (let next = this.waiting[0]; next && this.fits(next.events); next = this.waiting[0]) {
      this.waiting.shift();
      this.held += next.events;
      next.grant();
    }
  }

  private fits(events: number): boolean {
    return this.held === 0 || this.held + events <= this.capacity;
  }
}

/** One span's holding in an {@link EventBudget}: resized as its entries arrive and are stored. */
export class EventShare {
  private released = false;

  constructor(
    private readonly budget: EventBudget,
    private events: number,
  ) {}

  /** The span now holds `events` entries (may exceed the capacity: what was fetched is held). */
  resize(events: number): void {
    if (this.released) return;
    const to = Math.max(0, events);
    this.budget.change(this.events, to);
    this.events = to;
  }

  /** The span holds nothing any more. Idempotent. */
  release(): void {
    this.resize(0);
    this.released = true;
  }
}
