import { oneLine } from '../domo/error-detail.ts';
import { DomoConfigError } from '../domo/errors.ts';
import { MAX_CUSTOMER_CHARS } from '../domo/token-provider.ts';

/**
 * A customer name as a message quotes it: a token answer's text (or an edited binding object's),
 * so escape sequences and newlines become spaces, as the token log line shows it.
 */
export const shownCustomer = (customer: string): string => oneLine(customer, MAX_CUSTOMER_CHARS);

/**
 * The advice of {@link UnexpectedCustomerError} on the expected customer itself: the deployment's
 * setting, which the command line gives by a flag (it names that flag in its place).
 */
export const CORRECT_EXPECTED_CUSTOMER = "correct the instance's expected Domo customer";

/**
 * The advice of {@link InstanceMismatchError} for another customer meant: a name the deployment
 * configures, and the command line gives by a flag (it names that flag in its place).
 */
export const UNDER_ANOTHER_INSTANCE = 'under another instance name or into another lake';

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
        `or ingest customer "${other}" ${UNDER_ANOTHER_INSTANCE}.`,
    );
    this.name = 'InstanceMismatchError';
  }
}

/**
 * The run's credentials are for another Domo customer than the one the deployment says the
 * instance is for (`instances[].domoCustomer`): two customers' secrets swapped at onboarding would
 * otherwise bind each instance to the other's customer on its first run, silently and for good, and
 * mail each customer's report with the other's activity (review R-MSP H1). Refused before any page
 * is stored or the instance is bound. A configuration error: every run fails the same way until the
 * secret or the expected customer is changed.
 */
export class UnexpectedCustomerError extends DomoConfigError {
  constructor(
    readonly instance: string,
    /** The customer the configuration expects. */
    readonly expected: string,
    /** The customer the run's token names. */
    readonly offered: string,
  ) {
    const meant = shownCustomer(expected);
    const other = shownCustomer(offered);
    super(
      `instance "${instance}" is configured for Domo customer "${meant}", but these credentials are ` +
        `for Domo customer "${other}": none of their events was stored, and the instance was not bound ` +
        `to "${other}". Put the API client of customer "${meant}" in the instance's secret (or its ` +
        "DOMO_CLIENT_ID/DOMO_CLIENT_SECRET; a secret swapped with another instance's is the usual " +
        `cause), or ${CORRECT_EXPECTED_CUSTOMER} if that is what is wrong.`,
    );
    this.name = 'UnexpectedCustomerError';
  }
}
