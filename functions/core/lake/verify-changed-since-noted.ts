import { floorHour, HOUR_MS } from '../time-units.ts';
import type { Digest } from './digest.ts';
import { coverageKey, digestKey, windowStartFromKey } from './layout.ts';

/**
 * An object the store holds otherwise than the digests up to a noted head left it: other bytes
 * (`changed`), none (`gone`), or an object of an hour before the head that they did not list
 * (`created`). A noted head vouches for the digests up to it; one appended after it, unsigned (or
 * with no key to check its signature), vouches for nothing: a forger can append digests linked to
 * the noted head that list any rewrite as a re-pull would, or list the noted bytes again last. So
 * what the store holds is compared with the state at the noted head, not what later digests say.
 */
export interface ChangedSinceNoted {
  key: string;
  what: 'changed' | 'gone' | 'created';
  /** The version the digests up to the noted head listed last for it (null: none, `created`). */
  notedSha256: string | null;
  /** The sha256 of the bytes the store holds now (`gone`: of no bytes). */
  sha256: string;
  /**
   * The first digest after the noted head that lists the bytes held now, and its run: what claims
   * them, as information only (absent: no digest lists them).
   */
  digest?: string;
  runId?: string;
}

interface Entry {
  sequence: number;
  sha256: string;
  runId: string;
}

/**
 * Keeps the state the digests up to the earliest noted head list (each key's last listed
 * version: events, quarantine and coverage manifests alike) and what the digests after it list,
 * key by key, so that once the chain is walked the state at the latest head it still holds can be
 * compared with the store. Only the digests after the earliest head are kept entry by entry: a
 * head is noted recently, so the part of the chain after it is small.
 */
export class SinceNoted {
  /** Each key's last listed version in the digests up to `from`. */
  private readonly atFrom = new Map<string, string>();
  private readonly after = new Map<string, Entry[]>();
  private readonly createdAt = new Map<number, string>();
  private readonly toMs = new Map<number, number | null>();
  /** The last digest without a signature (-1: none). */
  private lastUnsigned = -1;

  /** @param from the number of the earliest noted head: digests after it are kept entry by entry. */
  constructor(private readonly from: number) {}

