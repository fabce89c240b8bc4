import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProcessIdentity } from '../../functions/adapters/process-identity.ts';
import {
  diskRunProcesses,
  holdingRunLock,
  removeDeadRunLocks,
  runLockName,
  runLocksIn,
} from '../../functions/adapters/run-lock.ts';

// OP-4: `status` and `verify` could not tell a local ingest that was killed, or that failed before
// it recorded its end, from one still running. Each run on a lake on disk holds a lock naming its
// process; what its owner record says of that process is what they are told.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-lock-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** This machine's pid space as the locks below record it; a process's start time is `started`. */
const identity = (started: string): ProcessIdentity => ({
  pidNamespace: () => 'pid:[4026531836]',
  bootId: () => 'boot-1',
  startTime: () => started,
});

/**
 * The lock of run `runId`, naming the parent of this process (alive) as started at `started`: a
 * start time the identity reads differently is a later process that got the pid (the run's is gone).
 */
const plantLock = (
  runId: string,
  host = hostname(),
  started = '100',
  path = runLockName(runId),
  bootId = 'boot-1',
  label?: string,
) =>
  writeFile(
    join(dir, path),
    JSON.stringify({
      pid: process.ppid,
      host,
      acquired_at: new Date().toISOString(),
      token: 'b'.repeat(24),
      pid_ns: 'pid:[4026531836]',
      boot_id: bootId,
      started,
      ...(label === undefined ? {} : { label }),
    }),
  );

/** The run that removes dead locks in these tests, of instance `acme`. */
const NEXT = { runId: 'run-next', instance: 'acme' };

const runLocks = async () => (await readdir(dir)).filter((name) => name.startsWith('.ingest-run-')).sort();

describe("a run's process, judged by its lock", () => {
  it('is running, gone (with its pid) or unknown (another machine, no lock, an odd run id)', async () => {
    await plantLock('run-live');
    await plantLock('run-other', 'another-machine.example');
    const judged = diskRunProcesses(dir, identity('100'));
    // Since when: the lock's time, which status shows ("running (since …)").
    expect(await judged.stateOf('run-live')).toEqual({
      state: 'running',
      since: expect.any(String),
      pid: expect.any(Number),
    });
    expect(await diskRunProcesses(dir, identity('999')).stateOf('run-live')).toEqual({
      state: 'gone',
      pid: process.ppid,
    });
    expect(await judged.stateOf('run-other')).toEqual({ state: 'unknown' });
    expect(await judged.stateOf('run-without-lock')).toEqual({ state: 'unknown' });
    expect(await judged.stateOf('../run-live')).toEqual({ state: 'unknown' });
  });

  it('is running while the ingest holds its lock, gone once a run that left it has ended', async () => {
    const judged = diskRunProcesses(dir);
    let during: unknown;
    await holdingRunLock(dir, 'run-a', { instance: 'acme', leaveLock: () => true }, async () => {
      during = await judged.stateOf('run-a');
    });
    expect(during).toEqual({
      state: 'running',
      since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      pid: process.pid,
    });
    // This process no longer holds it: as after the process has exited.
    expect(await judged.stateOf('run-a')).toEqual({ state: 'gone', pid: process.pid });
    expect(await runLocks()).toEqual([runLockName('run-a')]);
    // The next run removes it, and releases its own.
    await holdingRunLock(dir, 'run-b', { instance: 'acme', leaveLock: () => false }, async () => undefined);
    expect(await runLocks()).toEqual([]);
  });
});

