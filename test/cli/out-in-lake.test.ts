import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'out-in-lake-'));
  lake = join(dir, 'lk');
  await mkdir(join(lake, 'coverage', 'instance=main'), { recursive: true });
  await mkdir(join(lake, 'state', 'instance=main'), { recursive: true });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  const { io, stdout, stderr } = captureIo();
  const code = await main(argv, { ...io, clock: { now: () => Date.parse('2026-12-02T10:00:00Z') } });
  return { code, stdout: stdout(), stderr: stderr() };
}

/** The lake holds what the test made, and nothing a refused command wrote. */
async function expectLakeUntouched() {
  expect((await readdir(lake)).sort()).toEqual(['coverage', 'state']);
  expect(await readdir(join(lake, 'coverage'))).toEqual(['instance=main']);
}

describe('report refuses an --out that would put its files in the lake (exit 2)', () => {
  it('the lake itself: its sent marker would read as a mailed report', async () => {
    const r = await run(['report', '--lake', lake, '--out', lake]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(
      `error: --out ${lake} is the lake (--lake ${lake}): report would write report.html, .txt, .eml and .json into it, and the week's archive and sent marker into its reports/, where status reads which weeks the report function mailed (it would show this week as sent, though nothing was); report only reads the lake: pass an --out outside the lake (e.g. ./out)`,
    );
    await expectLakeUntouched();
  });

  it('a directory inside the lake, and a link to the lake', async () => {
    const inside = await run(['report', '--lake', lake, '--out', join(lake, 'out')]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain(`error: --out ${join(lake, 'out')} is inside the lake (--lake ${lake})`);
    const link = join(dir, 'link');
    await symlink(lake, link);
    const linked = await run(['report', '--lake', lake, '--out', link]);
    expect(linked.code).toBe(2);
    expect(linked.stderr).toContain(`error: --out ${link} is the lake (--lake ${lake})`);
    await expectLakeUntouched();
  });

  it('an --out whose reports/ folder holds the lake', async () => {
    const out = join(dir, 'o');
    const r = await run(['report', '--lake', join(out, 'reports', 'lk'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error: --lake ${join(out, 'reports', 'lk')} is inside ${join(out, 'reports')}, where report writes the week's archive and sent marker`,
    );
  });
});

describe('report refuses an --out whose reports/ folder is a link into the lake (exit 2)', () => {
  it('the archive and sent marker would land in the lake through the link', async () => {
    const out = join(dir, 'o-linked');
    await mkdir(out);
    await symlink(join(lake, 'coverage'), join(out, 'reports'));
    const r = await run(['report', '--lake', lake, '--out', out]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(
      `error: ${join(out, 'reports')} is in the lake (--lake ${lake}), through a link: report would write the week's archive and sent marker into the lake`,
    );
    await expectLakeUntouched();
  });
});

describe('alerts refuses an --out that would put its message in the lake (exit 2)', () => {
  it('the lake itself, and a directory inside it', async () => {
    const same = await run(['alerts', '--lake', lake, '--out', lake]);
    expect(same).toMatchObject({ code: 2, stdout: '' });
    expect(same.stderr).toContain(
      `error: --out ${lake} is the lake (--lake ${lake}): alerts would write alerts.eml, .html, .txt and alerts.lake.json into it; alerts only reads the lake`,
    );
    const inside = await run(['alerts', '--lake', lake, '--out', join(lake, 'alerts')]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain(
      `error: --out ${join(lake, 'alerts')} is inside the lake (--lake ${lake})`,
    );
    await expectLakeUntouched();
  });
});
