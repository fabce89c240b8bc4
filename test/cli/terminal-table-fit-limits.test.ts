import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fitTable, terminalWidth } from '../../functions/cli/terminal-table.ts';

describe('fitTable at the limits of a terminal', () => {
  it('keeps a table exactly as wide as the terminal as a table, right-aligned last column included', () => {
    // 'name  n' and 'Ada   5' are 7 columns: they fit a 7-column terminal as they are.
    const table = { header: ['name', 'n'], rows: [['Ada', '5']], align: 'lr' };
    expect(fitTable(table, 7)).toEqual(['name  n', 'Ada   5']);
    expect(fitTable(table, 6)).toEqual(['name  Ada', 'n     5']);
  });

  it('wraps a block value to 16 columns however narrow the terminal, not a word a line', () => {
    const table = {
      header: ['time (Europe/Zurich)', 'evidence'],
      rows: [['2026-11-16 03:08', 'a burst of ten failed logins in five minutes']],
    };
    expect(fitTable(table, 24)).toEqual([
      'time (Europe/Zurich)  2026-11-16 03:08',
      'evidence              a burst of ten',
      '                      failed logins in',
      '                      five minutes',
    ]);
  });
});

describe('fitTable wrapping the last column', () => {
  it('still wraps it when it has exactly 30 columns left, the narrowest it is wrapped in', () => {
    const table = {
      header: ['user', 'evidence'],
      rows: [
        ['Ada Lovelace', 'login at 03:08 UTC; 0 of 29 logins in the previous 30 days were within 2 hours'],
      ],
    };
    // 'Ada Lovelace' and the gap take 14 of the 44 columns: 30 are left for the evidence.
    expect(fitTable(table, 44)).toEqual([
      'user          evidence',
      'Ada Lovelace  login at 03:08 UTC; 0 of 29',
      '              logins in the previous 30 days',
      '              were within 2 hours',
    ]);
  });

  it('leaves no trailing blanks on a row whose last cell is empty', () => {
    expect(fitTable({ header: ['name', 'note'], rows: [['Ada', '']] })).toEqual(['name  note', 'Ada']);
  });
});

describe('fitTable with a right-aligned last column (numbers)', () => {
  it('never wraps the number within its column: the rows become blocks instead', () => {
    const table = {
      header: ['instance', 'events'],
      rows: [
        ['main', '123456789012345678901234567890123456'],
        ['eu', '7'],
      ],
      align: 'lr',
    };
    expect(fitTable(table, 45)).toEqual([
      'instance  main',
      'events    12345678901234567890123456789012345',
      '          6',
      '',
      'instance  eu',
      'events    7',
    ]);
  });
});

describe('terminalWidth', () => {
  it('is unbounded for a stream that is not a terminal, even one that reports columns', () => {
    const piped = Object.assign(new PassThrough(), { isTTY: false, columns: 80 });
    expect(terminalWidth(piped)).toBe(Number.POSITIVE_INFINITY);
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    expect(terminalWidth(tty)).toBe(80);
  });
});
