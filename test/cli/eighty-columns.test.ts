import type { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cliCommandAnywhere } from '../../functions/cli/command-line.ts';
import { simulateCommand } from '../../functions/cli/commands/simulate.ts';
import { main } from '../../functions/cli/main.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

/**
 * What the CLI prints on a terminal of 80 columns, the default of most: a line wider than that is
 * cut by the terminal wherever its edge falls, mid-word. Help and listings must fit; sentences
 * wrap between words; only a word wider than a line (a path, a URL) and a command printed to be
 * copied whole may be wider. The demo's transcript (and verify and report on its lake) is checked in
 * test/cli/demo-verify-simulate.test.ts, on the weekly demo that file runs anyway.
 */
const COMMANDS = ['ingest', 'simulate', 'verify', 'status', 'query', 'report', 'enrich', 'alerts', 'demo'];

/** captureIo, its stdout a terminal `columns` wide. */
function terminalIo(columns: number) {
  const captured = captureIo();
  Object.assign(captured.io.stdout as PassThrough, { isTTY: true, columns });
  return captured;
}

/** The lines wider than `width` that are not a single word (a path or a URL, left whole). */
const tooWide = (text: string, width: number, whole: (line: string) => boolean = () => false): string[] =>
  text.split('\n').filter((line) => line.length > width && line.trim().includes(' ') && !whole(line));

describe('at 80 columns', () => {
  it("every command's help fits, and the overview's", async () => {
    for (const args of [['--help'], ...COMMANDS.map((command) => [command, '--help'])]) {
      const { io, stdout } = captureIo();
      expect(await main(args, io)).toBe(0);
      expect(stdout().length, args.join(' ')).toBeGreaterThan(200);
      expect(
        stdout()
          .split('\n')
          .filter((line) => line.length > 80),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it('query --list fits, each description wrapped under its column; piped, one line a query', async () => {
    const terminal = terminalIo(80);
    expect(await main(['query', '--list'], terminal.io)).toBe(0);
    const lines = terminal.stdout().trimEnd().split('\n');
    expect(lines.filter((line) => line.length > 80)).toEqual([]);
    const column = lines[0]?.search(/ {2}\S/) ?? 0;
    for (const line of lines) expect(line, line).toMatch(new RegExp(`^(\\w+ +|\\s{${column + 2}})\\S`));
    const piped = captureIo();
    expect(await main(['query', '--list'], piped.io)).toBe(0);
    const names = piped.stdout().trimEnd().split('\n');
    expect(names.every((line) => /^\w+ {2,}\S/.test(line))).toBe(true);
    const nameOf = (line: string) => line.split(' ')[0];
    expect(lines.filter((line) => /^\w/.test(line)).map(nameOf)).toEqual(names.map(nameOf));
    expect(lines.length).toBeGreaterThan(names.length);
  });

  it('on a narrow terminal, puts each description under its name', async () => {
    const terminal = terminalIo(40);
    expect(await main(['query', '--list'], terminal.io)).toBe(0);
    const lines = terminal.stdout().trimEnd().split('\n');
    expect(tooWide(terminal.stdout(), 40)).toEqual([]);
    expect(lines[0]).toMatch(/^\w+$/);
    expect(lines[1]).toMatch(/^ {4}\S/);
  });

  it('simulate wraps its sentences and prints the command whole', async () => {
    const { io, stdout } = terminalIo(60);
    await simulateCommand(
      ['--days', '1', '--users', '3', '--port', '0', '--client-secret', 'own'],
      { ...io, log: silentLog },
      async () => {},
      () => false,
    );
    const [prose = '', rest = ''] = stdout().split('Pull it with:\n');
    expect(tooWide(prose, 60)).toEqual([]);
    expect(prose.split('\n').length).toBeGreaterThan(3);
    expect(rest).toContain(`    ${cliCommandAnywhere()} ingest \\\n`);
  });
});
