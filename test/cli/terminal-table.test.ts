import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fitTable, terminalWidth, wrapLine, wrapNote } from '../../functions/cli/terminal-table.ts';
import { displayWidth } from '../../functions/core/display-width.ts';

const evidence =
  'login at 03:08 UTC; 0 of 29 logins in the previous 30 days were within 2 hours of this time of day';
const table = {
  header: ['user', 'n', 'evidence'],
  rows: [
    ['Ada Lovelace', '5', evidence],
    ['山田', '12345', 'short'],
  ],
  align: 'lrl',
};

describe('fitTable: a table for a terminal that never wraps into broken lines', () => {
  it('is the table as it is, every cell whole, where it fits (and on a pipe: no width)', () => {
    const lines = fitTable({ ...table, rule: true });
    expect(lines).toEqual([
      'user              n  evidence',
      `------------  -----  ${'-'.repeat(evidence.length)}`,
      `Ada Lovelace      5  ${evidence}`,
      // Padded by columns: the two wide characters take four.
      '山田          12345  short',
    ]);
    expect(fitTable(table, displayWidth(lines[2] ?? ''))).toEqual(fitTable(table));
  });

  it('wraps a long last column between words within it when the other columns fit beside it', () => {
    const lines = fitTable({ ...table, rule: true }, 60);
    expect(lines).toEqual([
      'user              n  evidence',
      `------------  -----  ${'-'.repeat(39)}`,
      'Ada Lovelace      5  login at 03:08 UTC; 0 of 29 logins in',
      '                     the previous 30 days were within 2',
      '                     hours of this time of day',
      '山田          12345  short',
    ]);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(60);
  });

  it('turns each row into a block of labelled lines where the last column would be too narrow', () => {
    const lines = fitTable({ ...table, rule: true }, 40);
    expect(lines).toEqual([
      'user      Ada Lovelace',
      'n         5',
      'evidence  login at 03:08 UTC; 0 of 29',
      '          logins in the previous 30 days',
      '          were within 2 hours of this',
      '          time of day',
      '',
      'user      山田',
      'n         12345',
      'evidence  short',
    ]);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(40);
  });

  it('never wraps a right-aligned last column (a number): the table becomes blocks instead', () => {
    const numbers = { header: ['name', 'count'], rows: [['x'.repeat(50), '7']], align: 'lr' };
    expect(fitTable(numbers)).toEqual([`name${' '.repeat(48)}count`, `${'x'.repeat(50)}      7`]);
    expect(fitTable(numbers, 40)).toEqual([
      `name   ${'x'.repeat(33)}`,
      `       ${'x'.repeat(17)}`,
      'count  7',
    ]);
  });
});

describe('wrapLine', () => {
  it('wraps prose between words, keeping its indentation', () => {
    expect(wrapLine('  message: none; removed the earlier message', 20)).toEqual([
      '  message: none;',
      '  removed the',
      '  earlier message',
    ]);
    expect(wrapLine('fits', 4)).toEqual(['fits']);
    expect(wrapLine('any length on a pipe')).toEqual(['any length on a pipe']);
  });
});

describe('wrapNote', () => {
  it('wraps between words, the rest under the text after the first word, as one note', () => {
    expect(wrapNote('main: 3 hour(s) of the last 7 days are not covered: run verify', 25)).toEqual([
      'main: 3 hour(s) of the',
      '      last 7 days are not',
      '      covered: run verify',
    ]);
    // Indented lines keep their indentation, and hang under their own first word.
    expect(wrapNote('  - the hours in flight are dropped', 20)).toEqual([
      '  - the hours in',
      '    flight are',
      '    dropped',
    ]);
  });

  it('is whole when it fits, and always on a pipe', () => {
    expect(wrapNote('main: fits', 10)).toEqual(['main: fits']);
    const long = `main: ${'word '.repeat(60).trim()}`;
    expect(wrapNote(long)).toEqual([long]);
  });

  it('keeps a word wider than a line whole, on a line of its own', () => {
    const path = 's3://a-bucket/a/long/prefix/of/the/lake/checkpoint.json';
    expect(wrapNote(`main: cannot read ${path} here: see docs`, 30)).toEqual([
      'main: cannot read',
      `      ${path}`,
      '      here: see docs',
    ]);
  });

  it('counts wide characters by the columns they take', () => {
    // Each ideograph takes two columns: 22 in all, 13 by .length, which would fit the 20.
    expect(wrapNote('東京: 一二三四 五六 七', 20)).toEqual(['東京: 一二三四 五六', '      七']);
  });

  it('indents by two columns under a first word too long to hang under', () => {
    expect(wrapNote('a-very-long-instance-name: is late by hours', 30)).toEqual([
      'a-very-long-instance-name: is',
      '  late by hours',
    ]);
  });

  it('starts the text after a line break inside the note at the same indent', () => {
    expect(wrapNote('main: last run failed: Domo said 503\nretry later', 40)).toEqual([
      'main: last run failed: Domo said 503',
      '      retry later',
    ]);
    // Short enough for one line, the break still keeps the indent; piped, the note is as it was.
    expect(wrapNote('main: failed\nat 10:00', 80)).toEqual(['main: failed', '      at 10:00']);
    expect(wrapNote('main: failed\nat 10:00')).toEqual(['main: failed\nat 10:00']);
  });
});

describe('terminalWidth', () => {
  it("is a terminal's columns, and unbounded for a pipe or a file", () => {
    expect(terminalWidth(Object.assign(new PassThrough(), { isTTY: true, columns: 100 }))).toBe(100);
    expect(terminalWidth(new PassThrough())).toBe(Number.POSITIVE_INFINITY);
  });
});
