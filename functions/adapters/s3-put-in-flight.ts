import { WriteInFlightError } from '../core/ports.ts';
import { type InFlightWaitBudget, WAIT_BUDGET_MS, WINDOW_MS } from './in-flight-wait-budget.ts';
import { type PutAgainWaits, putAgainDelayMs } from './put-again-wait.ts';
import { codeOf, statusOf } from './s3-failure.ts';

/**
 * Tries of one conditional put that S3 keeps answering 409 before the store gives up: 4 waits in
 * between, 750 ms at most in all (put-again-wait.ts), long past a small object's put in flight.
 */
const MAX_IN_FLIGHT_TRIES = 5;

/**
 * S3's answer that another conditional write of the key is still in flight: 409
 * ConditionalRequestConflict (OperationAborted from some endpoints), "try again". Not a lost race:
 * the object is still the one the condition names, and neither write has landed yet.
 */
const isInFlightConflict = (error: unknown): boolean =>
  statusOf(error) === 409 && ['ConditionalRequestConflict', 'OperationAborted'].includes(codeOf(error));

/**
 * S3 answered every try of a conditional put 409. Not a lost race (no PreconditionFailedError): no
 * other write was seen to land, so a caller re-reading would find the object as it read it and only
 * put the same again; the write fails instead, saying what raced and what to do.
 */
function inFlightFailure(key: string, address: string, tries: number, waitedMs: number, cause: unknown) {
  return new WriteInFlightError(
    key,
    `S3 answered ${tries} conditional put${tries === 1 ? '' : 's'} of ${address} with 409 ${codeOf(cause)}, ` +
      `${waitsSaid(tries, waitedMs)}: another write of that object was in ` +
      'flight each time (another run writing it at once, such as a scheduled run beside a backfill or ' +
      "a second deployment over the same lake, or this put's own first attempt still on its way), and " +
      'this write is not known to be stored; should that recur on every run, look for another writer ' +
      'that keeps putting this object',
    { cause },
  );
}

/** The waits between the tries; fewer than the most tries: the store's budget of waits ran out. */
function waitsSaid(tries: number, waitedMs: number): string {
  const waited = `${Math.round(waitedMs)} ms of waits between them in all`;
  if (tries >= MAX_IN_FLIGHT_TRIES) return waited;
  const budget = `the store waits at most ${WAIT_BUDGET_MS / 1000} s in any ${WINDOW_MS / 1000} s for puts in flight`;
  return `${tries === 1 ? 'not sent again' : waited}, as ${budget} and other puts had spent that`;
}

/**
 * Sends a conditional put, and sends it again, unchanged, after each 409 (another put of the key in
 * flight, possibly this put's own first attempt, which the SDK gave up on and retried), after a
 * short, growing, jittered wait: put again at once, it mostly met the same put in flight, and two
 * writers refused together put again together. Unchanged, the condition still decides: once the
 * put in flight lands, the next try is answered 412 (another write, or this one's own first attempt,
 * which the caller's re-read tells apart) or lands. Every other answer is the caller's. A wait the
 * store's `budget` cannot give up fails the put at once.
 */
export async function sendWhileInFlight<T>(
  send: () => Promise<T>,
  waits: PutAgainWaits & { budget: InFlightWaitBudget },
  object: { key: string; address: string },
): Promise<T> {
  let waitedMs = 0;
  for (let tries = 1; ; tries++) {
    try {
      return await send();
    } catch (error) {
      if (!isInFlightConflict(error)) throw error;
      const ms = putAgainDelayMs(tries, waits.random);
      if (tries >= MAX_IN_FLIGHT_TRIES || !waits.budget.take(ms)) {
        throw inFlightFailure(object.key, object.address, tries, waitedMs, error);
      }
      await waits.sleep(ms);
      waitedMs += ms;
    }
  }
}
