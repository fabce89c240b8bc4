import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MARKER } from '../../functions/cli/demo-lake.ts';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string;
let lake: string;
let other: string;
let demoLake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'out-another-lake-'));
  lake = join(dir, 'lake');
  await mkdir(join(lake, 'coverage', 'instance=main'), { recursive: true });
  other = join(dir, 'other-lake');
  await mkdir(join(other, 'activity_log', 'instance=prod'), { recursive: true });
  await mkdir(join(other, 'state', 'instance=prod'), { recursive: true });
  demoLake = join(dir, 'demo-lake');
  await mkdir(join(demoLake, 'coverage', 'instance=main'), { recursive: true });
  await writeFile(join(demoLake, DEMO_MARKER), 'demo\n');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  const { io, stdout, stderr } = captureIo();
  const code = await main(argv, { ...io, clock: { now: () => Date.parse('2026-12-02T10:00:00Z') } });
  return { code, stdout: stdout(), stderr: stderr() };
}

const untouched = async () => {
  expect((await readdir(other)).sort()).toEqual(['activity_log', 'state']);
  expect((await readdir(demoLake)).sort()).toEqual([DEMO_MARKER, 'coverage']);
};

describe('an --out that is another lake is refused before anything is written (exit 2)', () => {
  it('report, into a lake ingest wrote, and into a demo lake', async () => {
    const r = await run(['report', '--lake', lake, '--out', other]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(
      `error: --out ${other} is a lake (it holds activity_log/, state/): report would write report.html, .txt, .eml and .json into it, and the week's archive and sent marker into its reports/; pass an --out that is no lake (a new or empty directory, e.g. ./out)`,
    );
    const demo = await run(['report', '--lake', lake, '--out', demoLake]);
    expect(demo.code).toBe(2);
    expect(demo.stderr).toContain(
      `error: --out ${demoLake} is a demo's lake (it holds ${DEMO_MARKER}, coverage/)`,
    );
    await untouched();
  });

  it('alerts, into a lake ingest wrote, and into a demo lake', async () => {
    const r = await run(['alerts', '--lake', lake, '--out', other]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(
      `error: --out ${other} is a lake (it holds activity_log/, state/): alerts would write alerts.eml, .html, .txt and alerts.lake.json into it; pass an --out that is no lake (a new or empty directory, e.g. ./out)`,
    );
    const demo = await run(['alerts', '--lake', lake, '--out', demoLake]);
    expect(demo.code).toBe(2);
    expect(demo.stderr).toContain(
      `error: --out ${demoLake} is a demo's lake (it holds ${DEMO_MARKER}, coverage/)`,
    );
    await untouched();
  });

  it('demo, into a lake ingest wrote', async () => {
    const r = await run([
      'demo',
      '--lake',
      join(dir, 'new-demo'),
      '--out',
      other,
      '--days',
      '1',
      '--users',
      '1',
    ]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(
      `error: --out ${other} is a lake (it holds activity_log/, state/): the demo's report step would write`,
    );
    await untouched();
    expect(await readdir(dir)).not.toContain('new-demo');
  });
});
