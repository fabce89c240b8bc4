import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliCommand, commandLine, shellWord } from '../../functions/cli/command-line.ts';

/** The words bash reads back from a printed line (NUL-separated by printf). */
const readBack = (line: string): string[] =>
  execFileSync('bash', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' })
    .split('\0')
    .slice(0, -1);

describe('printed command lines', () => {
  const words = [
    './lake',
    's3://bucket/prefix/',
    'two words',
    "O'Brien",
    "WHERE instance = 'main'\n  AND dt BETWEEN '2026-11-12' AND '2026-11-26'",
    "it's $HOME",
    'say "hi" and \'bye\'',
    "back\\slash 'quoted'",
    'café ünïcode',
    '',
  ];

  it('each word reads back exactly as it was, whatever it holds', () => {
    for (const word of words) expect(readBack(shellWord(word))).toEqual([word]);
  });

  it('is bare for plain paths, and quotes SQL literals without backslash escapes when it can', () => {
    expect(shellWord('./lake')).toBe('./lake');
    expect(shellWord("dt = '2026-11-12'")).toBe(`"dt = '2026-11-12'"`);
    // Where double quotes would expand something, each quote is closed, escaped and reopened.
    expect(shellWord("it's $HOME")).toBe("'it'\\''s $HOME'");
  });

  it('starts with the package command and keeps the words apart', () => {
    const line = commandLine(['query', '--lake', '/tmp/my lake', '--sql', "SELECT 'x'"]);
    expect(line.startsWith(`${cliCommand()} `)).toBe(true);
    expect(readBack(line.slice(cliCommand().length + 1))).toEqual([
      'query',
      '--lake',
      '/tmp/my lake',
      '--sql',
      "SELECT 'x'",
    ]);
  });
});
