import { advanceStoredCheckpoint, CheckpointResetError, type StoredCheckpoint } from '../lake/checkpoint.ts';
import type { Clock, ObjectStore } from '../ports.ts';

export interface CheckpointWriterDeps {
  store: ObjectStore;
  clock: Clock;
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
}

/**
 * Saves watermark advances one after another, in the order they were asked for, each with a
 * conditional write on the ETag of the previous one (so an overlapping run cannot be overtaken).
 * Advances never wait on the caller: `settled()` is where the run waits for them. After a failed
 * write nothing more is written — the hours it could not record are stored, and are pulled again,
 * without duplicates, next time. Nor after finding the checkpoint reset by a person: it is left as
 * they set it.
 */
export class CheckpointWriter {
  private chain: Promise<void> = Promise.resolve();
  private failed = false;
  private reset = false;
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
   * Saves `watermarkMs` with `retryFromMs`, the oldest hour before it that the run has not
   * finished (undefined: none); an advance that changes neither is not written.
   */
  advanceTo(watermarkMs: number, retryFromMs?: number): void {
    const { store, clock, instance, runId, codeVersion } = this.deps;
    const retry = retryFromMs === undefined ? {} : { retryFromMs };
    this.chain = this.chain
      .then(async () => {
        if (this.failed || this.reset) return;
        this.stored = await advanceStoredCheckpoint(
          store,
          instance,
          { watermarkMs, runId, codeVersion, now: clock.now(), ...retry },
          this.stored,
        );
      })
      .catch((error: unknown) => {
        if (error instanceof CheckpointResetError) {
          this.reset = true;
          this.stored = error.current;
          this.deps.onReset(error);
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
