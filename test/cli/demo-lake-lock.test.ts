import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherDemoError } from '../../functions/cli/commands/demo.ts';
import { DEMO_LOCK, DEMO_MARKER } from '../../functions/cli/demo-lake.ts';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';
import { demoLake } from '../support/demo-lake.ts';

/**
 * Two demos on one lake each cleared and filled it under the other, and both printed summaries
 * that contradicted themselves. The demo holds its lake while it runs: a second one is refused at
 * once, and a crashed one's lock does not block the next.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-lake-lock-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const SMALLEST = ['--days', '1', '--users', '2'];

/** The smallest demo (a day of two people), through `main` as the command line runs it. */
async function demo(lake: string) {
  const { io, stdout, stderr } = captureIo();
  const code = await main(['demo', '--lake', lake, ...SMALLEST], io);
  return { code, stdout: stdout(), stderr: stderr() };
}

/**
 * The smallest demo's lake, the demo ended at its ingest's line (test/support/demo-lake.ts): past
 * the lock, which it releases as it ends either way, with what it wrote to stderr. It rejects if
 * the demo fails before that line (a lock it did not take).
 */
async function demoToItsLake(lake: string) {
  const { io, stderr } = captureIo();
  await demoLake(['--lake', lake, ...SMALLEST], io);
  return { stderr: stderr() };
}

describe('demo: one demo at a time on a lake', () => {
  it('refuses a second demo on the lake one is building, at once, and lets the first finish', async () => {
    const lake = join(dir, 'two', 'lake');
    const [first, second] = await Promise.all([demo(lake), demo(lake)]);
    const codes = [first.code, second.code].sort();
    expect(codes).toEqual([0, 1]);
    const refused = first.code === 1 ? first : second;
    const built = first.code === 1 ? second : first;
    expect(refused.stderr).toBe(
      `error: another demo is building ${lake} (process ${process.pid}); wait for it or pass --lake <new dir>\n`,
    );
    expect(refused.stdout).toBe('');
    // The one that ran says what it built, once: no second run's lines in it.
    expect(built.stdout.match(/^Simulated Domo: /gm)).toHaveLength(1);
    expect(built.stdout).toContain('  OK\n');
    // Released once done: the lake holds no lock, and the next demo runs (to its lake: the lock
    // is taken before it).
    expect(existsSync(join(lake, DEMO_LOCK))).toBe(false);
    expect((await demoToItsLake(lake)).stderr).toBe('');
  });

  it("breaks a crashed demo's lock (its process gone) and builds the lake", async () => {
    const lake = join(dir, 'crashed', 'lake');
    await mkdir(lake, { recursive: true });
    await writeFile(join(lake, DEMO_MARKER), '');
    // A process that has ended: its pid names nobody now.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const owner = { pid: gone, host: hostname(), acquired_at: new Date().toISOString(), token: 'dead' };
    await writeFile(join(lake, DEMO_LOCK), JSON.stringify(owner));
    expect((await demoToItsLake(lake)).stderr).toBe('');
    expect((await readdir(lake)).filter((name) => name.startsWith(DEMO_LOCK))).toEqual([]);
  });

  it("names the holder's host when it is another machine's, and says nothing it does not know", () => {
    const holder = { pid: 42, host: 'build-box', acquiredAt: '2026-12-03T07:00:00Z' };
    expect(anotherDemoError('./lake', holder).message).toBe(
      'another demo is building ./lake (process 42 on build-box); wait for it or pass --lake <new dir>',
    );
    expect(anotherDemoError('./lake', undefined).message).toBe(
      'another demo is building ./lake; wait for it or pass --lake <new dir>',
    );
  });
});
