/**
 * The claim on one instance's week: what makes a weekly report go out at most once, however many
 * runs overlap. A run reads the week's sent-marker, and only if nothing blocks it claims the week
 * with a conditional put of a `sending` marker (create-only, or `If-Match` the marker it read).
 * Whoever loses that put has lost the week to another run and sends nothing; the winner records
 * the outcome on the marker, conditional on its claim.
 */

import { errorMessage } from '../error-message.ts';
import { type ObjectSeen, updateConditionally, type VersionedState } from '../lake/conditional-update.ts';
import { reportSentKey } from '../lake/layout.ts';
import { objectAddress } from '../lake/object-address.ts';
import type { Clock, Log, ObjectStore, StoredObject } from '../ports.ts';
import {
  blocksSending,
  decodeMarker,
  encodeMarker,
  type SentMarker,
  type SentMarkerState,
} from './sent-marker.ts';

/** A week's sent-marker as read, with the ETag a claim is conditional on (null: no marker yet). */
export type MarkerRead = VersionedState<SentMarker | undefined>;

/** Why a run does not send: the marker's blocking state, or `claimed` when another run won the claim. */
export type SkipReason = SentMarkerState | 'claimed';

export interface WeekRef {
  store: ObjectStore;
  instance: string;
  isoWeek: string;
  /** The marker's key; default the week's sent-marker (a correction has a marker of its own). */
  key?: string;
}

/** The key of the marker `week` names. */
const markerKey = (week: WeekRef): string => week.key ?? reportSentKey(week.instance, week.isoWeek);

/** Reads the week's sent-marker (an unreadable one reads as `unknown`, which blocks). */
export async function readWeekMarker(week: WeekRef): Promise<MarkerRead> {
  const stored = await week.store.get(markerKey(week));
  return { state: markerOf(stored, week), etag: stored?.etag ?? null };
}

/** The week's sent-marker in the object as read (undefined: there was none). */
const markerOf = (
  stored: StoredObject | undefined,
  { instance, isoWeek }: WeekRef,
): SentMarker | undefined => (stored ? decodeMarker(stored.body, instance, isoWeek) : undefined);

/**
 * The marker state that stops this run from sending, or undefined when the week may be claimed.
 * `resend` (an operator's deliberate choice) takes over a marker in any state.
 */
export const blockingState = (read: MarkerRead, resend: boolean): SentMarkerState | undefined =>
  read.state && blocksSending(read.state.state) && !resend ? read.state.state : undefined;

export type ClaimResult =
  | { claimed: true; claim: WeekClaim }
  | { claimed: false; reason: 'claimed'; marker?: SentMarker };

/**
 * Claims the week by writing `marker` (state `sending`) over the marker `read` found, conditional
 * on it being unchanged. A lost race is final: the fresh read only names the winner's marker,
 * even for a resend, so two resends racing each other still mail once.
 *
 * The winner may be this very claim: S3 can store a put and still answer it with a 5xx or a
 * timeout, and the SDK's retry of that put then gets 412 from the object it just wrote. A re-read
 * marker carrying `marker.attemptId` is therefore a won claim, at the ETag read. This holds only
 * because the caller makes `marker` (and its attempt id) once per claim: an id made afresh for
 * each decision could never match.
 *
 * A lost race after which the re-read finds no marker at all, or the very marker it had read (a
 * `failed` one claimed again, any marker a resend takes over), decides nothing: it throws a
 * {@link ClaimUndecidedError} rather than skip (see there).
 */
