import {
  advanceStoredCheckpoint,
  CheckpointBehindPlanError,
  CheckpointResetError,
  type RepullFields,
  readCheckpoint,
  type StoredCheckpoint,
  sameRepull,
} from '../lake/checkpoint.ts';
import { checkpointKey } from '../lake/layout.ts';
import type { Clock, ObjectStore, Sleep } from '../ports.ts';
import { racedAnotherWriter } from '../raced-another-writer.ts';

/** How many times the run's last write is tried when other runs' writes keep taking it. */
const LAST_WRITE_TRIES = 4;

export interface CheckpointWriterDeps {
  store: ObjectStore;
  clock: Clock;
  /** The wait between tries of the run's last write (tests pass one that records it). */
  sleep: Sleep;
  /** Uniform in [0, 1): spreads those waits, so two runs do not try again in step. */
  random: () => number;
  instance: string;
  runId: string;
  codeVersion: string;
  /** The checkpoint the run planned from (its ETag saves a read on the first advance). */
  read: StoredCheckpoint | undefined;
  /** Told once, about the first advance that could not be saved; later advances are dropped. */
  onFailure(targetMs: number, error: unknown): void;
  /**
   * Told once, when the checkpoint turns out to have been deleted or moved back during the run (a
   * person's reset): nothing more is written, so the reset holds. Not a failure.
   */
  onReset(reset: CheckpointResetError): void;
  /**
   * The first hour the run planned: a stored watermark before it (another run's) is not moved
   * past (CheckpointBehindPlanError). Undefined: no such check.
   */
  planFromMs?: number;
  /**
   * Told of each advance not written because the stored watermark lies before `planFromMs`: the
   * checkpoint is kept as it is, and later advances are still tried (the other run may yet pass
   * the plan's first hour). Not a failure.
   */
  onBehindPlan?(held: CheckpointBehindPlanError): void;
  /**
   * The oldest lookback hour the run has not finished (WatermarkTracker.retryFromMs), read when a
   * write is asked for: every write saves it as the checkpoint's `retry_from_ms`, so the next run
   * pulls it again even with a lower `lookbackHours`. Undefined: none.
   */
  retryFromMs(): number | undefined;
  /**
   * The hours still due their later pull, written with the watermark `watermarkMs`
   * (LaterPullTracker.fieldsAt): every write saves them as the checkpoint's `repull_*` fields
   * (none: left out). Absent from the deps: never written.
   */
  repullFields?(watermarkMs: number): RepullFields;
  /**
   * Whether the run's digest failed to open (DigestRecorder.openFailed): then nothing is written.
   * A checkpoint write flushes the digest first, which needs the opening; such a run wrote nothing
   * to the lake, and leaves the checkpoint as the run before it left it.
   */
  digestOpenFailed(): Promise<boolean>;
  /**
   * Whether the instance's digest chain holds a digest as the run knows it (a head read or
   * appended): the write then says so (`digests_recorded`). Absent from the deps: never said.
   */
  digestsRecorded?(): boolean;
}

/**
 * Saves watermark advances one after another, in the order they were asked for, each with a
 * conditional write on the ETag of the previous one (so an overlapping run cannot be overtaken).
 * Advances never wait on the caller: `settled()` is where the run waits for them. After a failed
 * write nothing more is written — the hours it could not record are stored, and are pulled again,
 * without duplicates, next time. Nor after finding the checkpoint reset by a person: it is left as
 * they set it. Nor in a run whose digest did not open. Nor past another run's watermark that lies
 * before the run's first hour (the hours between are read by neither run): it is kept, and the
 * next run continues from it.
 *
 * Every write carries the run's unfinished lookback hour (`retry_from_ms`), decided here: only
 * an hour before the watermark written (as the checkpoint reader keeps it; at or after it, the
 * watermark pulls the hour anyway), and at the end of the run once more when it changed without
 * the watermark moving ({@link saveRetryHour}).
 */
export class CheckpointWriter {
  private chain: Promise<void> = Promise.resolve();
  private failed = false;
  private reset = false;
  /** The last advance was refused as behind the plan's first hour (CheckpointBehindPlanError). */
  private heldBack = false;
  /** The last write that lost every try to another run's writes, until a write is saved again. */
  private lostRace: Error | undefined;
  private stored: StoredCheckpoint | undefined;

  constructor(private readonly deps: CheckpointWriterDeps) {
    this.stored = deps.read;
  }

  /**
   * The watermark last saved (or read at the start); after a reset, the one the reset left; null
   * when there is no checkpoint.
   */
  get savedMs(): number | null {
    return this.stored ? this.stored.checkpoint.watermark_ms : null;
  }

  /** The unfinished hour to retry that was last saved (or read at the start); undefined when none. */
  get savedRetryFromMs(): number | undefined {
    return this.stored?.checkpoint.retry_from_ms;
  }

  /**
   * Whether the stored checkpoint names another first hour due its later pull than the run would.
   * Never without a checkpoint: a first run that saved no hour writes none for it.
   */
  private repullChanged(watermarkMs: number): boolean {
    if (!this.stored) return false;
    return !sameRepull(this.stored.checkpoint, this.deps.repullFields?.(watermarkMs) ?? {});
  }

  /**
   * Saves `watermarkMs` with the run's unfinished lookback hour as it is now; an advance that
   * changes neither is not written.
   */
  advanceTo(watermarkMs: number): void {
    this.write(watermarkMs, this.retryBefore(watermarkMs));
  }

