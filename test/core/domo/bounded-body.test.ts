import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditClient } from '../../../functions/core/domo/audit-client.ts';
import {
  DEFAULT_BODY_LIMITS,
  ERROR_BODY_BYTES,
  readBoundedBody,
} from '../../../functions/core/domo/bounded-body.ts';
import { fakeTime } from './support/fake-time.ts';

const limits = { maxWireBytes: 1000, maxBodyBytes: 4000 };

/** A body served in `chunk`-byte pieces, made only when read; `pulled` counts the bytes handed out. */
function lazyBody(total: number, chunk: number, headers: Record<string, string> = {}, status = 200) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= total) return controller.close();
      const size = Math.min(chunk, total - state.pulled);
      state.pulled += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { response: new Response(stream, { status, headers }), state };
}

describe('readBoundedBody', () => {
  it('reads a body within its caps whole', async () => {
    const body = JSON.stringify([{ objectName: 'Ünïcødé 😀' }]);
    const read = await readBoundedBody(new Response(body), limits);
    expect(read.ok && read.body.text()).toBe(body);
    expect(read.ok && read.body.bytes.equals(Buffer.from(body, 'utf8'))).toBe(true);
    const empty = await readBoundedBody(new Response(null, { status: 204 }), limits);
    expect(empty.ok && empty.body.text()).toBe('');
  });

  it('stops reading an unpacked body at maxBodyBytes and cancels the rest', async () => {
    const { response, state } = lazyBody(1_000_000_000, 500, { 'content-encoding': 'gzip' });
    const read = await readBoundedBody(response, limits);
    // The bytes read up to the cap (spaces) named by their hash: they name an entry too large alone.
    const head = createHash('sha256').update(Buffer.alloc(4000, 0x20)).digest('hex');
    expect(read).toEqual({
      ok: false,
      reason: 'is longer than maxBodyBytes (4000 bytes unpacked)',
      headSha256: head,
    });
    expect(state.pulled).toBeLessThanOrEqual(limits.maxBodyBytes + 2 * 500);
    expect(state.cancelled).toBe(true);
  });

  it('holds an unencoded body to maxWireBytes as well, since its bytes are the wire bytes', async () => {
    const { response, state } = lazyBody(10_000, 300);
    expect(await readBoundedBody(response, limits)).toEqual({
      ok: false,
      reason: 'is longer than maxWireBytes (1000 bytes)',
      headSha256: expect.any(String),
    });
    expect(state.pulled).toBeLessThanOrEqual(1000 + 2 * 300);
  });

  it('refuses a body that declares more than maxWireBytes before reading any of it', async () => {
    const { response, state } = lazyBody(5000, 100, { 'content-length': '5000' });
    expect(await readBoundedBody(response, limits)).toEqual({
      ok: false,
      reason: 'declares 5000 bytes, more than maxWireBytes (1000)',
    });
    expect(state.pulled).toBeLessThanOrEqual(2 * 100);
  });

  it('cuts an error body at its first bytes instead of refusing it: only its start is quoted', async () => {
    const { response, state } = lazyBody(10 * ERROR_BODY_BYTES, 1024, {}, 503);
    const read = await readBoundedBody(response, limits);
    expect(read.ok && read.body.bytes.length).toBe(ERROR_BODY_BYTES);
    expect(state.cancelled).toBe(true);
  });

  it('accepts a body of exactly its caps, declared and read', async () => {
    // One chunk that fills the cap to the byte, and a length declared at the cap, are within it.
    const { response } = lazyBody(1000, 1000, { 'content-length': '1000' });
    const read = await readBoundedBody(response, limits);
    expect(read.ok && read.body.bytes.length).toBe(1000);
    const unpacked = lazyBody(4000, 4000, { 'content-encoding': 'gzip' });
    const big = await readBoundedBody(unpacked.response, limits);
    expect(big.ok && big.body.bytes.length).toBe(4000);
  });

  it('cancels the body it refuses for its declared length', async () => {
    const { response, state } = lazyBody(5000, 100, { 'content-length': '5000' });
    await readBoundedBody(response, limits);
    expect(state.cancelled).toBe(true);
  });

  it('cuts an error body that declares more than maxWireBytes instead of refusing it', async () => {
    // A 400 must keep its message (and fail at once) rather than turn into a broken answer to retry.
    const { response } = lazyBody(5000, 100, { 'content-length': '5000' }, 400);
    const read = await readBoundedBody(response, limits);
    expect(read.ok && read.body.bytes.length).toBe(5000);
  });

  it('keeps the first ERROR_BODY_BYTES of an error body that arrives in one larger chunk', async () => {
    // Chunks need not line up with the cut: the part of the chunk that fits is the quoted start.
    const { response } = lazyBody(ERROR_BODY_BYTES + 1000, ERROR_BODY_BYTES + 1000, {}, 500);
    const read = await readBoundedBody(response, limits);
    expect(read.ok && read.body.bytes.length).toBe(ERROR_BODY_BYTES);
  });

  it('reads Content-Encoding without regard to case: an IDENTITY body is held to maxWireBytes', async () => {
    const { response } = lazyBody(2000, 500, { 'content-encoding': ' IDENTITY ' });
    expect(await readBoundedBody(response, limits)).toEqual({
      ok: false,
      reason: 'is longer than maxWireBytes (1000 bytes)',
      headSha256: expect.any(String),
    });
  });

  it('sizes its defaults from a real page with a wide margin', () => {
    const realPage = 475_000;
    expect(DEFAULT_BODY_LIMITS.maxBodyBytes / realPage).toBeGreaterThan(10);
    expect(DEFAULT_BODY_LIMITS.maxWireBytes / realPage).toBeGreaterThan(10);
  });
});

