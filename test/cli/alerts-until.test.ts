/**
 * `alerts --until`: the alerts of a span of the lake, as the demo lists those of its report week.
 * Only the hours that end by --until are evaluated (hours are evaluated whole); before it, no run
 * could stop short of the lake's ingest checkpoint.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { describeLocalAlerts, type LocalAlerts } from '../../functions/cli/commands/alerts.ts';
import { main } from '../../functions/cli/main.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { writeLockoutLake } from '../core/alerts/support/lockout-lake.ts';
import { captureIo } from '../support/capture-io.ts';

const H0 = Date.parse('2026-08-01T00:00:00Z');
const at = (hours: number) => H0 + hours * HOUR_MS;
let dir: string;
/** Lockouts at 00:05, 02:05 and 04:05 of 2026-08-01, complete up to 05:00. */
let lake: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-alerts-until-'));
  lake = join(dir, 'lake');
  await writeLockoutLake(new FsObjectStore(lake), H0);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let runs = 0;
/** The command over `lake`, its message in a folder of its own unless `--out` is given. */
async function alerts(args: string[]) {
  const { io, stdout, stderr } = captureIo();
  const out = args.includes('--out') ? [] : ['--out', join(dir, `out-${++runs}`)];
  const code = await main(['alerts', '--lake', lake, ...args, ...out], {
    ...io,
    clock: { now: () => at(6) },
  });
  return { code, stdout: stdout(), stderr: stderr() };
}

const lockoutTimes = (stdout: string) =>
  [...stdout.matchAll(/^2026-08-01 (\d\d:\d\d) +lockout /gm)].map((m) => m[1]);

describe('alerts --until', () => {
  it('lists only the alerts before it, says where the run stopped, and relists with it', async () => {
    const out = join(dir, 'out');
    const run = await alerts(['--until', '2026-08-01T02:00:00Z', '--mail-older-than', '1', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(lockoutTimes(run.stdout)).toEqual(['00:05']);
    expect(run.stdout).toContain(
      'evaluated 2 hours, from 2026-08-01 00:00 up to 2026-08-01 02:00 UTC (--until)',
    );
    // The message counts the lockout as older than an hour, and gives the command that lists it.
    expect(await readFile(join(out, 'alerts.txt'), 'utf8')).toContain(' alerts --lake ');
    expect((await readFile(join(out, 'alerts.txt'), 'utf8')).replace(/\s+/g, ' ')).toContain(
      '--instance acme --until 2026-08-01T02:00:00Z',
    );
  });

  it('leaves out the hour an --until within it falls in, and goes with --since', async () => {
    const run = await alerts(['--since', '2026-08-01T01:00:00Z', '--until', '2026-08-01T04:30:00Z']);
    expect(run.code, run.stderr).toBe(0);
    expect(lockoutTimes(run.stdout)).toEqual(['02:05']);
    expect(run.stdout).toContain(
      "evaluated 3 hours, from 2026-08-01 01:00 up to 2026-08-01 04:00 UTC (--until's own hour left out)",
    );
  });

  it('says no hour ends by an --until before the first hour asked', async () => {
    const run = await alerts(['--since', '2026-08-01T01:00:00Z', '--until', '2026-08-01T01:30:00Z']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      'no alerts: no hour evaluated\nevaluated no hour: none from 2026-08-01 01:00 UTC ends by --until (2026-08-01 01:30)\n',
    );
  });

  it('is the checkpoint when it is later: the run says so, as without it', async () => {
    const run = await alerts(['--until', '2026-09-01']);
    expect(lockoutTimes(run.stdout)).toEqual(['00:05', '02:05', '04:05']);
    expect(run.stdout).toContain("up to 2026-08-01 05:00 UTC (the lake's ingest checkpoint)");
  });

  it('is said in the help never to reach past the checkpoint, nor past the last covered hour of a range-only lake', async () => {
    const { alertsHelp } = await import('../../functions/cli/commands/alerts.ts');
    const until = alertsHelp.slice(alertsHelp.indexOf('--until'), alertsHelp.indexOf('--instance'));
    expect(until.replace(/\s+/g, ' ')).toContain(
      "never any past the lake's ingest checkpoint (the default), or, on a lake filled only by ingest --from/--to, past the last hour it covers",
    );
  });

  it('refuses an --until not after --since (exit 2)', async () => {
    const run = await alerts(['--since', '2026-08-01T02:00:00Z', '--until', '2026-08-01T02:00:00Z']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--until "2026-08-01T02:00:00Z" is not after --since "2026-08-01T02:00:00Z"/);
  });

  it("makes the demo's summary name the span's end when it stopped the run", () => {
    const result = {
      summary: { raised: [], endMs: Date.parse('2026-11-09T00:00:00Z') },
    } as unknown as LocalAlerts;
    expect(describeLocalAlerts(result, 'UTC', Date.parse('2026-11-02T00:00:00Z'))).toBe(
      'alerts from 2026-11-02 00:00 to 2026-11-09 00:00 UTC: none',
    );
  });
});
