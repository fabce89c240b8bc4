import type { ObjectStore, ObjectVersion, StoredObject } from '../ports.ts';
import { sha256Hex } from './digest.ts';
import { type KnownVersion, knownSha256 } from './known-versions.ts';

/** An object's version as a read gave it: its id and ETag (its bytes' SHA-256 is kept apart). */
export interface ReadVersion {
  versionId: string;
  etag: string;
}

/**
 * How many objects the check read, and how many it took by a version an earlier check read;
 * `rereadInTurn`, when a share is re-read ({@link RereadShare}): those of `read` that could have
 * been taken, read as their share's turn came.
 */
export interface ObjectsTaken {
  taken: number;
  read: number;
  rereadInTurn?: number;
  rereadShare?: RereadShare;
}

/** Of `of` shares of the keys (by their SHA-256), the one (`turn`, 0 to `of` - 1) read this time. */
export interface RereadShare {
  of: number;
  turn: number;
}

/** The share of `of` a key is in: the first 32 bits of its SHA-256, modulo `of`. */
export const shareOf = (key: string, of: number): number =>
  Number.parseInt(sha256Hex(new TextEncoder().encode(key)).slice(0, 8), 16) % of;

/**
 * Where the objects check gets the SHA-256 of each object: from what was read already, from a
 * version an earlier check read that is still the current one (no GET), or from a GET. It keeps
 * the version each sha256 belongs to, as the GET that read the bytes named it (never the listing:
 * a write between the listing and the GET would pair the listed id with other bytes), for the next
 * check to take.
 */
export class ObjectSha256Source {
  /** The version each object found holds, with its bytes' SHA-256, where the store named it. */
  readonly seen = new Map<string, KnownVersion>();
  readonly counts: ObjectsTaken = { taken: 0, read: 0 };

  constructor(
    private readonly store: ObjectStore,
    private readonly options: {
      current?: ReadonlyMap<string, ObjectVersion>;
      known?: ReadonlyMap<string, KnownVersion>;
      /** The versions of the objects read before the check, by key (their sha256 is the caller's). */
      readVersions?: ReadonlyMap<string, ReadVersion>;
      reread?: RereadShare;
    } = {},
  ) {
    if (options.reread) Object.assign(this.counts, { rereadInTurn: 0, rereadShare: options.reread });
  }

  /** The sha256 an object read before the check has (`sha256`): counted as read, its version kept. */
  readBefore(key: string, sha256: string): string {
    this.counts.read++;
    const version = this.options.readVersions?.get(key);
    if (version !== undefined) this.seen.set(key, { key, ...version, sha256 });
    return sha256;
  }

  /** The sha256 of the version a key holds, if an earlier check read that version: no GET. */
  taken(key: string): string | undefined {
    const known = knownSha256(key, this.options.current, this.options.known);
    if (known === undefined) return undefined;
    const reread = this.options.reread;
    if (reread && shareOf(key, reread.of) === reread.turn) {
      this.counts.rereadInTurn = (this.counts.rereadInTurn ?? 0) + 1;
      return undefined;
    }
    this.counts.taken++;
    this.seen.set(key, known);
    return known.sha256;
  }

  /** GETs the object; its sha256, undefined when it is gone. */
  async read(key: string): Promise<string | undefined> {
    return this.noteRead(key, await this.store.get(key));
  }

  /**
   * What a GET of `key` found (undefined: nothing), noted as the version the key holds now.
   * `again`: a key read before by this check (not counted twice).
   */
  noteRead(key: string, stored: StoredObject | undefined, again = false): string | undefined {
    this.seen.delete(key);
    if (stored === undefined) return undefined;
    if (!again) this.counts.read++;
    const sha256 = sha256Hex(stored.body);
    if (stored.versionId !== undefined && stored.versionId !== 'null')
      this.seen.set(key, { key, versionId: stored.versionId, etag: stored.etag, sha256 });
    return sha256;
  }
}
