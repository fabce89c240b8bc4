import * as z from 'zod';
import { DomoConfigError } from '../domo/errors.ts';
import type { ObjectStore } from '../ports.ts';
import { deleteGuardNote } from './delete-guard-note.ts';
import { shownCustomer } from './instance-mismatch-error.ts';
import { customerBindingKey } from './layout.ts';
import { decodeStoredJson } from './stored-json.ts';

/**
 * Where every instance's state lies: one listing of it finds every binding of the lake. The ingest
 * role may list it and read {@link EVERY_BINDING_KEY} there, besides its own instance's prefixes.
 */
export const STATE_FOLDER = 'state/';

/** Every instance's binding, as an IAM resource glob. */
export const EVERY_BINDING_KEY = `${STATE_FOLDER}instance=*/domo-customer.json`;

/** `state/instance=<name>/domo-customer.json`, the name captured. */
const BINDING_KEY = /^state\/instance=([^/]+)\/domo-customer\.json$/;

/**
 * How the message says to give a renamed instance its old name: in the deployment's configuration,
 * which the command line gives by a flag (it names that flag in its place).
 */
export const BACK_IN_THE_CONFIGURATION = 'back in the configuration';

/** Only the customer is compared: the other instance's own runs judge the rest of its object. */
const customerSchema = z.object({ customer: z.string().min(1) });

/**
 * A new instance's credentials are for the Domo customer another instance of the same lake is
 * bound to: the same API client pasted into two instances' secrets. Both would store every event,
 * and the weekly reports and alerts of both would count it. A configuration error: the new
 * instance's runs fail the same way until its secret holds its own Domo instance's client. An
 * instance renamed in the configuration is refused so too; its fix is the old name back, not
 * deleting the old instance's events, so the message says that first (review R-MSP M2).
 */
class CustomerBoundElsewhereError extends DomoConfigError {
  constructor(
    readonly instance: string,
    readonly other: string,
    readonly customer: string,
    location: string,
  ) {
    const shown = shownCustomer(customer);
    super(
      `instance "${instance}" of this lake is not bound to a Domo customer yet, and these credentials are ` +
        `for Domo customer "${shown}", whose events instance "${other}" of this lake already holds ` +
        `(${customerBindingKey(other)}): none was stored, since both instances would store every event ` +
        `and report it twice. Put the API client of the Domo instance meant for "${instance}" in ` +
        `"${instance}"'s secret (or its DOMO_CLIENT_ID/DOMO_CLIENT_SECRET), not "${other}"'s. If ` +
        `"${instance}" is "${other}" renamed, put the old name "${other}" ${BACK_IN_THE_CONFIGURATION}: ` +
        "an instance's name is the key of its events, binding and digest chain, and cannot be " +
        `changed in place; delete nothing. Only if "${other}" is the one holding the wrong customer ` +
        `(its secret held "${shown}"'s client by mistake), delete ${customerBindingKey(other)}` +
        `${deleteGuardNote(location)} and the events it stored, then put the right client in its ` +
        `secret. A second copy of customer "${shown}" belongs in another lake, not in another ` +
        'instance of this one.',
    );
    this.name = 'CustomerBoundElsewhereError';
  }
}

/**
 * Refuses to bind `instance` to `customer` when another instance of the lake is bound to it. Read
 * only when the instance has no binding yet (its first run, or the run after its binding was
 * deleted): one listing of `state/` (a few keys per instance) and a read of each other binding.
 * An unreadable other binding is passed over: that instance's own runs report it.
 */
export async function assertCustomerUnbound(
  store: ObjectStore,
  instance: string,
  customer: string,
): Promise<void> {
  for await (const key of store.list(STATE_FOLDER)) {
    const other = BINDING_KEY.exec(key)?.[1];
    if (other === undefined || other === instance) continue;
    const stored = await store.get(key);
    if (!stored) continue;
    const reading = decodeStoredJson(stored.body, customerSchema);
    if (reading.ok && reading.value.customer === customer) {
      throw new CustomerBoundElsewhereError(instance, other, customer, store.location);
    }
  }
}
