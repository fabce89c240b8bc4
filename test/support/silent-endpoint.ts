import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach } from 'vitest';

export interface SilentEndpoint {
  /** `http://127.0.0.1:<port>`, for a client's endpoint setting. */
  endpoint: string;
  /** Connections accepted so far: one per attempt the client made. */
  connections(): number;
}

/**
 * An endpoint that accepts connections, reads what is sent and never answers: what a client meets
 * on a half-open connection or behind a black-holing middlebox. Closed after each test of the file.
 */
export function silentEndpoints(): () => Promise<SilentEndpoint> {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });
  return async () => {
    let accepted = 0;
    const server = createServer((socket) => {
      accepted += 1;
      sockets.push(socket);
      socket.resume();
      socket.on('error', () => undefined);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { endpoint: `http://127.0.0.1:${port}`, connections: () => accepted };
  };
}

/** The settings an SDK client's Node request handler resolved, without sending anything. */
export async function requestHandlerSettings(client: {
  config: { requestHandler: unknown };
}): Promise<Record<string, unknown>> {
  // The SDK types requestHandler as a generic RequestHandler; the Node one exposes its settings,
  // resolved on its first request: here one whose signal is aborted before it goes out.
  const handler = client.config.requestHandler as {
    handle(request: unknown, options: { abortSignal: AbortSignal }): Promise<unknown>;
    httpHandlerConfigs(): Record<string, unknown>;
  };
  const request = {
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 9,
    method: 'GET',
    path: '/',
    headers: {},
  };
  await handler.handle(request, { abortSignal: AbortSignal.abort() }).catch(() => undefined);
  return handler.httpHandlerConfigs();
}

/** How long `work` took to fail, and its error (an error saying so when it succeeded). */
export async function failureOf(work: Promise<unknown>): Promise<{ ms: number; error: Error }> {
  const started = Date.now();
  const error = await work.then(
    () => new Error('it succeeded'),
    (e: unknown) => e as Error,
  );
  return { ms: Date.now() - started, error };
}
