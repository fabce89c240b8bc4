import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface LoopbackEndpoint {
  /** `METHOD /path` of every request, in arrival order. */
  requests: string[];
  /** `http://127.0.0.1:<port>`, for a client's endpoint setting. */
  endpoint: string;
}

/**
 * A fake AWS endpoint on loopback for the calling test file: each call starts a server that
 * records every request and answers it with `respond`; the server is closed after each test.
 */
export function loopbackEndpoints(): (
  respond: (req: IncomingMessage, res: ServerResponse) => void,
) => Promise<LoopbackEndpoint> {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });
  return async (respond) => {
    const requests: string[] = [];
    const started = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      req.resume();
      respond(req, res);
    });
    server = started;
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    const { port } = started.address() as AddressInfo;
    return { requests, endpoint: `http://127.0.0.1:${port}` };
  };
}
