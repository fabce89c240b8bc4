import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { reportSentKey } from '../../functions/core/lake/layout.ts';
import { sharedKnownLake } from '../report/known-lake.ts';
import { captureIo } from '../support/capture-io.ts';

/**
 * `report` claims its week through the sent marker's write lock in --out, and `demo` writes its
 * lake, as `ingest` and `enrich` write theirs: a lock left by a crashed run is broken and said on
 * stderr, not waited for in silence behind the command's status line.
 */
let lake: string;
let dir: string;
beforeAll(async () => {
  lake = (await sharedKnownLake()).lakeDir;
  dir = await mkdtemp(join(tmpdir(), 'cli-report-lock-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Leaves the lock file of `path` as a process of this host that has since exited would; its pid. */
async function crashedLockOn(path: string): Promise<{ lock: string; pid: number }> {
  const child = spawn(process.execPath, ['-e', '0']);
  const pid = child.pid as number;
  await new Promise((resolve) => child.once('exit', resolve));
  const lock = join(dirname(path), `.${basename(path)}.lock`);
  await mkdir(dirname(lock), { recursive: true });
  const holder = { pid, host: hostname(), acquired_at: new Date().toISOString(), token: 'c'.repeat(24) };
  await writeFile(lock, JSON.stringify(holder));
  return { lock, pid };
}

it("report says on stderr that it broke the lock a crashed report left on the week's sent marker", async () => {
  const out = join(dir, 'out');
  const { lock, pid } = await crashedLockOn(join(out, reportSentKey('acme', '2026-W47')));
  const run = captureIo();
  const args = ['report', '--lake', lake, '--instance', 'acme', '--week', '2026-W47', '--out', out];
  expect(await main(args, run.io), run.stderr()).toBe(0);
  expect(run.stderr()).toContain(`warning: broke the write lock ${lock} of process ${pid} on ${hostname()}`);
  expect(run.stderr()).toContain('that process is no longer running');
});

it("demo says on stderr that it broke the lock a crashed demo left on its report's sent marker", async () => {
  // A Wednesday: the demo's report week is the one before, whatever day the test runs.
  const nowMs = Date.parse('2026-11-25T12:00:00Z');
  const out = join(dir, 'demo-out');
  const { lock, pid } = await crashedLockOn(join(out, reportSentKey('main', '2026-W47')));
  const run = captureIo();
  const args = ['demo', '--lake', join(dir, 'demo-lake'), '--days', '1', '--users', '1', '--out', out];
  expect(await main(args, { ...run.io, clock: { now: () => nowMs } }), run.stderr()).toBe(0);
  expect(run.stderr()).toContain(`warning: broke the write lock ${lock} of process ${pid} on ${hostname()}`);
}, 30_000);