export async function claimWeek(
  week: WeekRef,
  read: MarkerRead,
  marker: SentMarker,
  settle: { clock: Clock; log: Log },
): Promise<ClaimResult> {
  const key = markerKey(week);
  const won = (etag: string): ClaimResult => ({
    claimed: true,
    claim: new WeekClaim(week.store, key, marker, etag, settle),
  });
  return updateConditionally<SentMarker | undefined, ClaimResult>(week.store, key, {
    initial: read,
    stateOf: (stored) => markerOf(stored, week),
    decide: (current) => {
      if (current === read)
        return { write: true, body: encodeMarker(marker), contentType: 'application/json', result: won };
      // Nothing there, or what was read still there: no other claim won, whatever S3 answered.
      if (current.etag === null || current.etag === read.etag)
        throw new ClaimUndecidedError(objectAddress(week.store, key));
      if (current.state?.attemptId === marker.attemptId) return { write: false, result: won(current.etag) };
      return {
        write: false,
        result: { claimed: false, reason: 'claimed', ...(current.state ? { marker: current.state } : {}) },
      };
    },
    // Left as read, the claim is undecided (above), not put again: ClaimUndecidedError says why.
    retryUnchanged: false,
    // The second decision never writes, so this is never reached.
    maxAttempts: 2,
    giveUp: () => `the claim on ${objectAddress(week.store, key)} could not be decided`,
  });
}

/**
 * The claim's put was answered as a lost race, yet no marker is there, or the one it was
 * conditional on is still there unchanged: not someone else's claim,
 * so not a lost week. A put on the key may still be in flight, and that one may be this run's own
 * first attempt, which the SDK retried and which lands after the re-read (S3 answers 409 while one
 * is, which the S3 store waits out and sends the claim again for: adapters/s3-put-in-flight.ts;
 * a store that answers it as a lost race lands here). Skipping would leave a
 * `sending` marker no run holds, silently; mailing could race the claim of another run. So the
 * claim fails, and the caller says how to tell which it was (the marker's attempt id).
 */
export class ClaimUndecidedError extends Error {
  /** `marker`: where the marker is, as {@link objectAddress} names it. */
  constructor(marker: string) {
    super(
      `S3 answered the claim's conditional put on ${marker} as if another write had got there first, but reading it again found no marker, or the marker it had read unchanged: a put still in flight (possibly this run's own first attempt) may yet store it`,
    );
    this.name = 'ClaimUndecidedError';
  }
}

/**
 * What a week's marker held when a settle last read it: this run's claim (`changed` when it was
 * rewritten since, still naming this run's attempt), another run's attempt (a resend took the
 * week over), or nothing (someone removed it).
 */
export type MarkerFound =
  | { holder: 'this-run'; attemptId: string; state: SentMarkerState; changed?: true }
  | { holder: 'other-run'; attemptId: string; state: SentMarkerState }
  | { holder: 'none' }
  | { holder: 'unread'; attemptId: string };

/** A settle's answer: the outcome recorded, or not and what the marker held instead. */
export type Settled = { recorded: true } | ({ recorded: false } & MarkerFound);

/**
 * What a settle's puts last learnt of the marker (`last` unset: nothing since the claim): what a
 * read found, or that a put was answered as a lost race with no read since, so that the marker
 * changed then and what it holds is not known.
 */
interface LastSeen {
  last?: ObjectSeen;
}

/** A week this run owns: it alone archives and mails the report, then records the outcome. */
export class WeekClaim {
  constructor(
    private readonly store: ObjectStore,
    readonly key: string,
    private marker: SentMarker,
    private etag: string,
    private readonly settleWith: { clock: Clock; log: Log },
  ) {}

  /** Where the marker is, for a message a person copies: the store's location and the key. */
  get address(): string {
    return objectAddress(this.store, this.key);
  }

