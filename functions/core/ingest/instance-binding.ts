import type { AuditSource } from '../domo/audit-source.ts';
import { readCheckpoint, type StoredCheckpoint } from '../lake/checkpoint.ts';
import { InstanceMismatchError } from '../lake/instance-mismatch-error.ts';
import type { Log, ObjectStore } from '../ports.ts';

/** What the run knows of the lake's instance before it pulls. */
export interface BindingStart {
  instance: string;
  /** The customer the stored checkpoint records; undefined: none recorded (or no checkpoint). */
  recorded: string | undefined;
  /** Whether a checkpoint is stored (one without a customer was written before they were). */
  checkpointStored: boolean;
  /** A range run checks the recorded customer but never writes the checkpoint, so records none. */
  mode: 'checkpoint' | 'range';
  log: Log;
}

/**
 * The stored checkpoint's customer and whether there is one. A checkpoint run has read it to plan;
 * a range run reads it here, and one that cannot be read binds nothing: a range run never needed
 * the checkpoint, and a re-pull over a broken one must keep working.
 */
export async function storedBinding(
  store: ObjectStore,
  instance: string,
  plan: { mode: 'checkpoint' | 'range'; checkpoint: StoredCheckpoint | undefined },
): Promise<Pick<BindingStart, 'recorded' | 'checkpointStored'>> {
  const stored =
    plan.mode === 'checkpoint'
      ? plan.checkpoint
      : await readCheckpoint(store, instance).catch(() => undefined);
  return { recorded: stored?.checkpoint.customer, checkpointStored: stored !== undefined };
}

/** The run's source, checked against the lake's instance, and the customer the run may record. */
export interface InstanceBinding {
  source: AuditSource;
  /** The customer this run's credentials name, once a page was read; undefined: not known. */
  customer(): string | undefined;
  /** Whether a page was refused as another customer's: then the run writes no checkpoint. */
  refused(): boolean;
}

/**
 * Ties the run to the Domo instance its lake's instance was filled from. Each page is checked
 * after it is read and before it is handed on: a token naming another customer than the recorded
 * one (or than the run's first token) fails the page with {@link InstanceMismatchError}, a
 * configuration error that stops the run before any of its entries is stored. The check costs no
 * request: the token is the one the page was read with.
 *
 * A token answer without a customer (Domo may leave it out) binds nothing: the run goes on, warned
 * once. A source that cannot tell (a test's) is returned as it is.
 */
export function bindInstance(source: AuditSource, start: BindingStart): InstanceBinding {
  const tell = source.customer?.bind(source);
  if (!tell) return { source, customer: () => undefined, refused: () => false };
  let bound = start.recorded;
  let seen: string | undefined;
  let warned = false;
  let refused = false;
  const check = (): void => {
    const customer = tell();
    if (customer === undefined) {
      if (!warned) warnUnnamed(start);
      warned = true;
      return;
    }
    if (bound !== undefined && customer !== bound) {
      refused = true;
      throw new InstanceMismatchError(start.instance, bound, customer);
    }
    if (seen === undefined) noteFirst(start, customer);
    seen = customer;
    bound = customer;
  };
  return {
    source: {
      fetchPage: async (query, signal) => {
        const page = await source.fetchPage(query, signal);
        check();
        return page;
      },
      customer: () => seen,
    },
    customer: () => seen,
    refused: () => refused,
  };
}

/** The run's first customer: said when it is recorded for the first time. */
function noteFirst(start: BindingStart, customer: string): void {
  if (start.recorded !== undefined || start.mode === 'range') return;
  start.log.info(
    start.checkpointStored
      ? "The checkpoint names no Domo customer (written before customers were recorded): it records this run's"
      : 'First run of the instance: its checkpoint records the Domo customer of its credentials',
    { instance: start.instance, customer },
  );
}

/** The run's token answers name no customer: nothing ties the lake to its instance. */
function warnUnnamed(start: BindingStart): void {
  start.log.warn(
    "Domo's token answer names no customer: the run cannot check that its credentials are for the instance the lake was filled from, and records none",
    { instance: start.instance, ...(start.recorded === undefined ? {} : { recorded: start.recorded }) },
  );
}
