/**
 * Whether a failed AWS SDK call certainly sent nothing, so that sending again cannot deliver twice:
 * the connection to the service never opened (refused, no such host, DNS not answering, no route,
 * the connect timeout) or there were no credentials to sign the request with. A reset socket, a
 * request timeout or a 5xx come after the request went out, and stay unknown.
 */
import { errorCode } from './error-code.ts';

/** Node's codes of a connection that never opened. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * The node-http-handler's connect timeout (now "did not establish a connection", before
 * "Socket timed out without establishing a connection"); its request timeout says neither.
 */
const CONNECT_TIMEOUT = /did not establish a connection|without establishing a connection/;

const notConnected = (error: unknown): boolean => {
  // Connecting to each address of a host in turn fails with all of their errors at once.
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.every(notConnected);
  const code = errorCode(error);
  return code !== undefined && NOT_CONNECTED.has(code);
};

/**
 * Why nothing was sent, for the refusal's message, and the error's code (Node's, else its name);
 * undefined when it may have been.
 */
export function notSentReason(error: unknown): { reason: string; code: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = errorCode(error) ?? error.name;
  if (error.name === 'CredentialsProviderError') {
    return { reason: 'no AWS credentials to sign the request with', code };
  }
  if (notConnected(error)) return { reason: 'the connection to the service did not open', code };
  if (error.name === 'TimeoutError' && CONNECT_TIMEOUT.test(error.message)) {
    return { reason: 'the connection to the service did not open in time', code };
  }
  return undefined;
}
