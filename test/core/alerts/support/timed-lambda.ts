import type { ListOptions, ObjectStore, PutOptions, StoredObject } from '../../../../functions/core/ports.ts';
import type { MemoryObjectStore } from '../../../support/memory-store.ts';

/** What Lambda throws when an invocation runs past its timeout. */
export const TIMED_OUT = 'Task timed out';

/** A virtual clock with the deadline of the invocation running, past which every request fails. */
export class VirtualClock {
  deadlineMs = Number.POSITIVE_INFINITY;
  constructor(public nowMs: number) {}
  now = (): number => this.nowMs;
  remainingTimeMs = (): number => this.deadlineMs - this.nowMs;
  advanceTo(ms: number): void {
    this.nowMs = Math.max(this.nowMs, ms);
    if (this.nowMs > this.deadlineMs) throw new Error(TIMED_OUT);
  }
}

const PAGE = 1_000;

/**
 * `memory` behind S3-like latency on a {@link VirtualClock}: every request takes `requestMs`, and
 * requests in flight at the same time overlap (sixteen at once take as long as one), as S3's do. A
 * request is applied when it completes, unless that is past the deadline: then it fails, as the
 * invocation would have been stopped. A listing takes one request per page of 1,000 keys.
 */
export class LatencyStore implements ObjectStore {
  readonly location: string;
  requests = 0;
  maxInFlight = 0;
  private inFlight = 0;

  constructor(
    private readonly memory: MemoryObjectStore,
    private readonly clock: VirtualClock,
    private readonly requestMs: number,
  ) {
    this.location = memory.location;
  }

  private async request<T>(apply: () => Promise<T>): Promise<T> {
    const doneMs = this.clock.nowMs + this.requestMs;
    this.requests += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // Every request started before this turn of the event loop has its start time by now.
      await new Promise((resolve) => setImmediate(resolve));
      this.clock.advanceTo(doneMs);
      return await apply();
    } finally {
      this.inFlight -= 1;
    }
  }

  get(key: string): Promise<StoredObject | undefined> {
    return this.request(() => this.memory.get(key));
  }

  put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }> {
    return this.request(() => this.memory.put(key, body, options));
  }

  async *list(prefix: string, _options?: ListOptions): AsyncIterable<string> {
    const keys: string[] = [];
    for await (const key of this.memory.list(prefix)) keys.push(key);
    for (let start = 0; start === 0 || start < keys.length; start += PAGE) {
      yield* await this.request(async () => keys.slice(start, start + PAGE));
    }
  }
}
