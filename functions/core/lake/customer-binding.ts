import * as z from 'zod';
import { DomoConfigError } from '../domo/errors.ts';
import { MAX_CUSTOMER_CHARS } from '../domo/token-provider.ts';
import type { ObjectStore, StoredObject } from '../ports.ts';
import { updateConditionally } from './conditional-update.ts';
import { assertCustomerUnbound } from './customer-bound-elsewhere.ts';
import { deleteGuardNote } from './delete-guard-note.ts';
import { shownCustomer } from './instance-mismatch-error.ts';
import { customerBindingKey } from './layout.ts';
import { decodeStoredJson } from './stored-json.ts';

/**
 * The Domo customer (instance) whose events fill a lake's instance, as the OAuth token answer names
 * it. Its own object, not a checkpoint field: it must exist before the first entry is stored, and a
 * checkpoint is written only after hours are, so two first runs of two customers both stored theirs.
 */
interface CustomerBinding {
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
class CustomerBindingCorruptError extends DomoConfigError {
  constructor(
    readonly key: string,
    reason: string,
    location: string,
  ) {
    super(
      `the lake's record of its Domo customer (${key}) is unreadable (${reason}): no event is stored ` +
        'until it is fixed. Inspect it; if the lake holds only the events of the Domo customer whose ' +
        `credentials the instance uses, delete it${deleteGuardNote(location)} and the next run records ` +
        'that customer again.',
    );
    this.name = 'CustomerBindingCorruptError';
  }
}

/** The customer a read of the binding object names; undefined: there is none. */
function customerOf(
  store: ObjectStore,
  instance: string,
  stored: StoredObject | undefined,
): string | undefined {
  if (!stored) return undefined;
  const key = customerBindingKey(instance);
  const reading = decodeStoredJson(stored.body, bindingSchema);
  if (!reading.ok) throw new CustomerBindingCorruptError(key, reading.reason, store.location);
  if (reading.value.instance !== instance) {
    throw new CustomerBindingCorruptError(
      key,
      `it names instance "${shownCustomer(reading.value.instance)}"`,
      store.location,
    );
  }
  return reading.value.customer;
}

/** What records a binding: the run, and when. */
interface BindingRecord {
  instance: string;
  customer: string;
  runId: string;
  now: number;
}

/** The customer a lake is bound to; `created`: this run bound it. */
interface BoundCustomer {
  customer: string;
  created: boolean;
}

/**
 * Puts of the binding before giving up. A put in flight (two runs of one customer: the first
 * scheduled run and a backfill) is waited out by the S3 store itself (adapters/s3-put-in-flight.ts);
 * a store that answers one as a lost race leaves the binding absent after a refused put.
 */
const MAX_BIND_ATTEMPTS = 5;

/**
 * The customer the lake is bound to once this run has tried to bind it to `record.customer`: the
 * recorded one, else the run's, created only if absent (If-None-Match), so of two first runs of two
 * customers racing, one creates it and the other reads the winner's. `created`: this run bound it.
 * A refused create that leaves no binding behind (a put of it in flight) is put again, as every
 * conditional update of the lake is (lake/conditional-update.ts). Before creating it, the other
 * instances' bindings are read: a customer one of them holds is refused (the same client pasted
 * into two instances' secrets), so only a first bind pays for that read.
 */
export async function bindCustomer(store: ObjectStore, record: BindingRecord): Promise<BoundCustomer> {
  const key = customerBindingKey(record.instance);
  return updateConditionally<string | undefined, BoundCustomer>(store, key, {
    stateOf: (found) => customerOf(store, record.instance, found),
    decide: async ({ state: recorded }) => {
      if (recorded !== undefined) return { write: false, result: { customer: recorded, created: false } };
      await assertCustomerUnbound(store, record.instance, record.customer);
      return {
        write: true,
        body: bindingBody(record),
        contentType: 'application/json',
        result: () => ({ customer: record.customer, created: true }),
      };
    },
    maxAttempts: MAX_BIND_ATTEMPTS,
    giveUp: (attempts) =>
      `the lake's record of its Domo customer (${key}) could not be created: its create-only put was ` +
      `refused ${attempts} times as if another write had got there first, yet no record was there ` +
      'after any of them (a store answers so while another put of it is in flight); the page that ' +
      'asked stores nothing, and the next page or run tries again',
  });
}

function bindingBody(record: BindingRecord): Uint8Array {
  const binding: CustomerBinding = {
    version: 1,
    instance: record.instance,
    customer: record.customer,
    recorded_at: new Date(record.now).toISOString(),
    run_id: record.runId,
  };
  return new TextEncoder().encode(`${JSON.stringify(binding, null, 2)}\n`);
}

/**
 * The Domo customer the instance is bound to, for showing (`status`, the report): undefined when
 * none is yet; an unreadable binding throws {@link CustomerBindingCorruptError}, whose message says
 * how to fix it.
 */
export async function readBoundCustomer(store: ObjectStore, instance: string): Promise<string | undefined> {
  return customerOf(store, instance, await store.get(customerBindingKey(instance)));
}
