/**
 * The report named users without the id `user_activity` takes and said nothing of how to look
 * further (review R-INVEST L1). It now names the command, with a user's id, over the report's week:
 * run as printed, it lists that user's events of the week.
 */
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { sharedKnownLake } from '../report/known-lake.ts';
import { captureIo } from '../support/capture-io.ts';
import { commandBoxText } from '../support/command-box.ts';
import { textCommand } from '../support/text-command.ts';

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-report-dig-'));
  lake = (await sharedKnownLake()).lakeDir;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the report names the command that lists a user’s week', () => {
  it('in the text part, with the id of the first user of its first list, and it runs as printed', async () => {
    const out = join(dir, 'out');
    const report = captureIo();
    const argv = ['report', '--lake', lake, '--out', out, '--instance', 'acme'];
    const code = await main([...argv, '--time-zone', 'America/Denver', '--week', '2026-W47'], report.io);
    expect(code, report.stderr()).toBe(0);
    // The dig line under the first list of users, below the findings ranked at the top.
    const whole = await readFile(join(out, 'report.txt'), 'utf8');
    const text = whole.slice(whole.indexOf('\nTOTALS'));
    const lines = text.split('\n');
    const at = lines.findIndex((line) => line.includes(' query user_activity '));
    expect(at, text).toBeGreaterThan(0);
    expect(lines[at - 1]).toMatch(/here .+ \((\d+)\):$/);
    const id = /\((\d+)\):$/.exec(lines[at - 1] ?? '')?.[1];
    const command = textCommand(text, (line) => line.includes(' query user_activity '));
    expect(command).toContain(
      `query user_activity --lake ${lake} --instance acme --from 2026-11-16T00:00-07:00 --to 2026-11-23T00:00-07:00 --time-zone America/Denver --param user_id=${id}`,
    );
    // The words after the CLI's own (`node <bin>`), as a shell splits them: no word here is quoted.
    const words = command.slice(command.indexOf(' query ') + 1).split(' ');
    const query = captureIo();
    expect(await main([...words, '--format', 'json'], query.io), query.stderr()).toBe(0);
    const rows = JSON.parse(query.stdout()) as { user_id: string; event_time: string }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.user_id).toBe(id);
      expect(
        row.event_time >= '2026-11-16T07:00:00.000Z' && row.event_time < '2026-11-23T07:00:00.000Z',
      ).toBe(true);
    }
  });

  it('in the HTML, as a line of its own to copy', async () => {
    const html = await readFile(join(dir, 'out', 'report.html'), 'utf8');
    expect(commandBoxText(html)).toMatch(/^node \S+ query user_activity --lake .*--param user_id=\d+$/);
  });

  it('prints a lake under www. and .io as it is, not defanged, and it runs (review R-REPORTID M1)', async () => {
    const link = join(dir, 'www.data', 'acme.io', 'lake');
    await mkdir(dirname(link), { recursive: true });
    await symlink(lake, link);
    const out = join(dir, 'out-www');
    const report = captureIo();
    const argv = ['report', '--lake', link, '--out', out, '--instance', 'acme', '--week', '2026-W47'];
    expect(await main(argv, report.io), report.stderr()).toBe(0);
    const text = await readFile(join(out, 'report.txt'), 'utf8');
    const command = textCommand(text, (line) => line.includes(' query user_activity '));
    expect(command).toContain(` --lake ${link} `);
    expect(commandBoxText(await readFile(join(out, 'report.html'), 'utf8'))).toBe(command);
    const query = captureIo();
    const words = command.slice(command.indexOf(' query ') + 1).split(' ');
    expect(await main([...words, '--format', 'json'], query.io), query.stderr()).toBe(0);
    expect((JSON.parse(query.stdout()) as unknown[]).length).toBeGreaterThan(0);
  });
});
