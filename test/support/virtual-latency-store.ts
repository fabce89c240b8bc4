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

  constructor(
    private readonly lake: MemoryObjectStore,
    private readonly getMs: number,
  ) {
    this.location = lake.location;
  }

  async get(key: string) {
    this.gets++;
    await new Promise<void>((resolve) => {
      this.waiting.push({ at: this.elapsedMs + this.getMs, resolve });
      this.mostInFlight = Math.max(this.mostInFlight, this.waiting.length);
      this.tick();
    });
    return this.lake.get(key);
  }

  /** Resolves once no GET is waiting: what was started after a failure has run its course. */
  async drained(): Promise<void> {
    while (this.waiting.length > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  put: ObjectStore['put'] = (key, body, options) => this.lake.put(key, body, options);
  list: ObjectStore['list'] = (prefix) => this.lake.list(prefix);

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
