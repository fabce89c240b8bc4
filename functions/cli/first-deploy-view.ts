import { alertsPrefix, alertsStatePrefix } from '../core/lake/layout.ts';
import type { ObjectStore, PutOptions, StoredObject } from '../core/ports.ts';

/**
 * The lake as a first deploy of an instance's alerts function finds it. A lake the function already
 * alerts on holds its checkpoint and archive: read through, a local run would resume where the
 * function stopped (ignoring --since) and drop every alert the function archived, so it would list
 * nothing of what it was asked to evaluate.
 */
export class FirstDeployView implements ObjectStore {
  private readonly hidden: readonly string[];

  constructor(
    private readonly lake: ObjectStore,
    instance: string,
  ) {
    this.hidden = [alertsStatePrefix(instance), alertsPrefix(instance)];
  }

  get location(): string {
    return this.lake.location;
  }

  private isHidden(key: string): boolean {
    return this.hidden.some((prefix) => key.startsWith(prefix));
  }

  async get(key: string): Promise<StoredObject | undefined> {
    return this.isHidden(key) ? undefined : this.lake.get(key);
  }

  put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }> {
    return this.lake.put(key, body, options);
  }

  async *list(prefix: string): AsyncIterable<string> {
    for await (const key of this.lake.list(prefix)) if (!this.isHidden(key)) yield key;
  }
}
