import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { DEMO_MARKER } from '../../functions/cli/demo-lake.ts';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-out-in-lake-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  const { io, stdout, stderr } = captureIo();
  const code = await main(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe.concurrent('demo refuses an --out in its lake (exit 2), which its next run clears', () => {
  it('a directory inside a lake it has not made yet: nothing is made', async ({ expect }) => {
    const lake = join(dir, 'new-lake');
    const r = await run(['demo', '--lake', lake, '--out', join(lake, 'out')]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(
      `error: --out ${join(lake, 'out')} is inside the lake (--lake ${lake}): the demo's report step would write report.html, .txt, .eml and .json and alerts.eml, .html, .txt and alerts.lake.json into the lake, which it only reads: pass an --out outside the lake (e.g. ./out) (see: demo --help)\n`,
    );
    expect(await readdir(dir)).not.toContain('new-lake');
  });

  it("an earlier demo's lake, the lake itself, and a link into it: the lake is left as it is", async ({
    expect,
  }) => {
    const lake = join(dir, 'old-lake');
    await mkdir(join(lake, 'coverage'), { recursive: true });
    await writeFile(join(lake, DEMO_MARKER), 'demo\n');
    const inside = await run(['demo', '--lake', lake, '--out', join(lake, 'coverage', 'out')]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain(`error: --out ${join(lake, 'coverage', 'out')} is inside the lake`);
    const same = await run(['demo', '--lake', lake, '--out', lake]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain(`error: --out ${lake} is the lake (--lake ${lake})`);
    const link = join(dir, 'link-into-lake');
    await symlink(join(lake, 'coverage'), link);
    const linked = await run(['demo', '--lake', lake, '--out', link]);
    expect(linked.code).toBe(2);
    expect(linked.stderr).toContain(`error: --out ${link} is inside the lake (--lake ${lake})`);
    expect((await readdir(lake)).sort()).toEqual([DEMO_MARKER, 'coverage'].sort());
    expect(await readdir(join(lake, 'coverage'))).toEqual([]);
  });
});
