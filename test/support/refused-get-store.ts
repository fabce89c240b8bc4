import type { ObjectStore } from '../../functions/core/ports.ts';
import type { VirtualLatencyStore } from './virtual-latency-store.ts';

/**
 * A store over a {@link VirtualLatencyStore} whose GET of one key is refused at once (S3 answers an
 * AccessDenied or a KMS error without reading the object), noting the virtual time each GET starts:
 * what starts after the refusal is what a run already doomed still asked S3 for.
 */
export class RefusedGetStore implements ObjectStore {
  readonly location: string;
  readonly starts: { key: string; atMs: number }[] = [];
  readonly listStarts: { prefix: string; atMs: number }[] = [];
  refusedAtMs: number | undefined;

  constructor(
    private readonly timed: VirtualLatencyStore,
    private readonly refused: string,
  ) {
    this.location = timed.location;
  }

  async get(key: string) {
    this.starts.push({ key, atMs: this.timed.elapsedMs });
    if (key !== this.refused) return this.timed.get(key);
    this.refusedAtMs ??= this.timed.elapsedMs;
    throw new Error(`GET ${key}: Access Denied`);
  }

  put: ObjectStore['put'] = (key, body, options) => this.timed.put(key, body, options);
  list: ObjectStore['list'] = (prefix) => {
    this.listStarts.push({ prefix, atMs: this.timed.elapsedMs });
    return this.timed.list(prefix);
  };

  /** The GETs started at a later time than the refusal. */
  startedAfterRefusal(): string[] {
    const at = this.refusedAtMs;
    return at === undefined ? [] : this.starts.filter((start) => start.atMs > at).map((start) => start.key);
  }

  /** The LISTs started at a later time than the refusal. */
  listedAfterRefusal(): string[] {
    const at = this.refusedAtMs;
    return at === undefined
      ? []
      : this.listStarts.filter((start) => start.atMs > at).map((start) => start.prefix);
  }
}
