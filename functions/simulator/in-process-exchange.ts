/** The part of an HTTP request the simulator reads: `IncomingMessage` has it, and so has an in-process one. */
export interface SimRequest extends AsyncIterable<Uint8Array> {
  method?: string | undefined;
  url?: string | undefined;
  headers: { authorization?: string | undefined };
}

/** The part of an HTTP response the simulator writes: `ServerResponse` has it, and so has an in-process one. */
export interface SimResponse {
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  /** Part of the body, sent before the connection is destroyed (a reset mid-body); `done` once flushed. */
  write(chunk: Uint8Array, done: () => void): unknown;
  end(body: string): unknown;
  destroy(): unknown;
}

/** What `handle` wrote: a status, headers and a body, or a dropped connection. */
class CollectedResponse implements SimResponse {
  destroyed = false;
  writableEnded = false;
  headersSent = false;
  status = 200;
  headers: Record<string, string> = {};
  body = '';
  /** Body bytes written before the connection was destroyed. */
  readonly written: Uint8Array[] = [];

  writeHead(status: number, headers: Record<string, string | number>): void {
    this.headersSent = true;
    this.status = status;
    for (const [name, value] of Object.entries(headers)) this.headers[name] = String(value);
  }

  write(chunk: Uint8Array, done: () => void): void {
    this.written.push(chunk.slice());
    done();
  }

  end(body: string): void {
    this.body = body;
    this.writableEnded = true;
  }

  destroy(): void {
    this.destroyed = true;
  }
}

const bodyText = (body: RequestInit['body']): string => {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string' || body instanceof URLSearchParams) return body.toString();
  throw new TypeError('the in-process simulator takes a string or URLSearchParams body');
};

/** Runs `answer`, rejecting early with the abort reason when `signal` aborts, as `fetch` does. */
function abortable(answer: Promise<void>, signal: AbortSignal | null | undefined): Promise<void> {
  if (!signal) return answer;
  signal.throwIfAborted();
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  // A run-wide signal sees thousands of requests: leave no listener behind once one is answered.
  return Promise.race([answer, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/**
 * A response whose headers came and whose body stops where the connection was reset: reading it
 * yields the bytes sent, then rejects as undici's does (`TypeError: terminated`).
 */
function resetMidBody(res: CollectedResponse): Response {
  const chunks = res.written;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.error(new TypeError('terminated', { cause: new Error('other side closed') }));
    },
  });
  return new Response(body, { status: res.status, headers: res.headers });
}

/**
 * Answers `fetch(url, init)` by calling the simulator's request handler directly: the same routes,
 * faults, delays and paging as over a socket, without the socket. A dropped connection rejects the
 * way undici's `fetch` does (a TypeError), so clients see the failures they would over HTTP.
 */
export async function exchangeInProcess(
  handle: (req: SimRequest, res: SimResponse) => Promise<void>,
  url: string,
  init: RequestInit = {},
): Promise<Response> {
  const target = new URL(url);
  const body = Buffer.from(bodyText(init.body), 'utf8');
  const req: SimRequest = {
    method: init.method ?? 'GET',
    url: `${target.pathname}${target.search}`,
    headers: { authorization: new Headers(init.headers).get('authorization') ?? undefined },
    async *[Symbol.asyncIterator]() {
      if (body.length > 0) yield body;
    },
  };
  const res = new CollectedResponse();
  await abortable(handle(req, res), init.signal);
  if (res.destroyed && res.headersSent && !res.writableEnded) return resetMidBody(res);
  if (res.destroyed || !res.writableEnded) {
    throw new TypeError('fetch failed', { cause: new Error('the simulator dropped the connection') });
  }
  return new Response(res.body, { status: res.status, headers: res.headers });
}
