import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';
import { fakeSignals } from '../support/fake-signals.ts';

// A Domo that never answers: Ctrl-C comes while the first request (the token) hangs, nothing stored.
let server: Server;
let apiBase: string;
let dir: string;
const waiting: ServerResponse[] = [];
let onRequest: (() => void) | undefined;
beforeAll(async () => {
  server = createServer((_request: IncomingMessage, response: ServerResponse) => {
    waiting.push(response);
    onRequest?.();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'ingest-interrupted-lake-'));
});
afterAll(async () => {
  for (const response of waiting) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** Runs a checkpoint ingest into `lake` and sends SIGINT once Domo has been asked. */
async function interruptedIngest(lake: string) {
  const signals = fakeSignals();
  const asked = new Promise<void>((resolve) => {
    onRequest = resolve;
  });
  const { io, stderr } = captureIo({ DOMO_CLIENT_ID: 'id', DOMO_CLIENT_SECRET: 'secret' });
  const running = main(['ingest', '--lake', lake, '--api-base', apiBase], {
    ...io,
    interrupts: signals.source,
  });
  await asked;
  signals.send('SIGINT');
  return { code: await running, stderr: stderr() };
}

describe('an interrupted first ingest that stored nothing', () => {
  it('leaves no lake and no note of its run, as a failed one does', async ({ expect }) => {
    const r = await interruptedIngest(join(dir, 'new', 'lake'));
    expect(r.code, r.stderr).toBe(130);
    expect(existsSync(join(dir, 'new'))).toBe(false);
  });

  it('keeps the note of its run in a lake directory that was there before', async ({ expect }) => {
    const lake = join(dir, 'there');
    await mkdir(lake);
    const r = await interruptedIngest(lake);
    expect(r.code, r.stderr).toBe(130);
    expect(await readdir(lake)).toEqual(['state']);
  });
});
