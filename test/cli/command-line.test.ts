import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliCommand, commandLine, shellWord } from '../../functions/cli/command-line.ts';

/**
 * The words bash reads back from each printed line, all lines in one bash run: in a full suite run
 * each bash started from the worker took ~0.6 CPU-s and ~1.2 s (12 of them 7.5 CPU-s, 12.9 s of
 * wall, against ~10 ms each in a run of this file alone). Each line is the arguments of a function
 * that prints their count and then each of them, NUL-separated, so a word split in two or run as a
 * command shows.
 */
const readBack = (lines: readonly string[]): string[][] => {
  const script = ['w() { printf \'%s\\0\' "$#" "$@"; }', ...lines.map((line) => `w ${line}`)].join('\n');
  const fields = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1);
  const read: string[][] = [];
  for (let at = 0; at < fields.length; ) {
    const count = Number(fields[at]);
    read.push(fields.slice(at + 1, at + 1 + count));
    at += 1 + count;
  }
  return read;
};

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
    expect(readBack(words.map(shellWord))).toEqual(words.map((word) => [word]));
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
    expect(readBack([line.slice(cliCommand().length + 1)])).toEqual([
      ['query', '--lake', '/tmp/my lake', '--sql', "SELECT 'x'"],
    ]);
  });
});
