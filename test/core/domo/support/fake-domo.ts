import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake answers to one request. */
export type Reply =
  | { status?: number; json?: unknown; text?: string; headers?: Record<string, string> }
  /** Never answers (the client's timeout must fire). */
  | { hang: true }
  /** Promises a longer body than it sends, then drops the connection. */
  | { cutOff: string };

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeDomo {
  /** `http://127.0.0.1:<port>` */
  base: string;
  requests: RecordedRequest[];
  /** Queues replies for the next requests to a path ending in `/oauth/token` or `/v1/audit`. */
  script(endpoint: 'token' | 'audit', ...replies: Reply[]): void;
  /** Tokens issued so far (`tok-1`, `tok-2`, …). */
  issued: string[];
  close(): Promise<void>;
}

export interface FakeDomoOptions {
  expiresIn?: number;
  /** Token value for the n-th token (from 1); default `tok-<n>`. */
  tokenValue?: (n: number) => string;
  /** Default answer of `/v1/audit` when nothing is scripted. */
  auditDefault?: Reply;
}

/** A tiny scripted stand-in for api.domo.com on 127.0.0.1, for the client's tests only. */
export async function startFakeDomo(options: FakeDomoOptions = {}): Promise<FakeDomo> {
  const queues = { token: [] as Reply[], audit: [] as Reply[] };
  const requests: RecordedRequest[] = [];
  const issued: string[] = [];

  const send = (res: ServerResponse, reply: Reply) => {
    if ('hang' in reply) return;
    if ('cutOff' in reply) {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': String(reply.cutOff.length + 100),
      });
      res.write(reply.cutOff, () => res.destroy());
      return;
    }
    const body = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
    const type = reply.text === undefined ? 'application/json' : 'text/html';
    res.writeHead(reply.status ?? 200, { 'Content-Type': type, ...reply.headers });
    res.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        rawQuery: url.search,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (url.pathname.endsWith('/oauth/token')) {
        const scripted = queues.token.shift();
        if (scripted) return send(res, scripted);
        const token = options.tokenValue?.(issued.length + 1) ?? `tok-${issued.length + 1}`;
        issued.push(token);
        return send(res, {
          json: {
            access_token: token,
            token_type: 'bearer',
            expires_in: options.expiresIn ?? 3599,
            scope: 'audit',
            role: 'Admin',
            customer: 'acme',
            jti: 'j-1',
          },
        });
      }
      if (url.pathname.endsWith('/v1/audit')) {
        return send(res, queues.audit.shift() ?? options.auditDefault ?? { json: [] });
      }
      send(res, { status: 404, json: { status: 404, statusReason: 'Not Found', message: 'no such path' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    issued,
    script(endpoint, ...replies) {
      queues[endpoint].push(...replies);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An address on 127.0.0.1 where nothing listens (connection refused). */
export async function refusedBase(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
