import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { makeDirectory } from '../../functions/adapters/make-directory.ts';
import { removeMadeDirectories } from '../../functions/cli/made-directories.ts';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

// A Domo that refuses the client: every run fails before it stores anything.
let server: Server;
let apiBase: string;
let dir: string;
beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'ingest-failed-lake-'));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function ingest(lake: string, extra: string[] = []) {
  const { io, stderr } = captureIo({ DOMO_CLIENT_ID: 'id', DOMO_CLIENT_SECRET: 'secret' });
  const code = await main(['ingest', '--lake', lake, '--api-base', apiBase, ...extra], io);
  return { code, stderr: stderr() };
}

const RANGE = ['--from', '2026-11-20T00:00:00Z', '--to', '2026-11-20T02:00:00Z'];

describe.concurrent('a failed ingest and the lake directory it made', () => {
  it('a first run (checkpoint) removes the lake and the parents it made; the error stays one line', async ({
    expect,
  }) => {
    const r = await ingest(join(dir, 'first', 'lake'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: ingest stopped[^\n]*\n$/);
    expect(existsSync(join(dir, 'first'))).toBe(false);
  });

  it('a range run removes the lake it made, not the parent that was there', async ({ expect }) => {
    await mkdir(join(dir, 'there'));
    const r = await ingest(join(dir, 'there', 'lake'), RANGE);
    expect(r.code).toBe(1);
    expect(await readdir(join(dir, 'there'))).toEqual([]);
  });

  it('leaves a lake directory that was there before the run, and the note of its run', async ({ expect }) => {
    const lake = join(dir, 'made-before');
    await mkdir(lake);
    expect((await ingest(lake)).code).toBe(1);
    // A lake that was there keeps the note of its run for status.
    expect(await readdir(lake)).toEqual(['state']);
    expect((await ingest(lake, RANGE)).code).toBe(1);
    expect(existsSync(lake)).toBe(true);
  });
});

describe.concurrent('removeMadeDirectories', () => {
  it('removes the made directories and their empty folders, deepest first', async ({ expect }) => {
    const top = join(dir, 'unit-empty');
    const made = await makeDirectory(join(top, 'a', 'lake'));
    expect(made).toEqual([join(top, 'a', 'lake'), join(top, 'a'), top]);
    await mkdir(join(top, 'a', 'lake', 'state', 'instance=main'), { recursive: true });
    expect(removeMadeDirectories(made)).toBe(top);
    expect(existsSync(top)).toBe(false);
  });

  it('never removes one holding a file, nor the parents of one kept', async ({ expect }) => {
    const top = join(dir, 'unit-file');
    const made = await makeDirectory(join(top, 'lake'));
    await mkdir(join(top, 'lake', 'state'), { recursive: true });
    await writeFile(join(top, 'lake', 'state', 'note.json'), '{}');
    expect(removeMadeDirectories(made)).toBeUndefined();
    expect(await readdir(join(top, 'lake', 'state'))).toEqual(['note.json']);

    const beside = join(dir, 'unit-beside');
    const madeBeside = await makeDirectory(join(beside, 'lake'));
    await mkdir(join(beside, 'lake'), { recursive: true });
    await writeFile(join(beside, 'other.txt'), 'mine');
    expect(removeMadeDirectories(madeBeside)).toBe(join(beside, 'lake'));
    expect(await readdir(beside)).toEqual(['other.txt']);
  });

  it('makes nothing of a directory that exists', async ({ expect }) => {
    expect(await makeDirectory(dir)).toEqual([]);
    expect(removeMadeDirectories([])).toBeUndefined();
  });
});
