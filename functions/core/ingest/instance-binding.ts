import type { AuditSource } from '../domo/audit-source.ts';
import { DomoConfigError } from '../domo/errors.ts';
import { bindCustomer } from '../lake/customer-binding.ts';
import { InstanceMismatchError, UnexpectedCustomerError } from '../lake/instance-mismatch-error.ts';
import type { Log, ObjectStore } from '../ports.ts';

/** What binding a run's source to its lake's instance needs. */
interface BindingStart {
  instance: string;
  /**
   * The customer the deployment says the instance is for: any other is refused before the lake is
   * read or bound, so a first run with another customer's secret binds nothing.
   */
  expected?: string;
  /** The lake itself, not the digest recorder over it: the binding is no entry of a run's digest. */
  store: ObjectStore;
  runId: string;
  now: () => number;
  log: Log;
  /** Told the customer of each page that passed the checks (the run's summary names it). */
  accepted?: (customer: string) => void;
}

/**
 * Ties the run to the Domo instance its lake's instance is bound to. Each page is checked after it
 * is read and before it is handed on, so before any of its entries can be stored: the first page
 * whose token names a customer binds the lake to it if nothing does yet (lake/customer-binding.ts,
 * a create-only object, so of two racing first runs only one binds), and every page whose token
 * names another customer than the lake's fails with {@link InstanceMismatchError}, a configuration
 * error that stops the run. A token renewed mid-run is checked like the first. The check costs no
 * Domo request: the token is the one the page was read with.
 *
 * With an expected customer ({@link BindingStart.expected}), a page whose token names any other fails
 * with {@link UnexpectedCustomerError} before the binding is read or created.
 *
 * A token answer without a customer (Domo may leave it out) binds nothing: the run goes on, warned
 * once. A source that cannot tell (a test's) is returned as it is.
 */
export function bindInstance(source: AuditSource, start: BindingStart): AuditSource {
  const tell = source.customer?.bind(source);
  if (!tell) return source;
  // Asked once, by the first page that names a customer; the pages read meanwhile wait on it. A
  // failure that is no configuration error (the store down past the SDK's retries) is forgotten, so
  // the next page asks again instead of every page in flight failing on one answer.
  let lake: Promise<string> | undefined;
  let warned = false;
  const check = async (): Promise<void> => {
    const customer = tell();
    if (customer === undefined) {
      if (!warned) warnUnnamed(start);
      warned = true;
      return;
    }
    if (start.expected !== undefined && customer !== start.expected) {
      throw new UnexpectedCustomerError(start.instance, start.expected, customer);
    }
    if (lake === undefined) {
      const asked = bindLake(start, customer);
      lake = asked;
      asked.catch((error: unknown) => {
        if (!(error instanceof DomoConfigError) && lake === asked) lake = undefined;
      });
    }
    const bound = await lake;
    if (customer !== bound) throw new InstanceMismatchError(start.instance, bound, customer);
    start.accepted?.(customer);
  };
  return {
    fetchPage: async (query, signal, priority) => {
      const page = await source.fetchPage(query, signal, priority);
      await check();
      return page;
    },
    customer: tell,
  };
}

/** The lake's customer, bound to the run's when it had none (said in the log). */
async function bindLake(start: BindingStart, customer: string): Promise<string> {
  const bound = await bindCustomer(start.store, {
    instance: start.instance,
    customer,
    runId: start.runId,
    now: start.now(),
  });
  if (bound.created) {
    start.log.info("The lake's instance had no Domo customer: it is bound to this run's credentials'", {
      instance: start.instance,
      customer,
    });
  }
  return bound.customer;
}

/**
 * The run's token answers name no customer it can record: none, or one the run drops (empty, too
 * long, or holding the client secret, which must be neither written nor printed), so the warning
 * quotes none. Nothing ties the lake to its instance.
 */
function warnUnnamed(start: BindingStart): void {
  start.log.warn(
    "Domo's token answer names no customer this run can record (none, or one empty, too long or holding the client secret, so not shown): the run cannot check that its credentials are for the instance the lake was filled from, and binds none",
    { instance: start.instance },
  );
}
