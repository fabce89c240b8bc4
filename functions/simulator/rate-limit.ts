/**
 * A server-side request rate limit: at most `perSecond` requests accepted in any sliding second;
 * a request above it is refused (the caller answers 429) and does not count. This is how an API
 * holding a client to a rate behaves, unlike `rate429`, which refuses requests at random.
 */
export class RateLimitWindow {
  private readonly accepted: number[] = [];

  constructor(private readonly perSecond: number) {
    if (!(Number.isFinite(perSecond) && perSecond > 0)) {
      throw new RangeError(`faults.rateLimitPerSecond must be a positive number, got ${perSecond}`);
    }
  }

  /** Whether a request arriving at `nowMs` is accepted; accepted ones count against the limit. */
  admit(nowMs: number): boolean {
    while (this.accepted.length > 0 && (this.accepted[0] as number) <= nowMs - 1000) this.accepted.shift();
    if (this.accepted.length >= this.perSecond) return false;
    this.accepted.push(nowMs);
    return true;
  }
}
