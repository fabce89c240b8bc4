import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

// A refused request's advice (a 404, another 4xx) said "check apiBase", the Lambda's setting, in
// the CLI too, where the reader sets Domo's address with --api-base.

/** Answers the token request with `tokenStatus`, and, once given a token, every page with 404. */
function domo(tokenStatus: number): Server {
  return createServer((request, response) => {
    if (request.url?.startsWith('/oauth/token') && tokenStatus === 200) {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: 'tok-abc', expires_in: 3600, token_type: 'bearer' }));
      return;
    }
    const status = request.url?.startsWith('/oauth/token') ? tokenStatus : 404;
    response.writeHead(status, { 'content-type': 'text/plain' }).end('no');
  });
}

const servers: Record<string, Server> = {};
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-refusal-advice-'));
  for (const [name, status] of [
    ['tokenMissing', 404],
    ['tokenOther', 405],
    ['pageMissing', 200],
  ] as const) {
    const server = domo(status);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers[name] = server;
  }
});
afterAll(async () => {
  for (const server of Object.values(servers)) await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function stderrOf(name: string): Promise<{ code: number; stderr: string; apiBase: string }> {
  const server = servers[name] as Server;
  const apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { io, stderr } = captureIo({ DOMO_CLIENT_ID: 'id', DOMO_CLIENT_SECRET: 'secret' });
  const argv = [
    'ingest',
    ...['--from', '2026-10-01T00:00:00Z', '--to', '2026-10-01T01:00:00Z'],
    ...['--lake', join(dir, name), '--api-base', apiBase],
  ];
  const code = await main(argv, io);
  return { code, stderr: stderr(), apiBase };
}

describe.concurrent("a refused Domo request's advice names --api-base", () => {
  it('no token endpoint', async ({ expect }) => {
    const r = await stderrOf('tokenMissing');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`No token endpoint at ${r.apiBase}: check --api-base`);
    expect(r.stderr).not.toContain('apiBase');
  });

  it('another refusal of the token request', async ({ expect }) => {
    const r = await stderrOf('tokenOther');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Check --api-base (${r.apiBase}) and the API client`);
    expect(r.stderr).not.toContain('apiBase');
  });

  it('no activity log endpoint', async ({ expect }) => {
    const r = await stderrOf('pageMissing');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`No activity log endpoint at ${r.apiBase}/v1/audit: check --api-base`);
    expect(r.stderr).not.toContain('apiBase');
  });
});
