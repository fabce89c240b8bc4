import type { ObjectStore } from '../../functions/core/ports.ts';
import type { MemoryObjectStore } from './memory-store.ts';

/**
 * A store whose GETs each take `getMs` of virtual time, in parallel as on S3: GETs started together
 * end together. The clock moves only when every piece of work started so far waits on a GET (the
 * next macrotask), so `elapsedMs` is what the GETs would have cost, however many ran at once.
 */
export class VirtualLatencyStore implements ObjectStore {
  readonly location: string;
  elapsedMs = 0;
  gets = 0;
  mostInFlight = 0;
  private readonly waiting: { at: number; resolve: () => void }[] = [];
  private ticking = false;

  /** `listMs`: the virtual time each LIST takes before its keys (the GETs' by default: none). */
  constructor(
    private readonly lake: MemoryObjectStore,
    private readonly getMs: number,
    private readonly listMs = 0,
  ) {
    this.location = lake.location;
  }

  async get(key: string) {
    this.gets++;
    await this.wait(this.getMs);
    return this.lake.get(key);
  }

  /** Resolves once no GET is waiting: what was started after a failure has run its course. */
  async drained(): Promise<void> {
    while (this.waiting.length > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  put: ObjectStore['put'] = (key, body, options) => this.lake.put(key, body, options);

  async *list(prefix: string): AsyncIterable<string> {
    if (this.listMs > 0) await this.wait(this.listMs);
    yield* this.lake.list(prefix);
  }

  /** Waits `ms` of virtual time; `mostInFlight` counts the LISTs waiting too. */
  private wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push({ at: this.elapsedMs + ms, resolve });
      this.mostInFlight = Math.max(this.mostInFlight, this.waiting.length);
      this.tick();
    });
  }

  private tick(): void {
    if (this.ticking) return;
    this.ticking = true;
    setImmediate(() => {
      this.ticking = false;
      const next = Math.min(...this.waiting.map((wait) => wait.at));
      this.elapsedMs = Math.max(this.elapsedMs, next);
      const done = this.waiting.filter((wait) => wait.at <= this.elapsedMs);
      for (const wait of done) this.waiting.splice(this.waiting.indexOf(wait), 1);
      for (const wait of done) wait.resolve();
      if (this.waiting.length > 0) this.tick();
    });
  }
}
