import type { Sleep } from '../core/ports.ts';

/** The timer and jitter source a conditional put waits with before it is sent again after a 409. */
export interface PutAgainWaits {
  sleep: Sleep;
  /** Uniform in [0, 1). */
  random: () => number;
  /** Ms on a clock, for the store's budget of waits (in-flight-wait-budget.ts); default: the system's. */
  now?: () => number;
}

/** The first wait's longest, in ms; each later one may be twice as long, up to {@link MAX_WAIT_MS}. */
const FIRST_WAIT_MS = 50;

/**
 * The longest single wait. S3's 409 means another conditional put of the key is still in flight:
 * a small object's put lands within tens of milliseconds, so a few waits of this order outlast it,
 * and a write waits at most the sum (4 waits: 50 + 100 + 200 + 400 = 750 ms at the longest).
 *
 * Sized for small objects. An hour of events goes as one PutObject however large (a conditional
 * put is never multipart), several MiB for a busy hour: a Lambda in S3's region sends that in a
 * fraction of a second, but a workstation's uplink may take seconds (16 MiB at 10 Mbit/s: ~13 s),
 * so another run's upload of the hour can outlast these waits. The put then fails with
 * WriteInFlightError after them, and the hour with it (the next run pulls it again), as the 409
 * failed it before the store waited at all; not waited longer, so that a run's last writes stay
 * within its time (in-flight-wait-budget.ts).
 */
const MAX_WAIT_MS = 400;

/**
 * How long to wait after the `attempt`-th refused put before the same decision is put again: half
 * the step's ceiling plus up to half again, drawn at random. Growing, so a put still in flight gets more
 * time; jittered, so two writers refused together do not put again together; never zero (a put
 * at once mostly meets the same put in flight).
 */
export function putAgainDelayMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}
