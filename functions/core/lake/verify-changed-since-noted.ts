import type { Digest } from './digest.ts';
import { digestKey, HOUR_MS, tableInstancePrefix, windowStartFromKey } from './layout.ts';

/**
 * An object whose version, as the digests up to a noted head recorded it, a digest after that head
 * lists as written over. A noted head vouches for the digests up to it; one appended after it,
 * unsigned (or with no key to check its signature), vouches for nothing: a forger can append a
 * digest linked to the noted head that lists a rewritten object as a re-pull would.
 */
export interface ChangedSinceNoted {
  key: string;
  /** The version the digests up to the noted head recorded. */
  notedSha256: string;
  /** The version the chain records for it now. */
  sha256: string;
  /** The first digest after the noted head that lists a write of another version, and its run. */
  digest: string;
  runId: string;
}

interface Entry {
  sequence: number;
  sha256: string;
  write: boolean;
  runId: string;
}

/** What the digests after the earliest noted head list for a key, and what it held before them. */
interface KeyAfter {
  before: string | undefined;
  entries: Entry[];
}

/**
 * Keeps what the digests after the earliest noted head list of the events and quarantine objects,
 * key by key, so that once the chain
 * is walked the objects rewritten after the latest head it still holds can be named. Only those
 * digests are kept: a head is noted recently, so the part of the chain after it is small.
 */
export class SinceNoted {
  private readonly keys = new Map<string, KeyAfter>();
  private readonly createdAt = new Map<number, string>();
  /** The last digest without a signature (-1: none). */
  private lastUnsigned = -1;

  /** @param from the number of the earliest noted head: digests after it are kept. */
  constructor(private readonly from: number) {}

  /**
   * Takes one digest, in chain order, before the chain's index takes it: `lastOf` gives the
   * version the digests before it listed last for a key.
   */
  noteDigest(digest: Digest, lastOf: (key: string) => string | undefined): void {
    if (!digest.signature) this.lastUnsigned = digest.sequence;
    if (digest.sequence < this.from) return;
    this.createdAt.set(digest.sequence, digest.created_at);
    if (digest.sequence === this.from) return;
    const coverage = tableInstancePrefix('coverage', digest.instance);
    for (const entry of digest.objects) {
      // Every pull of an hour rewrites its manifest (the run that pulled it), changed events or
      // not: listed, each re-pull would be a finding. What a manifest says is checked against the
      // hour's objects by the range check, so a forged one is a mismatch there, or says what they do.
      if (entry.key.startsWith(coverage)) continue;
      let after = this.keys.get(entry.key);
      if (after === undefined) {
        after = { before: lastOf(entry.key), entries: [] };
        this.keys.set(entry.key, after);
      }
      after.entries.push({
        sequence: digest.sequence,
        sha256: entry.sha256,
        write: entry.how === 'write',
        runId: digest.run_id,
      });
    }
  }

  /** Whether every digest after digest `sequence` carries a signature. */
  signedAfter(sequence: number): boolean {
    return this.lastUnsigned <= sequence;
  }

  /** When digest `sequence` says it was written (undefined: not kept). */
  createdAtOf(sequence: number): string | undefined {
    return this.createdAt.get(sequence);
  }

  /**
   * The objects listed by digest `sequence` or before whose version a write after it replaced,
   * and that the chain does not record back at that version now.
   */
  changedAfter(instance: string, sequence: number): ChangedSinceNoted[] {
    const changed: ChangedSinceNoted[] = [];
    for (const [key, after] of this.keys) {
      const found = changedOf(after, sequence);
      if (found === undefined) continue;
      changed.push({ key, ...found, digest: digestKey(instance, found.sequence) });
    }
    return changed;
  }
}

function changedOf(
  after: KeyAfter,
  sequence: number,
): { notedSha256: string; sha256: string; sequence: number; runId: string } | undefined {
  const upTo = after.entries.filter((e) => e.sequence <= sequence);
  const notedSha256 = upTo.at(-1)?.sha256 ?? after.before;
  if (notedSha256 === undefined) return undefined;
  const later = after.entries.filter((e) => e.sequence > sequence);
  const first = later.find((e) => e.write && e.sha256 !== notedSha256);
  const now = later.at(-1)?.sha256;
  if (first === undefined || now === undefined || now === notedSha256) return undefined;
  return { notedSha256, sha256: now, sequence: first.sequence, runId: first.runId };
}

/** Where the runbook says how to judge the finding. */
const RUNBOOK = 'docs/operations.md, the section on the integrity finding `changed-since-noted`';

/**
 * What a `changed-since-noted` finding says: what was rewritten, by which run, how long before
 * the noted head its hour began, and how to tell the ingest's own rewrite from a forged one.
 */
export function changedSinceNotedDetail(
  changed: ChangedSinceNoted,
  noted: { key: string; createdAt: string | undefined },
): string {
  const hour = windowStartFromKey(changed.key);
  const notedMs = noted.createdAt === undefined ? Number.NaN : Date.parse(noted.createdAt);
  const age =
    hour === undefined || Number.isNaN(notedMs)
      ? ''
      : `; its hour began ${Math.floor((notedMs - hour) / HOUR_MS)} hour(s) before the noted head was written (${noted.createdAt})`;
  return `the digests up to the noted head ${noted.key} recorded sha256 ${changed.notedSha256.slice(0, 12)}… for it; ${changed.digest}, of run ${changed.runId}, after that head, lists a write over it, and the chain records sha256 ${changed.sha256.slice(0, 12)}… now${age}. No checked signature vouches for the digests after the noted head, so they can be a forger's as well as the ingest's: each run re-pulls the last hours before it and rewrites those late events changed, and enrich rewrites the hours it enriches, but a digest appended after the head can list any older object rewritten so. A run the ingest's log or the run records name, rewriting recent hours, is an honest re-pull; judge it, then accept this finding for these bytes; see ${RUNBOOK}`;
}
