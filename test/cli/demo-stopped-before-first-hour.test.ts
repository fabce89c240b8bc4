import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUILDING, DEMO_LOCK, DEMO_MARKER } from '../../functions/cli/demo-lake.ts';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

// Review R-OPS: a demo stopped by Ctrl-C before its first hour left a lake that `status` called
// "no watermark yet: the first scheduled ingest has not saved an hour", where a later interrupt
// gets the demo's own note (run the demo again).

let dir: string;
/** The demo's lake, its ingest recorded as stopped early with no hour done. */
let recorded: string;
/** The demo's lake, stopped before its ingest was recorded (while it simulated). */
let unrecorded: string;
/** The same lake without the demo's marker: another lake's first run, not the demo's. */
let notDemo: string;

const stoppedRun = {
  version: 1,
  instance: 'main',
  run_id: 'demo-run',
  mode: 'checkpoint',
  finished_at: '2026-12-04T22:00:00.000Z',
  finished_at_ms: Date.parse('2026-12-04T22:00:00.000Z'),
  outcome: 'stopped-early',
  hours_done: 0,
  hours_failed: 0,
  events_written: 0,
  quarantined: 0,
  watermark_ms: null,
  first_failure: null,
  trigger: 'demo',
};

async function lake(name: string, options: { marker: boolean; run: boolean }): Promise<string> {
  const at = join(dir, name);
  await mkdir(join(at, 'state', 'instance=main'), { recursive: true });
  if (options.marker) await writeFile(join(at, DEMO_MARKER), '');
  if (options.run)
    await writeFile(join(at, 'state', 'instance=main', 'last-run.json'), JSON.stringify(stoppedRun));
  return at;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-stopped-first-'));
  recorded = await lake('recorded', { marker: true, run: true });
  unrecorded = await lake('unrecorded', { marker: true, run: false });
  notDemo = await lake('not-demo', { marker: false, run: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]) {
  const { io, stdout } = captureIo();
  const code = await main(args, io);
  return { code, said: stdout().replace(/\s+/g, ' ') };
}

const DEMO_NOTE =
  'the demo that built this lake stopped early, before it saved an hour: run the demo again to build it whole';

describe("the demo's lake without any hour", () => {
  it('gets the demo note from status, recorded or not', async () => {
    for (const at of [recorded, unrecorded]) {
      const status = await run(['status', '--lake', at]);
      expect(status.said).toContain(`main: no watermark yet: ${DEMO_NOTE}`);
      expect(status.said).not.toContain('first scheduled ingest');
      // Still behind as any lake without an hour: exit 1, as the demo's later interrupt gets.
      expect(status.code).toBe(1);
    }
  });

  it('gets it from verify too, which exits 0: nothing the lake holds is wrong', async () => {
    for (const at of [recorded, unrecorded]) {
      const verify = await run(['verify', '--lake', at]);
      expect(verify).toEqual({
        code: 0,
        said: `verify main at ${at}: the lake holds no covered hour yet: ${DEMO_NOTE} `,
      });
    }
  });

  it('is a demo still building it while the demo holds its lock, and one stopped early once that is gone', async () => {
    const held = await lake('held', { marker: true, run: false });
    const lockOf = (pid: number | undefined) =>
      JSON.stringify({ pid, host: hostname(), acquired_at: new Date().toISOString(), token: 'demo' });
    // A running process of this machine (the test runner's parent) holds it: a demo building it.
    await writeFile(join(held, DEMO_LOCK), lockOf(process.ppid));
    const building = await run(['status', '--lake', held]);
    expect(building.said).toContain(`main: no watermark yet: ${DEMO_BUILDING}`);
    expect(building.said).not.toContain('stopped early');
    expect((await run(['verify', '--lake', held])).said).toContain(`no covered hour yet: ${DEMO_BUILDING}`);
    // Its holder has ended (a process that ran and exited): the demo was stopped.
    await writeFile(join(held, DEMO_LOCK), lockOf(spawnSync(process.execPath, ['-e', '']).pid));
    expect((await run(['status', '--lake', held])).said).toContain(`main: no watermark yet: ${DEMO_NOTE}`);
  });

  it('is told apart from a lake the demo did not make', async () => {
    const status = await run(['status', '--lake', notDemo]);
    expect(status.said).toContain('main: no watermark yet: the first scheduled ingest has not saved an hour');
    const verify = await run(['verify', '--lake', notDemo]);
    expect(verify.said).toBe(`verify main at ${notDemo}: the lake holds no covered hour yet `);
  });
});
