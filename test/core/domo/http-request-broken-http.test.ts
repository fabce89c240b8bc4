import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import {
  DOMO_ADDRESS,
  GIVEN_UP,
  type HttpDeps,
  type HttpRequest,
  jsonBody,
  type RetryEvent,
  sendRequest,
} from '../../../functions/core/domo/http-request.ts';
import { refusedBase } from './support/fake-domo.ts';
import { fakeTime } from './support/fake-time.ts';
import { noPacing } from './support/no-pacing.ts';

// A server that answers something other than HTTP was reached: its failure was worded "Domo could
// not be reached: check its address and the network" (review 39c, item 4).

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A raw TCP server that answers every request with `answer`, then closes. */
async function rawServer(answer: (socket: Socket) => void): Promise<string> {
  const raw = createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => answer(socket));
  });
  server = raw;
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
}

const retries: RetryEvent[] = [];
const deps = (): HttpDeps => {
  const time = fakeTime();
  return {
    fetch: (url, init) => fetch(url, init),
    limiter: noPacing,
    clock: time.clock,
    sleep: time.sleep,
    backoff: { baseDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs: 1000, random: () => 0.5 },
    requestTimeoutMs: 2000,
    maxAttempts: 2,
    userAgent: 'test',
    scrub: (text) => text,
    onRetry: (event) => retries.push(event),
  };
};

const post = (base: string): HttpRequest<unknown[]> => ({
  name: 'POST /oauth/token',
  method: 'POST',
  url: `${base}/oauth/token`,
  headers: {},
  body: 'grant_type=client_credentials',
  decode: jsonBody(z.array(z.unknown()), 'a JSON array'),
  fix: () => 'fix',
});

const failure = async (base: string): Promise<DomoUnavailableError> => {
  retries.length = 0;
  const error = await sendRequest(deps(), post(base)).catch((e) => e);
  expect(error).toBeInstanceOf(DomoUnavailableError);
  return error;
};

/**
 * How a parse error of llhttp's is named: by its code on Node 20; on Node 24 (the Lambdas'), whose
 * undici leaves the code out, by the parser's reason.
 */
const parseError = (code: string, reason: string) => [code, `HTTP parser: ${reason}`];

describe('an answer that is not HTTP', () => {
  it.each([
    [
      'garbage',
      parseError('HPE_INVALID_CONSTANT', 'Expected HTTP/, RTSP/ or ICE/'),
      (socket: Socket) => socket.end('GARBAGE\r\n\r\n'),
    ],
    [
      'a Content-Length that is not a number',
      parseError('HPE_INVALID_CONTENT_LENGTH', 'Invalid character in Content-Length'),
      (socket: Socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n[]'),
    ],
    [
      'an unsolicited 100 Continue',
      ['UND_ERR_SOCKET'],
      (socket: Socket) =>
        socket.end('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]'),
    ],
    [
      'too many content-encodings',
      ['too many content-encodings'],
      (socket: Socket) =>
        socket.end(
          `HTTP/1.1 200 OK\r\nContent-Encoding: ${Array(10).fill('gzip').join(', ')}\r\nContent-Length: 2\r\n\r\n[]`,
        ),
    ],
  ])('is worded as broken HTTP, not as an unreachable Domo (%s)', async (_, names, answer) => {
    const error = await failure(await rawServer(answer));
    const code =
      names.find((name) => error.message.includes(`broken HTTP answer (${name})`)) ?? String(names[0]);
    expect(error.message).toBe(
      `POST /oauth/token failed after 2 attempts; last: broken HTTP answer (${code}). ` +
        `${GIVEN_UP.brokenHttp(code, DOMO_ADDRESS)}`,
    );
    expect(error.message).toContain(': check its address, or try again later.');
    expect(error.message).not.toContain(GIVEN_UP.unreachable(DOMO_ADDRESS));
    expect(retries[0]?.reason).toBe(`broken HTTP answer (${code})`);
  });

  it('leaves a connection closed before any byte came back worded as unreachable', async () => {
    // Nothing listening behind a published port or a tunnel: the connection is taken, then closed.
    const error = await failure(await rawServer((socket) => socket.end()));
    expect(error.message).toContain('network error (UND_ERR_SOCKET)');
    expect(error.message).toContain(GIVEN_UP.unreachable(DOMO_ADDRESS));
  });

  it('names the address as the caller does (the CLI names its flag)', async () => {
    const base = await rawServer((socket) => socket.end('GARBAGE\r\n\r\n'));
    const named = await sendRequest({ ...deps(), addressName: '--api-base' }, post(base)).catch((e) => e);
    expect(named.message).toMatch(
      /broken HTTP \((HPE_INVALID_CONSTANT|HTTP parser: Expected HTTP\/, RTSP\/ or ICE\/)\): check --api-base, or try again later\.$/,
    );
    const refused = await sendRequest(
      { ...deps(), addressName: '--api-base' },
      post(await refusedBase()),
    ).catch((e) => e);
    expect(refused.message).toMatch(/Domo could not be reached: check --api-base and the network, or try/);
  });

  // CI runs Node 20, whose undici names the parse error by its code: an error shaped as Node 24's
  // (the Lambdas' runtime) proves the other branch wherever the suite runs.
  it("reads Node 24's parse error, which has no code, as broken HTTP with the parser's reason", async () => {
    const parserError = Object.assign(
      new Error('Response does not match the HTTP/1.1 protocol (Invalid character in Content-Length)'),
      { name: 'HTTPParserError', code: undefined, data: 'abc' },
    );
    retries.length = 0;
    const error = await sendRequest(
      { ...deps(), fetch: () => Promise.reject(new TypeError('fetch failed', { cause: parserError })) },
      post('http://domo.test'),
    ).catch((e) => e);
    const reason = 'HTTP parser: Invalid character in Content-Length';
    expect(error.message).toBe(
      `POST /oauth/token failed after 2 attempts; last: broken HTTP answer (${reason}). ` +
        `${GIVEN_UP.brokenHttp(reason, DOMO_ADDRESS)}`,
    );
    expect(retries[0]?.reason).toBe(`broken HTTP answer (${reason})`);
  });

  it('leaves a refused connection worded as unreachable', async () => {
    const error = await failure(await refusedBase());
    expect(error.message).toContain('network error (ECONNREFUSED)');
    expect(error.message).toContain(GIVEN_UP.unreachable(DOMO_ADDRESS));
  });
});
