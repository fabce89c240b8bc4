/**
 * What the chain lists of one object key, taken digest by digest in chain order: the versions
 * listed, written and replaced, and where each began. An object found is judged by it.
 */
import type { DigestEntry } from './digest.ts';

export interface KeyHistory {
  /** Each version a digest lists, with the number of the last digest that lists it. */
  listedAt: Map<string, number>;
  /** Versions a digest lists as written (or adopted at genesis). */
  written: Set<string>;
  /**
   * Versions a recorded write replaced, with that digest's number, that no later write made current
   * again: an object found holding one of them was rolled back.
   */
  superseded: Map<string, number>;
  /** The digest that first listed the key. */
  firstListed: number;
  /**
   * What each version a digest lists as written was written over: the versions its writes
   * replaced, null for a create (`replaced: null`), `adopt` when the genesis adopted it.
   */
  origins: Map<string, Set<string | null>>;
  /** The digest that first lists each version as created (`replaced: null`), and its run. */
  createdIn: Map<string, { sequence: number; runId: string }>;
  /** The version the chain's last entry for the key lists, with its digest and run. */
  last?: { sha256: string; sequence: number; runId: string };
}

/**
 * A version a write created (`replaced: null`: a create-only put, so the key held nothing then) for
 * a key the chain listed already: judged once the whole chain is read.
 */
export interface CreatedAnew {
  key: string;
  sha256: string;
  sequence: number;
  /** The run whose digest lists the create. */
  runId: string;
  firstListed: number;
  /** The versions of the key listed before it. */
  listedBefore: string[];
}

/**
 * A recorded write: the version it replaced is rolled back if found, and the version it wrote is
 * current again if a write had replaced it before (enrich with other rules, then with the first
 * ones, writes the earlier bytes back). Only a write that replaced a version listed at or after
 * that replacement revives it: a write of overlapping runs listed late, that replaced a version
 * older than the replacement, is not the newer write it looks like in chain order.
 */
export function noteWrite(history: KeyHistory, entry: DigestEntry, sequence: number): void {
  const replacedAt = history.superseded.get(entry.sha256);
  if (replacedAt !== undefined) {
    const replacing = entry.replaced ? history.listedAt.get(entry.replaced) : undefined;
    if (!entry.replaced || (replacing !== undefined && replacing >= replacedAt)) {
      history.superseded.delete(entry.sha256);
    }
  }
  if (entry.replaced && entry.replaced !== entry.sha256) history.superseded.set(entry.replaced, sequence);
}

export function noteOrigin(history: KeyHistory, sha256: string, origin: string | null): void {
  const origins = history.origins.get(sha256) ?? new Set();
  origins.add(origin);
  history.origins.set(sha256, origins);
}
