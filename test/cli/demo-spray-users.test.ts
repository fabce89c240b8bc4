import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCommand, demoHelp } from '../../functions/cli/commands/demo.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { generateInstance } from '../../functions/simulator/index.ts';
import { SPRAY_MIN_USERS } from '../../functions/simulator/planted-patterns.ts';
import { captureIo } from '../support/capture-io.ts';
import { demoLake } from '../support/demo-lake.ts';

// Review R-OPS: `demo --users 10` planted no password spray and said nothing of it.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-spray-users-'));
  // A directory the demo did not make: it refuses it, so each run stops before simulating.
  await writeFile(join(dir, 'notes.txt'), 'mine\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What a one-day demo with `--users <users>` (and `extra`) printed, stdout and stderr. */
async function demoOf(name: string, users: number, extra: string[] = []) {
  const { io, stdout, stderr } = captureIo();
  const args = ['--lake', join(dir, name, 'lake'), '--days', '1', '--users', String(users), ...extra];
  await demoCommand(args, { ...io, log: silentLog });
  return { stdout: stdout(), stderr: stderr() };
}

/**
 * What a one-day demo with `--users <users>` printed up to its ingest's line (the note is written
 * under the simulation's line, before it), stdout and stderr: the demo ended there
 * (test/support/demo-lake.ts), its verify, report and alerts are not this file's subject.
 */
async function demoToItsLake(name: string, users: number) {
  const { io, stderr } = captureIo();
  const args = ['--lake', join(dir, name, 'lake'), '--days', '1', '--users', String(users)];
  const stdout = await demoLake(args, io);
  return { stdout, stderr: stderr() };
}

const NOTE = 'note: --users 10 plants no password spray: it needs at least 17 users\n';

describe('demo --users under the password spray minimum', () => {
  it('is the fewest users the simulator plants a spray for', () => {
    const sprays = (users: number) =>
      generateInstance({ seed: 42, fromMs: 0, toMs: 28 * DAY_MS, users }).planted.filter(
        (p) => p.kind === 'password_spray',
      ).length;
    expect(SPRAY_MIN_USERS).toBe(17);
    expect(sprays(SPRAY_MIN_USERS)).toBe(1);
    expect(sprays(SPRAY_MIN_USERS - 1)).toBe(0);
  });

  it("gets a one-line note under the simulation's line, or on stderr beside --json", async () => {
    const table = await demoToItsLake('ten', 10);
    expect(table.stdout).toMatch(new RegExp(`^Simulated Domo: [^\\n]*\\n${NOTE}`));
    expect(table.stderr).not.toContain('password spray');
    const json = await demoOf('ten-json', 10, ['--json']);
    // Then the note of a --days short of the report week (demo-planted-week.test.ts).
    expect(json.stderr).toMatch(new RegExp(`^${NOTE}note: --days 1 holds `));
    expect(JSON.parse(json.stdout)).toBeTypeOf('object');
  }, 60_000);

  it('none at the minimum, nor from a demo refused before it builds', async () => {
    expect((await demoToItsLake('seventeen', SPRAY_MIN_USERS)).stdout).not.toContain('password spray');
    const { io, stdout, stderr } = captureIo();
    await expect(demoCommand(['--lake', dir, '--users', '10'], { ...io, log: silentLog })).rejects.toThrow(
      /was not made by the demo/,
    );
    expect(stdout() + stderr()).toBe('');
  }, 60_000);

  it('is said in the help', () => {
    expect(demoHelp).toMatch(
      /--users <n> +people in the synthetic company \(default 40\); under\n +17, no password spray is planted\n/,
    );
  });
});
