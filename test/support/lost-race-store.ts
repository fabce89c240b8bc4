import type { PutOptions, StoredObject } from '../../functions/core/ports.ts';
import { MemoryObjectStore } from './memory-store.ts';

/**
 * A memory store that counts GETs, and where the next put of an armed key loses a race: just before
 * it, another writer stores the object again as a new version (its bytes, under a new ETag), so a
 * conditional put of it is refused and the writer decides again on what it reads.
 */
export class LostRaceStore extends MemoryObjectStore {
  /** The keys of every GET, in order. */
  readonly gets: string[] = [];
  private readonly armed = new Set<string>();
  /** The number of GETs answered when each armed key's race was lost, by key. */
  private readonly lostAt = new Map<string, number>();
  private versions = 0;

  /** The next put of each of `keys` loses to another writer; each must be stored by then. */
  arm(...keys: string[]): this {
    for (const key of keys) this.armed.add(key);
    return this;
  }

  override async get(key: string): Promise<StoredObject | undefined> {
    this.gets.push(key);
    return super.get(key);
  }

  override async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<{ etag: string }> {
    if (this.armed.delete(key)) {
      const current = this.objects.get(key);
      if (!current)
        throw new Error(`LostRaceStore: nothing stored at ${key} for another writer to write again`);
      this.objects.set(key, { body: current.body, etag: `"another-writer-${++this.versions}"` });
      this.lostAt.set(key, this.gets.length);
    }
    return super.put(key, body, options);
  }

  /** GETs of `key` since its race was lost. */
  getsSinceLost(key: string): number {
    const at = this.lostAt.get(key);
    if (at === undefined) throw new Error(`LostRaceStore: no race on ${key} was lost`);
    return this.gets.slice(at).filter((got) => got === key).length;
  }
}
