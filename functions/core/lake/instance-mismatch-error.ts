import { DomoConfigError } from '../domo/errors.ts';

/**
 * The run's credentials are for another Domo instance than the one the lake's instance was filled
 * from (the customer its checkpoint records): storing their events would mix two companies' activity
 * in one instance with no sign. A configuration error: every run fails the same way until the
 * credentials or the instance are changed. Names the customers, never the credentials.
 */
export class InstanceMismatchError extends DomoConfigError {
  constructor(
    readonly instance: string,
    /** The customer the checkpoint records. */
    readonly recorded: string,
    /** The customer the run's token names. */
    readonly offered: string,
  ) {
    super(
      `instance "${instance}" of this lake was filled from Domo customer "${recorded}", but these ` +
        `credentials are for Domo customer "${offered}": none of their events was stored. Put the API client of ` +
        `customer "${recorded}" in the instance's secret (or its DOMO_CLIENT_ID/DOMO_CLIENT_SECRET), ` +
        `or ingest customer "${offered}" under another instance name or into another lake.`,
    );
    this.name = 'InstanceMismatchError';
  }
}
