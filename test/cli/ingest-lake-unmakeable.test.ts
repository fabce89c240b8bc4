import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';

// A Domo stand-in that counts what reaches it and refuses the token, so a run that did start ends fast.
let server: Server;
let requests = 0;
let apiBase: string;
beforeAll(async () => {
  server = createServer((_request, response) => {
    requests += 1;
    response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('ingest into a lake directory that cannot be made', () => {
  // /proc takes no new directories, even for root (who may write anywhere else).
  it.runIf(process.platform === 'linux')('stops before the first request to Domo, saying why', async () => {
    // A day after the hours pulled, whatever the date: read from the system clock, they would pass
    // Domo's retention in 2027 and its warning would come before the error.
    const clock = clockFrom(Date.parse('2026-11-21T00:00:00Z'));
    const { io, stderr } = captureIoAt(clock, { DOMO_CLIENT_ID: 'id', DOMO_CLIENT_SECRET: 'secret' });
    const code = await main(
      [
        'ingest',
        '--lake',
        '/proc/domo-activity-lake-test',
        '--api-base',
        apiBase,
        '--from',
        '2026-11-20T00:00:00Z',
        '--to',
        '2026-11-20T02:00:00Z',
      ],
      io,
    );
    expect(stderr()).toMatch(
      /^error: cannot create the directory \/proc\/domo-activity-lake-test: \/proc takes no new directories/,
    );
    expect(code).toBe(1);
    expect(requests).toBe(0);
  });
});
