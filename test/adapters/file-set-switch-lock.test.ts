import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FileSetFs,
  nodeFileSetFs,
  SWITCH_LOCK_FILE,
  switchFileSet,
} from '../../functions/adapters/file-set-switch.ts';
import { procIdentity } from '../../functions/adapters/process-identity.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'switch-lock-'));
  dirs.push(dir);
  return dir;
}

const EXTS = ['html', 'txt', 'eml'];
const set = (dir: string, tag: string) =>
  EXTS.map((ext) => ({ path: join(dir, `report.${ext}`), content: `${tag}-${ext}` }));
const read = (dir: string) =>
  Promise.all(EXTS.map((ext) => readFile(join(dir, `report.${ext}`), 'utf8').catch(() => 'missing')));

/**
 * Node's calls, with the switch's `nth` rename of a temp file held until `release`, then done or
 * failed (`fail`). `held` resolves once the switch waits there, holding the lock: a fixed sleep
 * instead let a loaded machine start the other run (or remove the lock) before this one had it.
 */
function pausedAtRename(
  nth: number,
  fail?: () => Error,
): { fs: FileSetFs; held: Promise<void>; release: () => void } {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reached = () => {};
  const held = new Promise<void>((resolve) => {
    reached = resolve;
  });
  let renames = 0;
  return {
    held,
    release: () => release(),
    fs: {
      ...nodeFileSetFs,
      rename: async (from, to) => {
        if (from.endsWith('.tmp') && ++renames === nth) {
          reached();
          await gate;
          if (fail) throw fail();
        }
        return nodeFileSetFs.rename(from, to);
      },
    },
  };
}

const lockAt = (dir: string) => join(dir, SWITCH_LOCK_FILE);
const lockOf = (pid: number, host = hostname()) =>
  `${JSON.stringify({ pid, host, at: '2026-11-23T07:00:00.000Z' })}\n`;
/** The lock of a live run of this machine, as it writes it: its pid namespace, boot and start time. */
const liveLockOf = (pid: number) =>
  JSON.stringify({
    ...JSON.parse(lockOf(pid)),
    pid_ns: procIdentity.pidNamespace(),
    boot_id: procIdentity.bootId(),
    started: procIdentity.startTime(pid),
  });

