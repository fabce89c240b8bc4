import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

// Review op2 L6: `npm run` starts the command in the checkout's root, so a relative --lake is read
// from there (`../lake` typed in docs/ was /tmp/lake): the messages show the full path looked at.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lake-relative-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  const { io, stdout, stderr } = captureIo();
  const code = await main(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe('a relative --lake in an error', () => {
  it('shows the full path it looked at', async () => {
    const missing = relative(process.cwd(), join(dir, 'nowhere'));
    expect((await run(['status', '--lake', missing])).stderr).toContain(
      `there is no lake at ${missing} (${join(dir, 'nowhere')}: no such directory): point --lake at`,
    );
    await mkdir(join(dir, 'plain'));
    const plain = relative(process.cwd(), join(dir, 'plain'));
    expect((await run(['verify', '--lake', plain])).stderr).toContain(
      `error: ${plain} (${join(dir, 'plain')}) is empty: no ingest or demo has written a lake there yet`,
    );
  });
});