  /**
   * The end of the run: once every advance is saved, saves the unfinished lookback hour the run
   * leaves when the checkpoint does not name it yet, at `watermarkMs` (the run's watermark; null:
   * none, nothing is written). That is a lookback hour that failed while the watermark did not
   * move, or one cleared once finished after the last move (which saved it as not finished yet).
   * Nothing is written when they agree. A run that stored no hour still saves it: on a quiet
   * instance one span holds the lookback and the new hour, so a failed span stores none, and the
   * hour must still be named. A run whose last advance was held back by another run's watermark
   * tries once more: that run may have passed this one's first hour since. So does a run another
   * run's watermark passed (it sets the hour it keeps exactly, on the checkpoint as stored now),
   * and one whose last write lost every try to another run's writes (tried up to
   * {@link LAST_WRITE_TRIES} times, then a failure as any other).
   */
  async saveRetryHour(watermarkMs: number | null): Promise<void> {
    await this.settled();
    if (watermarkMs === null || this.failed || this.reset) return;
    const retryFromMs = this.retryBefore(watermarkMs);
    const passed = await this.passedAtEnd(watermarkMs);
    const unchanged = retryFromMs === this.savedRetryFromMs && !this.repullChanged(watermarkMs);
    if (unchanged && !this.heldBack && !passed && this.lostRace === undefined) return;
    // The last write: another run writing the checkpoint all along may take it from this one a few
    // times (each write there is five tries), so it is tried again after a short, random wait.
    for (let tries = 1; ; tries++) {
      this.lostRace = undefined;
      this.write(watermarkMs, retryFromMs, true);
      await this.settled();
      const lost = this.lostRace;
      if (lost === undefined) return;
      if (tries >= LAST_WRITE_TRIES) {
        this.failed = true;
        this.deps.onFailure(watermarkMs, lost);
        return;
      }
      await this.deps.sleep(50 + this.deps.random() * 200);
    }
  }

  /**
   * Whether another run's watermark is past `watermarkMs`, this run's own: as last seen, or, for a
   * run that has not seen the checkpoint at all (it wrote none, and none was there at its start),
   * as stored now (one read): passed before its first write, it must still keep its hours.
   */
  private async passedAtEnd(watermarkMs: number): Promise<boolean> {
    if (this.savedMs !== null) return this.savedMs > watermarkMs;
    if (this.deps.planFromMs === undefined) return false;
    const now = await readCheckpoint(this.deps.store, this.deps.instance).catch(() => undefined);
    return now !== undefined && now.checkpoint.watermark_ms > watermarkMs;
  }

  /**
   * Another run's watermark the checkpoint ends at (as the run's last write read it), past
   * `ownMs` (this run's own) and planned from after it, with the hour it keeps for the next run
   * (see advanceStoredCheckpoint); null when it is not so.
   */
  passedBy(ownMs: number | null): { watermarkMs: number; runId: string; retryFromMs: number } | null {
    const stored = this.stored?.checkpoint;
    if (
      stored?.retry_from_ms === undefined ||
      stored.plan_from_ms === undefined ||
      ownMs === null ||
      stored.watermark_ms <= ownMs ||
      stored.retry_from_ms >= stored.plan_from_ms
    )
      return null;
    return { watermarkMs: stored.watermark_ms, runId: stored.run_id, retryFromMs: stored.retry_from_ms };
  }

  /** The run's unfinished lookback hour, when it is before `watermarkMs` (else the watermark pulls it). */
  private retryBefore(watermarkMs: number): number | undefined {
    const retryFromMs = this.deps.retryFromMs();
    return retryFromMs !== undefined && retryFromMs < watermarkMs ? retryFromMs : undefined;
  }

  private write(watermarkMs: number, retryFromMs: number | undefined, settle = false): void {
    const { store, clock, instance, runId, codeVersion, planFromMs } = this.deps;
    const repull = this.deps.repullFields?.(watermarkMs);
    const retry = {
      ...(retryFromMs === undefined ? {} : { retryFromMs }),
      ...(repull === undefined ? {} : { repull }),
    };
    const plan = {
      ...(planFromMs === undefined ? {} : { planFromMs }),
      ...(settle ? { settle } : {}),
    };
    this.chain = this.chain
      .then(async () => {
        if (this.failed || this.reset || (await this.deps.digestOpenFailed())) return;
        this.stored = await advanceStoredCheckpoint(
          store,
          instance,
          {
            watermarkMs,
            runId,
            codeVersion,
            now: clock.now(),
            ...retry,
            ...plan,
            ...(this.deps.digestsRecorded?.() ? { digestsRecorded: true } : {}),
          },
          this.stored,
        );
        this.heldBack = false;
        this.lostRace = undefined;
      })
      .catch((error: unknown) => {
        if (error instanceof CheckpointBehindPlanError) {
          this.stored = error.current;
          this.heldBack = true;
          this.deps.onBehindPlan?.(error);
          return;
        }
        if (error instanceof CheckpointResetError) {
          this.reset = true;
          this.stored = error.current;
          this.deps.onReset(error);
          return;
        }
        // Races lost to another run writing the checkpoint too, or its put in flight met on every
        // try: the hours are stored, and the run's last write (saveRetryHour) tries again, reading
        // what is stored then. Not the digest append the put makes first giving up so: a failure.
        if (error instanceof Error && racedAnotherWriter(error, checkpointKey(this.deps.instance))) {
          this.lostRace = error;
          return;
        }
        this.failed = true;
        this.deps.onFailure(watermarkMs, error);
      });
  }

  /** Resolves when every advance asked for so far is saved or given up on (it never rejects). */
  settled(): Promise<void> {
    return this.chain;
  }
}
