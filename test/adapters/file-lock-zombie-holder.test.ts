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
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100; i++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return pid;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`process ${pid} did not become a zombie`);
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
