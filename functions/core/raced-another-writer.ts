import { causeChain } from './cause-chain.ts';
import { PreconditionFailedError, WriteInFlightError } from './ports.ts';

/**
 * Whether `error`, or one it wraps, is a race with another writer of the object: a lost condition
 * (an update that gave up with the last conflict as its cause), or a put that kept meeting another
 * write of the key in flight. Nothing to fix: the next write or run writes it.
 */
export const racedAnotherWriter = (error: unknown): boolean =>
  [...causeChain(error)].some(
    (cause) => cause instanceof PreconditionFailedError || cause instanceof WriteInFlightError,
  );
