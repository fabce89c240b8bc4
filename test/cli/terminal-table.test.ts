import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { columnWidths, fitTable, terminalWidth, wrapLine } from '../../functions/cli/terminal-table.ts';
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

  it('bounds a right-to-left cell by left-to-right marks (no width), so the columns after it stay put', () => {
    const arabic = '\u0645\u0631\u064a\u0645';
    expect(fitTable({ header: ['user', 'n', 'note'], rows: [[arabic, '5', arabic]], align: 'lrl' })).toEqual([
      'user  n  note',
      `\u200e${arabic}\u200e  5  ${arabic}`,
    ]);
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

describe('terminalWidth', () => {
  it("is a terminal's columns, and unbounded for a pipe or a file", () => {
    expect(terminalWidth(Object.assign(new PassThrough(), { isTTY: true, columns: 100 }))).toBe(100);
    expect(terminalWidth(new PassThrough())).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('column widths', () => {
  it('measures 400,000 rows without overflowing the stack', () => {
    // Spread into Math.max, a column of ~300,000 cells or more ended a query with
    // `Maximum call stack size exceeded` instead of its table.
    const rows = Array.from({ length: 400_000 }, (_, i) => [String(i), i === 123_456 ? 'widest cell' : 'x']);
    expect(columnWidths({ header: ['n', 'text'], rows })).toEqual([6, 11]);
  });
});
