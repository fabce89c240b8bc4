/**
 * Errors of the Domo client. Messages name what is wrong and how to fix it; they may carry the
 * client id and Domo's own error text, never the client secret or a token.
 */

/** The request can never succeed as configured (400, 403, rejected credentials): retrying is pointless. */
export class DomoConfigError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DomoConfigError';
  }
}

/** Domo stayed unavailable (429, 5xx, timeouts, broken bodies) through every allowed attempt. */
export class DomoUnavailableError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly lastStatus?: number,
    /** The request Domo gave up on (`POST /oauth/token`, `GET /v1/audit`), when known. */
    readonly request?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DomoUnavailableError';
  }
}

/**
 * Domo's answer is not in the shape this version reads, though well formed (a page wrapped in an
 * object): not retried, as every request meets it alike, and a configuration failure, since every
 * run fails the same until a version that reads the new shape is installed. Its own message names
 * what was seen, not an address to check.
 */
export class DomoAnswerShapeError extends DomoConfigError {
  constructor(message: string) {
    super(message, 200);
    this.name = 'DomoAnswerShapeError';
  }
}
