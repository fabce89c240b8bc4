import type { Clock, ObjectStore, PutOptions, StoredObject } from '../ports.ts';
import {
  appendDigest,
  type DigestEntry,
  type DigestLink,
  type DigestSigner,
  digestScopePrefixes,
  inDigestScope,
  recordsOf,
  sha256Hex,
} from './digest.ts';
import { checkpointKey } from './layout.ts';

export interface DigestRecorderOptions {
  instance: string;
  runId: string;
  clock: Clock;
  signer?: DigestSigner;
}

interface Seen {
  sha256: string;
  bytes: number;
  records: number | null;
}

const seenOf = (key: string, body: Uint8Array): Seen => ({
  sha256: sha256Hex(body),
  bytes: body.byteLength,
  records: recordsOf(key, body),
});

/**
 * An {@link ObjectStore} decorator that records what one ingest run reads and writes in the
 * instance's tables, and appends it to the digest chain:
 * - before every checkpoint write, so the watermark never moves past hours no digest lists (a run
 *   that dies before its digest leaves those hours to be pulled again, and that run's digest then
 *   records their bytes as `read`);
 * - when the run ends ({@link DigestRecorder.seal}).
 * A flush with nothing written since the last one writes no digest.
 */
export class DigestRecorder implements ObjectStore {
  readonly location: string;
  private readonly checkpoint: string;
  /** What this run last saw of each key (read or written). */
  private readonly seen = new Map<string, Seen>();
  /** Keys this run wrote, ever (their reads are not attested separately). */
  private readonly written = new Set<string>();
  /** Keys already listed in one of this run's digests. */
  private readonly recorded = new Set<string>();
  private pending = new Map<string, DigestEntry>();
  private head?: { sequence: number; link: DigestLink };
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly inner: ObjectStore,
    private readonly options: DigestRecorderOptions,
  ) {
    this.location = inner.location;
    this.checkpoint = checkpointKey(options.instance);
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const found = await this.inner.get(key);
    if (found && inDigestScope(this.options.instance, key)) this.seen.set(key, seenOf(key, found.body));
    return found;
  }

  async put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }> {
    if (key === this.checkpoint) await this.flush();
    if (!inDigestScope(this.options.instance, key)) return this.inner.put(key, body, options);
    const replaced = options?.ifMatch !== undefined ? (this.seen.get(key)?.sha256 ?? null) : null;
    const result = await this.inner.put(key, body, options);
    const now = seenOf(key, body);
    this.seen.set(key, now);
    this.written.add(key);
    // Written twice before a flush: keep the version the first write replaced, so the chain still
    // says which recorded version is no longer current.
    const earlier = this.pending.get(key);
    this.pending.set(key, { key, ...now, how: 'write', replaced: earlier ? earlier.replaced : replaced });
    return result;
  }

  list(prefix: string): AsyncIterable<string> {
    return this.inner.list(prefix);
  }

  /** Appends what was written since the last digest (with the reads not yet listed). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow());
    return this.flushing;
  }

  /** The end of the run: one last flush. */
  seal(): Promise<void> {
    return this.flush();
  }

  private async flushNow(): Promise<void> {
    if (this.pending.size === 0) return;
    const writes = [...this.pending.values()];
    const reads: DigestEntry[] = [];
    for (const [key, seen] of this.seen) {
      if (!this.written.has(key) && !this.recorded.has(key)) reads.push({ key, ...seen, how: 'read' });
    }
    const objects = [...writes, ...reads].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.head = await appendDigest(this.inner, {
      instance: this.options.instance,
      runId: this.options.runId,
      createdAt: new Date(this.options.clock.now()).toISOString(),
      objects,
      head: this.head,
      signer: this.options.signer,
      adopt: () => this.adoptExisting(),
    });
    for (const entry of objects) {
      this.recorded.add(entry.key);
      if (this.pending.get(entry.key) === entry) this.pending.delete(entry.key);
    }
  }

  /** For a lake with no chain yet: everything already in the instance's tables this run did not touch. */
  private async adoptExisting(): Promise<DigestEntry[]> {
    const adopted: DigestEntry[] = [];
    for (const prefix of digestScopePrefixes(this.options.instance)) {
      for await (const key of this.inner.list(prefix)) {
        if (this.seen.has(key)) continue;
        const found = await this.inner.get(key);
        if (found) adopted.push({ key, ...seenOf(key, found.body), how: 'adopt' });
      }
    }
    return adopted;
  }
}
