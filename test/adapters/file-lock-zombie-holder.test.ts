/**
 * A holder killed while its parent does not reap it (a stopped job, a container's pid 1 without an
 * init) stays a zombie: signal 0 still reaches it and its start time is still its own, so its lock
 * read as alive and every waiter failed until the parent reaped it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../functions/adapters/file-lock.ts';
import { procIdentity } from '../../functions/adapters/process-identity.ts';

let dir: string | undefined;
let parent: ChildProcess | undefined;
afterEach(async () => {
  parent?.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A `sleep` whose parent (an exec'd `sleep` that never waits) leaves it a zombie once killed. */
async function zombie(): Promise<number> {
  parent = spawn('sh', ['-c', 'sleep 30 & echo $!; exec sleep 60']);
  const pid = await new Promise<number>((resolve) => parent?.stdout?.once('data', (d) => resolve(Number(d))));
  // Killed while the shell still runs, the shell would reap it: wait until it has become `sleep 60`.
  await until(async () => (await readFile(`/proc/${parent?.pid}/comm`, 'utf8')).trim() === 'sleep');
  process.kill(pid, 'SIGKILL');
  await until(async () => /\) Z /.test(await readFile(`/proc/${pid}/stat`, 'utf8')));
  return pid;
}

/** Waits up to 5 s, 10 ms at a time, for `done`. */
async function until(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the zombie was not made in 5 s');
}

describe.runIf(existsSync('/proc/self/stat'))('withFileLock, a lock whose holder is a zombie', () => {
  it('is taken over at once, not waited on until the parent reaps it', async () => {
    const pid = await zombie();
    dir = await mkdtemp(join(tmpdir(), 'file-lock-zombie-'));
    const lockPath = join(dir, '.k.lock');
    const owner = {
      pid,
      host: hostname(),
      acquired_at: new Date().toISOString(),
      token: 'theirs',
      pid_ns: procIdentity.pidNamespace(),
      boot_id: procIdentity.bootId(),
      started: procIdentity.startTime(pid),
    };
    await writeFile(lockPath, JSON.stringify(owner));
    const taken = await withFileLock(
      lockPath,
      { staleMs: 600_000, timeoutMs: 500, timedOut: () => new Error('timed out') },
      async () => 'in',
    );
    expect(taken).toBe('in');
  });
});
