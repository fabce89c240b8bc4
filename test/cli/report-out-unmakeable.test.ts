import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { sharedKnownLake } from '../report/known-lake.ts';
import { captureIo } from '../support/capture-io.ts';

let lake: string;
let dir: string;
beforeAll(async () => {
  lake = (await sharedKnownLake()).lakeDir;
  dir = await mkdtemp(join(tmpdir(), 'cli-unmakeable-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Node 20's own recursive mkdir never returns under /proc: the commands must answer well within this. */
const AT_ONCE_MS = 10_000;

describe('a directory the commands cannot make', () => {
  it(
    'report --out under /proc fails at once, naming the directory, why and the fix',
    async () => {
      const { io, stderr } = captureIo();
      const args = ['report', '--lake', lake, '--instance', 'acme', '--week', '2026-W47'];
      expect(await main([...args, '--out', '/proc/nope/r.html'], io)).toBe(1);
      expect(stderr()).toBe(
        'error: cannot create the directory /proc/nope/r.html: /proc takes no new directories (a virtual file system such as /proc or /sys); choose a directory on a writable file system, or create it yourself first\n',
      );
    },
    AT_ONCE_MS,
  );

  it(
    'demo --out under /proc fails at once, naming the directory',
    async () => {
      const { io, stderr } = captureIo();
      // --out is made before the demo simulates anything; the smallest company and span keep a
      // demo that got past it short.
      const args = [
        'demo',
        '--lake',
        join(dir, 'lake'),
        '--days',
        '1',
        '--users',
        '1',
        '--out',
        '/proc/nope',
      ];
      expect(await main(args, io)).toBe(1);
      expect(stderr()).toContain(
        'error: cannot create the directory /proc/nope: /proc takes no new directories',
      );
    },
    AT_ONCE_MS * 3,
  );
});