describe('a gzip bomb from the API (issue 10, item 1)', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    return new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('~700 KB on the wire, 700 MB unpacked: each request stops at the cap, the page fails too large', async () => {
    // Concatenated gzip members unpack as one stream: 700 × 1 MiB of spaces.
    const member = gzipSync(Buffer.alloc(1024 * 1024, 0x20));
    const bomb = Buffer.concat(Array.from({ length: 700 }, () => member));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    let audits = 0;
    server = createServer((req, res) => {
      if (req.url?.startsWith('/oauth/token')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'tok', expires_in: 3600 }));
        return;
      }
      audits++;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(bomb);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const time = fakeTime();
    const client = createAuditClient({
      apiBase: `http://127.0.0.1:${port}`,
      credentials: { clientId: 'c', clientSecret: 's' },
      fetch: globalThis.fetch,
      clock: time.clock,
      sleep: time.sleep,
      pacingClock: time.clock,
      random: time.random,
      maxAttempts: 2,
      requestsPerSecond: Number.POSITIVE_INFINITY,
    });
    const rssBefore = process.memoryUsage().rss;
    const page = await client.fetchPage({ start: 0, end: 1, limit: 1000, offset: 0 });
    const grewBy = process.memoryUsage().rss - rssBefore;
    // Each entry alone still too long: handed on as stand-ins to quarantine, their text not kept.
    expect(page.entries).toHaveLength(2);
    expect(page.tooLargeEntries?.map((big) => big.index)).toEqual([0, 1]);
    expect(page.tooLargeEntries?.[0]?.reason).toContain(
      `body is longer than maxBodyBytes (${DEFAULT_BODY_LIMITS.maxBodyBytes} bytes unpacked)`,
    );
    // Asked again for half as many entries each time, never retried as is: 1000, 500 … 3, 2, then
    // one entry at offsets 0 and 1.
    expect(audits).toBe(12);
    // Unpacking it whole took 852 MB; capped attempts stay far below.
    expect(grewBy).toBeLessThan(200 * 1024 * 1024);
  });
});
