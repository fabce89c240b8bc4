import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { appendDigest } from '../../functions/core/lake/digest.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';
import { TODAY_START as day0, TODAY, todayLake, verifyAt } from '../support/verify-today-lake.ts';

// OP-4: a local ingest killed (or failed before it could record its end) read for 15 minutes as
// "catching up now: run status again once it ends" in status, and its hours as "pulled by an
// ingest in progress" in verify. On a lake on disk each run holds a lock naming its process:
// a run whose process is gone is named as stopped, and the next ingest removes its lock.

const runId = '20261202T140000Z-abcdef';
const openedAt = day0 + 14 * HOUR_MS + 20 * 60_000;
const fiveMinutesOn = openedAt + 5 * 60_000;
let dir: string;
let lake: string;
let deadPid: number;

/** The pid of a process that has ended (and been reaped). */
async function pidOfEndedProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

/** The run lock `runId`'s process would have left, naming `pid` of `host`. */
const writeRunLock = (pid: number, host: string) =>
  writeFile(
    join(lake, `.ingest-run-${runId}.lock`),
    JSON.stringify({ pid, host, acquired_at: new Date(openedAt).toISOString(), token: 'a'.repeat(24) }),
  );

const runLocks = async () => (await readdir(lake)).filter((name) => name.startsWith('.ingest-run-'));

async function statusAt(nowMs: number) {
  const { io, stdout } = captureIo();
  const code = await main(['status', '--lake', lake], { ...io, clock: { now: () => nowMs } });
  // The notes, their wrapped lines joined again.
  return { code, stdout: stdout().replace(/\n +/g, ' ') };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-lock-stopped-'));
  lake = join(dir, 'lake');
  expect((await todayLake(lake)).failures).toEqual([]);
  // A run that opened its digest at 14:20 pulling 08:00-14:00 and never sealed it.
  await appendDigest(new FsObjectStore(lake), {
    instance: 'acme',
    runId,
    createdAt: new Date(openedAt).toISOString(),
    objects: [],
    sealed: false,
    fromMs: day0 + 8 * HOUR_MS,
    toMs: day0 + 14 * HOUR_MS,
  });
  deadPid = await pidOfEndedProcess();
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('a run on a lake on disk whose process is gone', () => {
  it('reads as in progress while its lock cannot be judged (another machine), as before', async () => {
    await writeRunLock(deadPid, 'another-machine.example');
    const status = await statusAt(fiveMinutesOn);
    expect(status.stdout).toContain(`an ingest run is catching up now (run ${runId}`);
    const verify = await verifyAt(lake, fiveMinutesOn, TODAY);
    expect(verify.stdout).toContain(`pulled by an ingest in progress: run ${runId}`);
  });

  it('is named as stopped by status and verify within the 15 minutes, and the next ingest removes its lock', async () => {
    await writeRunLock(deadPid, hostname());
    const stopped = `ingest run ${runId} stopped without ending: its process ${deadPid} on this machine is gone (it failed or was killed): run the same ingest again (the hours it stored are kept)`;
    const status = await statusAt(fiveMinutesOn);
    expect(status.stdout).toContain(`acme: 4h 25m behind, over the 3 h threshold: ${stopped}`);
    expect(status.stdout).not.toContain('catching up');
    const verify = await verifyAt(lake, fiveMinutesOn, TODAY);
    expect(verify.stdout).toContain(`  ${stopped}\n`);
    expect(verify.stdout).not.toContain('in progress: run');
    expect(verify.stdout).toContain('4 hour(s) at or after the watermark are not covered');

    const sim: Simulator = await startSimulator({
      events: generateInstance({ seed: 3, fromMs: day0, toMs: day0 + DAY_MS, users: 2, eventsPerUserDay: 4 })
        .events,
      clients: [{ clientId: 'lock-client', clientSecret: 'lock-secret', scopes: ['audit'] }],
      clock: clockFrom(day0 + DAY_MS).now,
    });
    try {
      const env = { DOMO_CLIENT_ID: 'lock-client', DOMO_CLIENT_SECRET: 'lock-secret' };
      const { io, stderr } = captureIoAt(clockFrom(day0 + DAY_MS), env);
      const range = ['--from', '2026-12-02T10:00:00Z', '--to', '2026-12-02T12:00:00Z'];
      const args = ['ingest', '--lake', lake, '--api-base', sim.url];
      expect(await main([...args, ...range], io), stderr()).toBe(0);
      // The dead run's lock is gone, and the run that ended released its own.
      expect(await runLocks()).toEqual([]);
      // A run that cannot record its end (its last-run note: a folder in the way) leaves its lock.
      await mkdir(join(lake, 'state', 'instance=acme', 'last-run.json'), { recursive: true });
      const next = captureIoAt(clockFrom(day0 + DAY_MS), env);
      await main(args, next.io);
      expect(next.stderr()).toContain('could not record this run for status');
      expect(await runLocks()).toEqual([
        expect.stringMatching(/^\.ingest-run-20261203T\d{6}Z-[0-9a-f]{6}\.lock$/),
      ]);
    } finally {
      await sim.close();
    }
  });
});