  /** Takes one digest, in chain order. */
  noteDigest(digest: Digest): void {
    if (!digest.signature) this.lastUnsigned = digest.sequence;
    if (digest.sequence <= this.from) {
      for (const entry of digest.objects) this.atFrom.set(entry.key, entry.sha256);
    }
    if (digest.sequence < this.from) return;
    this.createdAt.set(digest.sequence, digest.created_at);
    this.toMs.set(digest.sequence, digest.to_ms ?? null);
    if (digest.sequence === this.from) return;
    for (const entry of digest.objects) {
      const entries = this.after.get(entry.key) ?? [];
      entries.push({ sequence: digest.sequence, sha256: entry.sha256, runId: digest.run_id });
      this.after.set(entry.key, entries);
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
   * Where the hours the state at digest `sequence` vouches for end: the end of the latest hour it
   * holds a coverage manifest of. An object of an hour before it that the state lacks was created
   * since; hours from it on are the next runs' own. Not the head's own run's end: an enrich or a
   * re-pull of old hours noted as the head ended long before the lake did, and left every hour
   * after it open to objects made up (review R-VERIFY4), while a backfill stopped by its time budget
   * ends after the hours it covered, and made the next run's hours thousands of findings. A state
   * without any manifest falls back on the head's run ({@link endOf}).
   */
  private coveredEnd(instance: string, state: ReadonlyMap<string, string>, sequence: number) {
    let end: number | undefined;
    for (const key of state.keys()) {
      const hour = windowStartFromKey(key);
      if (
        hour !== undefined &&
        key === coverageKey(instance, hour) &&
        (end === undefined || hour + HOUR_MS > end)
      )
        end = hour + HOUR_MS;
    }
    return end ?? this.endOf(sequence);
  }

  /**
   * Where the hours digest `sequence` vouches for end by its run: the end of the hours its run
   * pulled when it recorded one, else the start of the hour it was written in.
   */
  endOf(sequence: number): number | undefined {
    const to = this.toMs.get(sequence);
    if (to != null) return to;
    const at = Date.parse(this.createdAt.get(sequence) ?? '');
    return Number.isNaN(at) ? undefined : floorHour(at);
  }

  /** Each key's last listed version in the digests up to and including digest `sequence`. */
  private stateAt(sequence: number): Map<string, string> {
    const state = new Map(this.atFrom);
    for (const [key, entries] of this.after) {
      const upTo = entries.filter((e) => e.sequence <= sequence).at(-1);
      if (upTo !== undefined) state.set(key, upTo.sha256);
    }
    return state;
  }

  /**
   * The objects `stored` (each key the store holds now, with the sha256 of its bytes) holds
   * otherwise than the state at digest `sequence`, with the first later digest that claims the
   * bytes held now. `goneSha256`: what a `gone` object is about.
   */
  changedAfter(
    instance: string,
    sequence: number,
    stored: ReadonlyMap<string, string>,
    goneSha256: string,
  ): ChangedSinceNoted[] {
    const state = this.stateAt(sequence);
    const changed: ChangedSinceNoted[] = [];
    const claim = (key: string, sha256: string) => {
      const by = this.after.get(key)?.find((e) => e.sequence > sequence && e.sha256 === sha256);
      return by === undefined ? {} : { digest: digestKey(instance, by.sequence), runId: by.runId };
    };
    for (const [key, notedSha256] of state) {
      const sha256 = stored.get(key);
      if (sha256 === notedSha256) continue;
      changed.push(
        sha256 === undefined
          ? { key, what: 'gone', notedSha256, sha256: goneSha256 }
          : { key, what: 'changed', notedSha256, sha256, ...claim(key, sha256) },
      );
    }
    const end = this.coveredEnd(instance, state, sequence);
    for (const [key, sha256] of stored) {
      if (state.has(key)) continue;
      const hour = windowStartFromKey(key);
      // An object of no one hour cannot be told to be a later run's: it is named.
      if (hour !== undefined && end !== undefined && hour >= end) continue;
      changed.push({ key, what: 'created', notedSha256: null, sha256, ...claim(key, sha256) });
    }
    return changed;
  }
}

/** Where the runbook says how to judge the finding. */
const RUNBOOK = 'docs/operations.md, the section on the integrity finding `changed-since-noted`';

/** What the store holds now, and which later digest claims it. */
function heldNow(changed: ChangedSinceNoted): string {
  if (changed.what === 'gone') return 'the object is gone now';
  const claimed =
    changed.digest === undefined
      ? 'no digest after that head lists them'
      : `${changed.digest}, of run ${changed.runId}, after that head, lists them (a claim no checked signature vouches for)`;
  return `the store holds sha256 ${changed.sha256.slice(0, 12)}… now; ${claimed}`;
}

/**
 * What a `changed-since-noted` or `created-since-noted` finding says: what the noted head
 * recorded, what the store holds, which later run claims it, how long before the noted head its
 * hour began, and how to tell the ingest's own rewrite from a forged one.
 */
export function changedSinceNotedDetail(
  changed: ChangedSinceNoted,
  noted: { key: string; createdAt: string | undefined; isHead?: boolean },
): string {
  const hour = windowStartFromKey(changed.key);
  const notedMs = noted.createdAt === undefined ? Number.NaN : Date.parse(noted.createdAt);
  const age =
    hour === undefined || Number.isNaN(notedMs)
      ? ''
      : `; its hour began ${Math.floor((notedMs - hour) / HOUR_MS)} hour(s) before the noted head was written (${noted.createdAt})`;
  const recorded =
    changed.notedSha256 !== null
      ? `the digests up to the noted head ${noted.key} recorded sha256 ${changed.notedSha256.slice(0, 12)}… for it`
      : hour === undefined
        ? `the digests up to the noted head ${noted.key} list no object here, and its key is no hour's object of this lake`
        : `the digests up to the noted head ${noted.key} list no object here, though its hour is one they cover`;
  if (noted.isHead) {
    // No digest to doubt: saying none vouches for the digests after it would send the reader
    // looking for runs that never were.
    // An erasure by hand rewrites objects only: its accepted `changed` findings cover no object
    // created or gone (accepted-findings.ts), so only a rewrite is pointed there.
    const how =
      changed.what === 'changed'
        ? `rewritten outside the ingest, by hand (an erasure, docs/privacy.md "Erasing one person by hand": its accepted \`changed\` finding of these same bytes accepts this one) or by a forger`
        : `${changed.what === 'gone' ? 'removed' : 'written'} outside the ingest, by hand or by a forger (an erasure by hand only rewrites objects: no accepted \`changed\` finding accepts this one)`;
    return `${recorded}; ${heldNow(changed)}${age}. No digest follows the noted head (it is the chain's head): no run since wrote these bytes, so they were ${how}; see ${RUNBOOK}`;
  }
  return `${recorded}; ${heldNow(changed)}${age}. No checked signature vouches for the digests after the noted head, so they can be a forger's as well as the ingest's: each run re-pulls the last hours before it and rewrites their objects and coverage manifests, late events create objects of hours that had none, and enrich rewrites the hours it enriches, but a digest appended after the head can list any object so. A run the ingest's log or the run records name, rewriting recent hours, is an honest re-pull; judge it, then accept this finding for these bytes; see ${RUNBOOK}`;
}
