import { oneLine } from '../domo/error-detail.ts';
import { DomoConfigError } from '../domo/errors.ts';
import { MAX_CUSTOMER_CHARS } from '../domo/token-provider.ts';

/**
 * A customer name as a message quotes it: a token answer's text (or an edited binding object's),
 * so escape sequences and newlines become spaces, as the token log line shows it.
 */
export const shownCustomer = (customer: string): string => oneLine(customer, MAX_CUSTOMER_CHARS);

/**
 * The run's credentials are for another Domo instance than the one the lake's instance is bound to
 * (the customer lake/customer-binding.ts records): storing their events would mix two companies'
 * activity in one instance with no sign. A configuration error: every run fails the same way until
 * the credentials or the instance are changed. Names the customers, never the credentials.
 */
export class InstanceMismatchError extends DomoConfigError {
  constructor(
    readonly instance: string,
    /** The customer the lake is bound to. */
    readonly recorded: string,
    /** The customer the run's token names. */
    readonly offered: string,
  ) {
    const bound = shownCustomer(recorded);
    const other = shownCustomer(offered);
    super(
      `instance "${instance}" of this lake was filled from Domo customer "${bound}", but these ` +
        `credentials are for Domo customer "${other}": none of their events was stored. Put the API client of ` +
        `customer "${bound}" in the instance's secret (or its DOMO_CLIENT_ID/DOMO_CLIENT_SECRET), ` +
        `or ingest customer "${other}" under another instance name or into another lake.`,
    );
    this.name = 'InstanceMismatchError';
  }
}
