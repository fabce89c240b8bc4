import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdingRunLock } from '../../functions/adapters/run-lock.ts';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

// Review op2 L12: a first ingest killed before it saved an hour leaves a folder holding only its
// run lock. The next ingest takes it as an empty lake; status and verify said "not a lake … point
// --lake at the lake's root", sending the user to look for another directory.

const runId = '20261205T151752Z-bfc47a';
let dir: string;

/** The pid of a process that has ended (and been reaped). */
async function pidOfEndedProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

/** A folder holding only the run lock of `runId`, naming `pid` of `host`. */
async function lockOnlyFolder(name: string, pid: number, host: string): Promise<string> {
  const lake = join(dir, name);
  await mkdir(lake);
  await writeFile(
    join(lake, `.ingest-run-${runId}.lock`),
    JSON.stringify({ pid, host, acquired_at: new Date().toISOString(), token: 'a'.repeat(24) }),
  );
  return lake;
}

async function run(argv: string[]) {
  const { io, stdout, stderr } = captureIo();
  const code = await main(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lake-first-run-lock-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('a folder holding only the run lock of a first ingest', () => {
  it('status and verify name the stopped run and say to run the ingest again', async () => {
    const deadPid = await pidOfEndedProcess();
    const lake = await lockOnlyFolder('dead', deadPid, hostname());
    const said = `error: there is no lake at ${lake} yet: ingest run ${runId} stopped before it saved its first hour (process ${deadPid} on this machine is gone: it failed or was killed) and left only its run lock: run the same ingest again\n`;
    for (const command of ['status', 'verify']) {
      expect(await run([command, '--lake', lake])).toEqual({ code: 1, stdout: '', stderr: said });
    }
  });

  it('while the run still runs, says it is pulling its first hour', async () => {
    const lake = join(dir, 'running');
    await mkdir(lake);
    // The lock as a run takes it: this process holds it while status runs.
    const { code, stderr } = await holdingRunLock(lake, runId, { instance: 'main' }, () =>
      run(['status', '--lake', lake]),
    );
    expect(code).toBe(1);
    expect(stderr).toBe(
      `error: there is no lake at ${lake} yet: ingest run ${runId} (process ${process.pid} on this machine) is pulling its first hour into it: try again once it has saved one\n`,
    );
  });

  it('of another machine: the lock is named, its process not judged', async () => {
    const lake = await lockOnlyFolder('elsewhere', 4242, 'another-machine.example');
    const { stderr } = await run(['verify', '--lake', lake]);
    expect(stderr).toContain(
      `it holds only the run lock of ingest run ${runId} (process 4242 on another-machine.example, which this machine cannot check)`,
    );
  });

  it('a folder holding something else as well is still not a lake', async () => {
    const lake = await lockOnlyFolder('other', 4242, hostname());
    await writeFile(join(lake, 'notes.txt'), 'x');
    expect((await run(['status', '--lake', lake])).stderr).toContain(`${lake} is not a lake: it holds no`);
  });
});
