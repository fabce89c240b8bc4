import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { commandLine } from '../../functions/cli/command-line.ts';
import { exploreReportArgs, exploreWeek } from '../../functions/cli/commands/demo.ts';
import { demoOutDirectory } from '../../functions/cli/demo-out-directory.ts';
import { main } from '../../functions/cli/main.ts';
import { assertOutOutsideLake } from '../../functions/cli/out-outside-lake.ts';
import { pastedCommandLines } from '../../functions/cli/pasted-command.ts';
import type { WeeklyReportModel } from '../../functions/core/report/report-model.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-default-out-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  const { io, stdout, stderr } = captureIo();
  const code = await main(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe.concurrent("demo's default --out: out/ next to the lake the demo writes", () => {
  it('is the directory beside the resolved lake, however the lake is typed', async ({ expect }) => {
    for (const lake of ['./lake', 'lake', 'lake/', '.', '..', 'a/..', 'a/b/../lake', '/srv/x/..', '/']) {
      const out = demoOutDirectory(lake, undefined);
      expect(resolve(out), lake).toBe(join(dirname(resolve(lake)), 'out'));
    }
    expect(demoOutDirectory('./lake', undefined)).toBe('./out');
    expect(demoOutDirectory('.', undefined)).toBe('../out');
    expect(demoOutDirectory('/srv/x/..', undefined)).toBe('/out');
    expect(demoOutDirectory('.', 'mine')).toBe('mine');
  });

  it('is accepted when that directory is outside the lake, whatever the lake path spells', async ({
    expect,
  }) => {
    // --lake <site>/nested/.. is <site>: the demo writes <dir>/out, outside it. A check of
    // <site>/nested/out (the typed lake's parent) refused it as inside the lake.
    const site = join(dir, 'site');
    await mkdir(join(site, 'nested'), { recursive: true });
    // Foreign contents stop the demo at its next check, before it builds anything.
    await writeFile(join(site, 'notes.txt'), 'mine\n');
    const r = await run(['demo', '--lake', `${site}/nested/..`]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(`error: ${site} is not empty and was not made by the demo`);
    expect((await readdir(site)).sort()).toEqual(['nested', 'notes.txt']);
    expect(await readdir(dir)).not.toContain('out');
  });

  it('is refused, and named, when that directory leads into the lake', async ({ expect }) => {
    const base = join(dir, 'linked');
    const lake = join(base, 'lake');
    await mkdir(join(lake, 'inner'), { recursive: true });
    await mkdir(join(lake, 'nested'));
    // The out/ beside the lake is a link into it: the demo's report would land in the lake.
    await symlink(join(lake, 'inner'), join(base, 'out'));
    const typed = `${lake}/nested/..`; // as typed: join would resolve the `..`
    const r = await run(['demo', '--lake', typed]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(`error: --out ${join(base, 'out')} is inside the lake (--lake ${typed})`);
    expect(await readdir(join(lake, 'inner'))).toEqual([]);
  });
});

describe.concurrent('where the demo sends the user next', () => {
  it("suggests a report into the demo's own --out when report's default would be refused", async ({
    expect,
  }) => {
    const week = '2026-W47';
    const dot = exploreReportArgs({
      lake: '.',
      out: demoOutDirectory('.', undefined),
      week,
      timeZone: 'UTC',
    });
    expect(dot).toEqual([
      'report',
      '--lake',
      '.',
      '--out',
      '../out/2026-W47',
      '--week',
      week,
      '--alerts-enabled',
    ]);
    // As pasted in the lake's directory, report's check takes it: ./out would be inside the lake.
    const writes = { command: 'report', files: 'report.html' };
    expect(() => assertOutOutsideLake('../out/2026-W47', '.', writes)).not.toThrow();
    expect(() => assertOutOutsideLake('./out', '.', writes)).toThrow(/inside the lake/);
    const usual = exploreReportArgs({ lake: './lake', out: './out', week, timeZone: 'Europe/Paris' });
    expect(usual).toEqual([
      'report',
      '--lake',
      './lake',
      // A folder of its own: into ./out itself it would replace the report the demo said to open.
      '--out',
      'out/2026-W47',
      '--week',
      week,
      '--time-zone',
      'Europe/Paris',
      '--alerts-enabled',
    ]);
  });

  it("suggests the week before the demo's own only when the lake holds it from its start", async ({
    expect,
  }) => {
    const model = {
      week: { isoWeek: '2026-W48', startUtc: '2026-11-23T00:00:00.000Z' },
      previousWeek: { isoWeek: '2026-W47', startUtc: '2026-11-16T00:00:00.000Z' },
    } as Pick<WeeklyReportModel, 'week' | 'previousWeek'>;
    expect(exploreWeek(model, Date.parse('2026-11-04T17:00:00Z'))).toBe('2026-W47');
    expect(exploreWeek(model, Date.parse('2026-11-16T00:00:00Z'))).toBe('2026-W47');
    // demo --days 3 on 2026-12-02: the lake starts 2026-11-29, in the demo's own week.
    expect(exploreWeek(model, Date.parse('2026-11-29T17:00:00Z'))).toBe('2026-W48');
  });

  it('prints the report command whole where it fits, else one option a line that pastes as one', async ({
    expect,
  }) => {
    const args = exploreReportArgs({
      lake: '/home/reviewer/domo-activity-lake/lake',
      out: '/home/reviewer/domo-activity-lake/out',
      week: '2026-W47',
      timeZone: 'Europe/Paris',
    });
    const whole = `  ${commandLine(args)}`;
    expect(whole.length).toBeGreaterThan(80);
    // Piped (no width) or wide enough: the one line, as before.
    expect(pastedCommandLines(args, Number.POSITIVE_INFINITY)).toEqual([whole]);
    expect(pastedCommandLines(args, whole.length)).toEqual([whole]);
    // At 80 columns: broken between options, never inside one, each line but the last ending in ` \`.
    const lines = pastedCommandLines(args, 80);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines.slice(0, -1).every((line) => line.endsWith(' \\'))).toBe(true);
    expect(lines.at(-1)).toBe('    --alerts-enabled');
    expect(lines).toContain('    --lake /home/reviewer/domo-activity-lake/lake \\');
    expect(lines).toContain('    --time-zone Europe/Paris \\');
    // As the shell reads it: each ` \` and line break a space, the same words as the whole line.
    const pasted = lines.map((line) => line.replace(/ \\$/, '').trim()).join(' ');
    expect(pasted).toBe(whole.trim());
  });

  it("keeps a query's name when the command is split: the demo's query lines paste as printed", ({
    expect,
  }) => {
    const args = ['query', 'data_movement', '--lake', '/home/reviewer/domo-activity-lake/lake'];
    const whole = `  ${commandLine([...args, '--from', '2026-11-30', '--to', '2026-12-07'])}`;
    const lines = pastedCommandLines([...args, '--from', '2026-11-30', '--to', '2026-12-07'], 60);
    expect(lines.length).toBeGreaterThan(1);
    // Until 2026-12-07 the first line read `… query \`: pasted, `query` refused it for want of a name.
    expect(lines[0]).toMatch(/ query data_movement \\$/);
    const pasted = lines.map((line) => line.replace(/ \\$/, '').trim()).join(' ');
    expect(pasted).toBe(whole.trim());
  });

  it('a refused --out is never offered back as the example of one outside the lake', async ({ expect }) => {
    const writes = {
      command: 'demo',
      files: 'report.html',
      folder: { name: 'reports', what: 'the archive' },
    };
    // With the lake at the working directory, ./out is the directory refused: out/ beside the lake is offered.
    expect(() => assertOutOutsideLake('./out', '.', writes)).toThrow(
      /pass an --out outside the lake \(e\.g\. \.\.\/out\)$/,
    );
    // Elsewhere the example stays ./out.
    const lake = join(dir, 'example-lake');
    expect(() => assertOutOutsideLake(join(lake, 'x'), lake, writes)).toThrow(/\(e\.g\. \.\/out\)$/);
    // A lake at / holds every directory: no example at all.
    expect(() => assertOutOutsideLake('/tmp/out', '/', writes)).toThrow(/pass an --out outside the lake$/);
  });
});
