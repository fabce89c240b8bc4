import * as z from 'zod';
import { DomoConfigError } from '../domo/errors.ts';
import { MAX_CUSTOMER_CHARS } from '../domo/token-provider.ts';
import { type ObjectStore, PreconditionFailedError } from '../ports.ts';
import { shownCustomer } from './instance-mismatch-error.ts';
import { customerBindingKey } from './layout.ts';
import { decodeStoredJson } from './stored-json.ts';

/**
 * The Domo customer (instance) whose events fill a lake's instance, as the OAuth token answer names
 * it. Its own object, not a checkpoint field: it must exist before the first entry is stored, and a
 * checkpoint is written only after hours are, so two first runs of two customers both stored theirs.
 */
export interface CustomerBinding {
  version: 1;
  instance: string;
  customer: string;
  recorded_at: string;
  run_id: string;
}

const bindingSchema = z.object({
  version: z.literal(1),
  instance: z.string(),
  customer: z.string().min(1).max(MAX_CUSTOMER_CHARS),
  recorded_at: z.string(),
  run_id: z.string(),
});

/**
 * The binding object cannot be read: no run may guess which customer the lake is for. A
 * configuration error: every run fails the same way until someone fixes the object.
 */
export class CustomerBindingCorruptError extends DomoConfigError {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(
      `the lake's record of its Domo customer (${key}) is unreadable (${reason}): no event is stored ` +
        'until it is fixed. Inspect it; if the lake holds only the events of the Domo customer whose ' +
        'credentials the instance uses, delete it and the next run records that customer again.',
    );
    this.name = 'CustomerBindingCorruptError';
  }
}

/** The customer the lake records for `instance`; undefined: none yet. */
export async function readCustomerBinding(store: ObjectStore, instance: string): Promise<string | undefined> {
  const key = customerBindingKey(instance);
  const stored = await store.get(key);
  if (!stored) return undefined;
  const reading = decodeStoredJson(stored.body, bindingSchema);
  if (!reading.ok) throw new CustomerBindingCorruptError(key, reading.reason);
  if (reading.value.instance !== instance) {
    throw new CustomerBindingCorruptError(
      key,
      `it names instance "${shownCustomer(reading.value.instance)}"`,
    );
  }
  return reading.value.customer;
}

/** What records a binding: the run, and when. */
export interface BindingRecord {
  instance: string;
  customer: string;
  runId: string;
  now: number;
}

/**
 * The customer the lake is bound to once this run has tried to bind it to `record.customer`: the
 * recorded one, else the run's, created only if absent (If-None-Match), so of two first runs of two
 * customers racing, one creates it and the other reads the winner's. `created`: this run bound it.
 */
export async function bindCustomer(
  store: ObjectStore,
  record: BindingRecord,
): Promise<{ customer: string; created: boolean }> {
  const recorded = await readCustomerBinding(store, record.instance);
  if (recorded !== undefined) return { customer: recorded, created: false };
  const binding: CustomerBinding = {
    version: 1,
    instance: record.instance,
    customer: record.customer,
    recorded_at: new Date(record.now).toISOString(),
    run_id: record.runId,
  };
  const body = new TextEncoder().encode(`${JSON.stringify(binding, null, 2)}\n`);
  const key = customerBindingKey(record.instance);
  try {
    await store.put(key, body, { ifNoneMatch: '*', contentType: 'application/json' });
    return { customer: record.customer, created: true };
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error;
    const winner = await readCustomerBinding(store, record.instance);
    if (winner === undefined) throw error;
    return { customer: winner, created: false };
  }
}