describe('switchFileSet: one run at a time per folder', () => {
  it('makes a second run wait for the first: all of one set after both, never some of each', async () => {
    const dir = await tempDir();
    await switchFileSet(set(dir, 'old'));
    const first = pausedAtRename(1);
    const a = switchFileSet(set(dir, 'a'), first.fs);
    await first.held;
    const b = switchFileSet(set(dir, 'b'));
    // B would have switched all its files while A sat between renames.
    await new Promise((resolve) => setTimeout(resolve, 100));
    first.release();
    await Promise.all([a, b]);
    expect(await read(dir)).toEqual(['b-html', 'b-txt', 'b-eml']);
    expect(await readdir(dir)).not.toContain(SWITCH_LOCK_FILE);
  });

  it("keeps a failed run's put-back off another run's new files", async () => {
    const dir = await tempDir();
    await switchFileSet(set(dir, 'old'));
    const third = pausedAtRename(3, () => Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    const a = switchFileSet(set(dir, 'a'), third.fs).catch((error: Error) => error.message);
    await third.held;
    const b = switchFileSet(set(dir, 'b'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    third.release();
    expect(await a).toContain('EIO');
    await b;
    expect(await read(dir)).toEqual(['b-html', 'b-txt', 'b-eml']);
  });

  it('names the lock file when another live run holds it past the wait', async () => {
    const dir = await tempDir();
    // The parent process: alive, on this host, and not this one.
    await writeFile(lockAt(dir), liveLockOf(process.ppid));
    await expect(switchFileSet(set(dir, 'n'), nodeFileSetFs, { lockWaitMs: 100 })).rejects.toThrow(
      `another run is writing files into ${dir} (its lock file ${lockAt(dir)}, process ${process.ppid} on ${hostname()} since 2026-11-23T07:00:00.000Z): run again once it is done; if no run is, remove ${lockAt(dir)}`,
    );
    expect(await read(dir)).toEqual(['missing', 'missing', 'missing']);
  });

  it('takes over the lock of a process gone from this host, or one older than 10 minutes', async () => {
    const dir = await tempDir();
    // Pids are below 2^22 on Linux: this one is no process.
    await writeFile(lockAt(dir), lockOf(2 ** 22 + 7));
    await switchFileSet(set(dir, 'n'), nodeFileSetFs, { lockWaitMs: 100 });
    expect(await read(dir)).toEqual(['n-html', 'n-txt', 'n-eml']);

    await writeFile(lockAt(dir), lockOf(process.pid, 'another-host'));
    const old = new Date(Date.now() - 11 * 60_000);
    await utimes(lockAt(dir), old, old);
    await switchFileSet(set(dir, 'm'), nodeFileSetFs, { lockWaitMs: 100 });
    expect(await read(dir)).toEqual(['m-html', 'm-txt', 'm-eml']);
    expect(await readdir(dir)).not.toContain(SWITCH_LOCK_FILE);
  });

  it("takes over a lock naming this process's pid that it does not hold: a dead run's, the pid reused", async () => {
    // A container's runs are all pid 1 on one host name: a killed one's lock names a live pid.
    const dir = await tempDir();
    await writeFile(lockAt(dir), lockOf(process.pid));
    await switchFileSet(set(dir, 'n'), nodeFileSetFs, { lockWaitMs: 100 });
    expect(await read(dir)).toEqual(['n-html', 'n-txt', 'n-eml']);
    expect(await readdir(dir)).not.toContain(SWITCH_LOCK_FILE);
  });

  it('keeps the lock of a live run of this machine however old: it may be paused mid-switch', async () => {
    const dir = await tempDir();
    await writeFile(lockAt(dir), liveLockOf(process.ppid));
    const old = new Date(Date.now() - 11 * 60_000);
    await utimes(lockAt(dir), old, old);
    await expect(switchFileSet(set(dir, 'n'), nodeFileSetFs, { lockWaitMs: 100 })).rejects.toThrow(
      /another run is writing files into/,
    );
    expect(await read(dir)).toEqual(['missing', 'missing', 'missing']);
  });

  it("judges by age a lock of another pid namespace (a container's): its pid means another process here", async () => {
    const dir = await tempDir();
    // Not running here, but perhaps the live run of a container sharing the folder and the hostname.
    const theirs = { pid: 2 ** 22 + 7, host: hostname(), at: new Date().toISOString() };
    await writeFile(lockAt(dir), JSON.stringify({ ...theirs, pid_ns: 'pid:[1]', boot_id: 'another' }));
    await expect(switchFileSet(set(dir, 'n'), nodeFileSetFs, { lockWaitMs: 100 })).rejects.toThrow(
      /another run is writing files into/,
    );
  });

  it('leaves the lock of a run that took it over while this one held it: removing it lets a third in', async () => {
    const dir = await tempDir();
    const first = pausedAtRename(1);
    const a = switchFileSet(set(dir, 'a'), first.fs);
    await first.held;
    // As if this run's lock had been broken as stale and taken by a live run of another process.
    await rm(lockAt(dir));
    await writeFile(lockAt(dir), lockOf(process.ppid));
    first.release();
    await a;
    expect(await readFile(lockAt(dir), 'utf8')).toBe(lockOf(process.ppid));
  });

  it("removes a killed switch's .tmp/.old strays of these files, and nothing else", async () => {
    const dir = await tempDir();
    const strays = ['report.html.4242.0a1b2c3d.tmp', 'report.eml.7.deadbeef.old'];
    const others = ['report.html.bak', 'alerts.html.4242.0a1b2c3d.tmp', 'report.txt.x.0a1b2c3d.tmp'];
    for (const name of [...strays, ...others]) await writeFile(join(dir, name), 'left');
    await switchFileSet(set(dir, 'n'));
    expect((await readdir(dir)).sort()).toEqual(
      [...others, 'report.eml', 'report.html', 'report.txt'].sort(),
    );
  });
});
