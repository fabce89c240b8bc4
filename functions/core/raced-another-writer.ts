import { causeChain } from './cause-chain.ts';
import { PreconditionFailedError, WriteInFlightError } from './ports.ts';

/**
 * Whether `error`, or one it wraps, is a race with another writer of `key` itself: a lost
 * condition (an update that gave up with the last conflict as its cause), or a put of `key` that
 * kept meeting another write of it in flight. Nothing to fix: the next write or run writes it.
 *
 * Only of `key`: a write may carry another before it (a checkpoint put appends the run's digest
 * first), and that one giving up on 409 is no race a later write of `key` wins: the watermark may
 * not pass hours no digest lists, and a run's digest appends nothing after a failed append.
 */
export const racedAnotherWriter = (error: unknown, key: string): boolean =>
  [...causeChain(error)].some(
    (cause) =>
      (cause instanceof PreconditionFailedError || cause instanceof WriteInFlightError) && cause.key === key,
  );