describe('the next ingest', () => {
  it("removes, once it has recorded its end, the locks of runs whose process is gone, and no other run's", async () => {
    await plantLock('run-dead', hostname(), '100');
    await plantLock('run-other', 'another-machine.example');
    // A lock user killed while writing a lock leaves its temp file beside it: the dead one's too.
    await plantLock('run-dead', hostname(), '100', `${runLockName('run-dead')}.${'c'.repeat(24)}.tmp`);
    let held: string[] = [];
    await holdingRunLock(dir, 'run-next', { instance: 'acme', identity: identity('999') }, async () => {
      held = await runLocks();
    });
    // Kept while it ran: had it failed before its seal, the dead run must still read as stopped.
    expect(held).toEqual([
      runLockName('run-dead'),
      `${runLockName('run-dead')}.${'c'.repeat(24)}.tmp`,
      runLockName('run-next'),
      runLockName('run-other'),
    ]);
    expect(await runLocks()).toEqual([runLockName('run-other')]);
  });

  it("keeps the dead runs' locks when it could not record its end (review R-LOOKA F2)", async () => {
    await plantLock('run-dead', hostname(), '100');
    await holdingRunLock(
      dir,
      'run-next',
      { instance: 'acme', identity: identity('999'), leaveLock: () => true },
      async () => {},
    );
    expect(await runLocks()).toEqual([runLockName('run-dead'), runLockName('run-next')]);
  });

  it('removes a lock no process here can be checked for once untouched for a day (review R-LOOKA F6)', async () => {
    // Containers run with a pid namespace each: a killed run's lock can never be judged gone.
    await plantLock('run-other', 'another-machine.example');
    const now = Date.now();
    await removeDeadRunLocks(dir, NEXT, identity('100'), now + 23 * 3_600_000);
    expect(await runLocks()).toEqual([runLockName('run-other')]);
    await removeDeadRunLocks(dir, NEXT, identity('100'), now + 25 * 3_600_000);
    expect(await runLocks()).toEqual([]);
  });

  it('keeps a live run of this machine however old its lock', async () => {
    await plantLock('run-live', hostname(), '100');
    await removeDeadRunLocks(dir, NEXT, identity('100'), Date.now() + 30 * 24 * 3_600_000);
    expect(await runLocks()).toEqual([runLockName('run-live')]);
  });

  it('takes a run of an earlier boot of this machine as gone, and removes its lock (review R-OP2 L3)', async () => {
    // Its pid runs again after the reboot, as another process: only the boot tells.
    await plantLock('run-before-reboot', hostname(), '100', runLockName('run-before-reboot'), 'boot-0');
    await plantLock(
      'run-elsewhere',
      'another-machine.example',
      '100',
      runLockName('run-elsewhere'),
      'boot-0',
    );
    const judged = diskRunProcesses(dir, identity('100'));
    expect(await judged.stateOf('run-before-reboot')).toEqual({ state: 'gone', pid: process.ppid });
    expect(await judged.stateOf('run-elsewhere')).toEqual({ state: 'unknown' });
    // Those that list the locks (enrich, a folder of locks only) judge them alike.
    expect((await runLocksIn(dir, identity('100'))).map(({ runId, state }) => [runId, state])).toEqual([
      ['run-before-reboot', 'gone'],
      ['run-elsewhere', 'unknown'],
    ]);
    await removeDeadRunLocks(dir, NEXT, identity('100'));
    expect(await runLocks()).toEqual([runLockName('run-elsewhere')]);
  });
});

describe('a lake of several instances (review R-MULTI L2, L3)', () => {
  it("writes the run's instance in its lock, which those who list the locks read", async () => {
    let seen: Awaited<ReturnType<typeof runLocksIn>> = [];
    await holdingRunLock(dir, 'run-eu', { instance: 'acme-eu' }, async () => {
      seen = await runLocksIn(dir);
    });
    expect(seen.map(({ runId, state, instance }) => ({ runId, state, instance }))).toEqual([
      { runId: 'run-eu', state: 'running', instance: 'acme-eu' },
    ]);
  });

  it("leaves another instance's dead run lock to that instance's runs", async () => {
    const lock = (runId: string, instance?: string) =>
      plantLock(runId, hostname(), '100', runLockName(runId), 'boot-1', instance);
    await lock('run-acme-dead', 'acme');
    await lock('run-eu-dead', 'acme-eu');
    // An earlier version's lock says no instance: taken as the remover's, as before.
    await lock('run-older-dead');
    await holdingRunLock(dir, 'run-next', { instance: 'acme', identity: identity('999') }, async () => {});
    // Its own chain's seal closed acme's killed run; acme-eu's stays named as stopped.
    expect(await runLocks()).toEqual([runLockName('run-eu-dead')]);
    expect(await diskRunProcesses(dir, identity('999')).stateOf('run-eu-dead')).toEqual({
      state: 'gone',
      pid: process.ppid,
    });
    await removeDeadRunLocks(dir, { runId: 'run-eu-next', instance: 'acme-eu' }, identity('999'));
    expect(await runLocks()).toEqual([]);
  });

  it("removes another instance's dead run lock once untouched for a day: a typo's never runs again (review revid4 L2)", async () => {
    await plantLock('run-typo-killed', hostname(), '100', runLockName('run-typo-killed'), 'boot-1', 'mian');
    await removeDeadRunLocks(dir, NEXT, identity('999'), Date.now() + 23 * 3_600_000);
    expect(await runLocks()).toEqual([runLockName('run-typo-killed')]);
    await removeDeadRunLocks(dir, NEXT, identity('999'), Date.now() + 25 * 3_600_000);
    expect(await runLocks()).toEqual([]);
  });

  it("still removes another instance's lock no process here can check once untouched for a day", async () => {
    await plantLock(
      'run-eu-other',
      'another-machine.example',
      '100',
      runLockName('run-eu-other'),
      'boot-1',
      'acme-eu',
    );
    await removeDeadRunLocks(dir, NEXT, identity('100'), Date.now() + 25 * 3_600_000);
    expect(await runLocks()).toEqual([]);
  });
});