  /**
   * Records the outcome (`sent`, `failed`, `unknown`) on the marker, conditional on the claim, and
   * says whether it did, and if not, what the marker held when last read. A failure is logged, not
   * thrown: a caller that meant to leave the week to a later run words what to do from what was
   * found. Still this run's claim: it blocks every run but a resend. Another run's: that run owns
   * the week now, and its outcome is the week's. Gone: nothing blocks, a run for the week sends it.
   */
  async settle(update: Partial<SentMarker>): Promise<Settled> {
    const { clock, log } = this.settleWith;
    const next = { ...this.marker, ...update, updatedAt: new Date(clock.now()).toISOString() };
    const seen: LastSeen = {};
    try {
      this.etag = await this.putOnClaim(next, seen);
      this.marker = next;
      return { recorded: true };
    } catch (error) {
      log.warn('could not update the report marker after claiming it', {
        instance: next.instance,
        isoWeek: next.isoWeek,
        markerKey: this.address,
        state: next.state,
        error: errorMessage(error),
      });
      // A put answered as a lost race and no read since (it failed): the marker changed, to what is
      // not known. Nothing at all (S3 failed the put outright): the marker is as this run left it.
      const { last } = seen;
      if (last && 'refused' in last)
        return { recorded: false, holder: 'unread', attemptId: this.marker.attemptId };
      return { recorded: false, ...(last ? this.found(last.found) : this.ours(this.marker)) };
    }
  }

  /**
   * Puts `next` conditional on the claim, and returns its ETag. A put S3 stored but answered 412 (its
   * answer lost, the SDK's retry meeting it) is settled all the same: the re-read finds its very
   * bytes ({@link updateConditionally}); S3's 409 (its first attempt still in flight) the S3 store
   * waits out and sends again itself. When it fails, the error says what the marker held when last
   * read: still this claim (every put refused with the marker left as read, or the S3 store gave up
   * on 409), another run's (a resend took the week over), or nothing (someone removed it).
   */
  private putOnClaim(next: SentMarker, seen: LastSeen): Promise<string> {
    const claimed: VersionedState<undefined> = { state: undefined, etag: this.etag };
    return updateConditionally<undefined, string>(this.store, this.key, {
      initial: claimed,
      stateOf: () => undefined,
      // Every read of the marker, the re-read after each lost race included, and every refused put
      // lands in `seen`: the last is what the error (and the settle's answer) can truthfully say.
      seen: (news) => {
        seen.last = news;
      },
      // Decided again only on a read after a lost race: the marker as read is in `seen`.
      decide: (current) => {
        if (current !== claimed)
          throw new Error(`the marker ${this.address} ${this.markerNow(foundIn(seen))}`);
        return {
          write: true,
          body: encodeMarker(next),
          contentType: 'application/json',
          result: (etag) => etag,
        };
      },
      maxAttempts: 3,
      giveUp: (attempts) =>
        `S3 answered ${attempts} puts of ${this.address} as if another write had got there first, and the marker ${this.markerNow(foundIn(seen))}`,
    });
  }

  /** What the marker, as last read, holds against this run's claim. */
  private found(stored: StoredObject | undefined): Exclude<MarkerFound, { holder: 'unread' }> {
    if (!stored) return { holder: 'none' };
    if (stored.etag === this.etag) return this.ours(this.marker);
    const now = decodeMarker(stored.body, this.marker.instance, this.marker.isoWeek);
    return now.attemptId === this.marker.attemptId
      ? { ...this.ours(now), changed: true }
      : { holder: 'other-run', attemptId: now.attemptId, state: now.state };
  }

  private ours(marker: SentMarker): Extract<MarkerFound, { holder: 'this-run' }> {
    return { holder: 'this-run', attemptId: marker.attemptId, state: marker.state };
  }

  /** What the marker, as last read, holds against this run's claim, in words. */
  private markerNow(stored: StoredObject | undefined): string {
    const found = this.found(stored);
    if (found.holder === 'none') return 'is gone: someone removed it after this run claimed the week';
    if (found.holder === 'other-run')
      return `was taken over by another run after this run claimed it: it now holds attempt ${found.attemptId} (state ${found.state})`;
    return found.changed
      ? `was changed after this run claimed it, though it still names this run's attempt (state ${found.state})`
      : `still holds this run's claim (state ${found.state})`;
  }
}

/** The marker as last read: decisions after a lost race, and giving up, follow a read. */
const foundIn = ({ last }: LastSeen): StoredObject | undefined =>
  last && 'found' in last ? last.found : undefined;
