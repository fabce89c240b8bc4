/**
 * `report --max-days`: the deployment's retention.maxDays, taken as verify takes it, so a week
 * older than the lake keeps is said to be aged out by policy instead of empty (review R-PRIVACY H1).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { NOW, sharedKnownLake } from '../report/known-lake.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-report-max-days-'));
  lake = (await sharedKnownLake()).lakeDir;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = async (...more: string[]) => {
  const { io, stdout, stderr } = captureIo();
  const args = ['report', '--lake', lake, '--out', join(dir, 'out'), '--instance', 'acme', '--json'];
  const code = await main([...args, ...more], { ...io, clock: { now: () => NOW } });
  return { code, stdout: stdout(), stderr: stderr() };
};

describe('report --max-days', () => {
  it('says a week older than the lake keeps is aged out by policy, and records the bound', async () => {
    const aged = await run('--week', '2026-W40', '--max-days', '30');
    expect(aged.code, aged.stderr).toBe(0);
    const model = JSON.parse(aged.stdout);
    expect(model.maxDays).toBe(30);
    expect(model.notes[0]).toMatch(
      /^2026-W40 is older than the lake keeps \(retention\.maxDays 30\): its hours are aged out by policy/,
    );
    const unknown = await run('--week', '2026-W40');
    expect(unknown.code, unknown.stderr).toBe(0);
    expect(JSON.parse(unknown.stdout).notes[0]).toMatch(/^The lake holds no data for 2026-W40/);
  });

  it("refuses a value verify's --max-days refuses, as a usage error", async () => {
    const bad = await run('--max-days', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-days');
  });
});
