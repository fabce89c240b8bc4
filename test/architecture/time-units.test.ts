import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqlLexemes } from '../../functions/core/queries/sql-lexemes.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../../functions/core/time-units.ts';
import { readSources } from './import-rules.ts';

/**
 * The time units and "the start of the hour" have one home, `functions/core/time-units.ts`: they
 * were written again in ten files and the floor inline in seven more (review R-SHAPE3 M3, L5).
 */

const repo = path.resolve(import.meta.dirname, '../..');
const HOME = 'functions/core/time-units.ts';

/** `const HOUR_MS = …`, or an hour's start worked out inline: `Math.floor(ms / HOUR_MS) * HOUR_MS`. */
const OWN_COPY = /\bconst (SECOND|MINUTE|HOUR|DAY)_MS\s*=|Math\.floor\([^)]*\/\s*HOUR_MS\)\s*\*\s*HOUR_MS/;

/**
 * An hour or a day written as a number: `3_600_000`, `86_400_000` (with or without separators), or
 * as a product of minutes, seconds and milliseconds (`60 * 60_000`, `1000 * 60 * 60`, `3600 * 1000`,
 * `60 * 1000`). HOUR_MS and DAY_MS say which unit is meant, and a number mistyped by a digit
 * (`360_000`) cannot pass for one.
 */
const LITERAL_UNIT =
  /\b(?:3_?600_?000|86_?400_?000)\b|\b60\s*\*\s*60_?000\b|\b60_?000\s*\*\s*60\b|\b(?:60\s*\*\s*)?60\s*\*\s*1_?000\b|\b1_?000\s*\*\s*60\b|\b3_?600\s*\*\s*1_?000\b|\b1_?000\s*\*\s*3_?600\b/;

/**
 * A minute written as a number, `60_000` (or `60000`): MINUTE_MS. It was left bare in some forty
 * places (a timeout, a lock's age, ms turned into minutes) after hours and days had moved; a
 * `6_000` or `600_000` mistyped for it read the same at a glance. Not `360_000` nor `1_060_000`:
 * a minute is the whole number.
 */
const LITERAL_MINUTE = /\b60_?000\b/;

/**
 * The query files' time units, written as numbers: SQL cannot import this module, and Athena takes
 * a `?` only in a WHERE clause (sql-grammar.test.ts), where these stand in select lists and window
 * frames. A number of 10,000 or more in a query's code (not in a comment or a string) must be one
 * of these, and the file's comments must say what each of these it holds is (`3600000 is an hour
 * in ms`, `1440 is a day in minutes`), so that a `360000` typed for an hour, or an hour used
 * unsaid, fails (docs/decisions.md, CARRY2). Smaller numbers are too many to hold (years, digits).
 */
const SQL_UNITS: Record<string, { value: number; says: string }> = {
  '60000': { value: MINUTE_MS, says: 'a minute in ms' },
  '3599999': { value: HOUR_MS - 1, says: 'an hour in ms less 1' },
  '3600000': { value: HOUR_MS, says: 'an hour in ms' },
  '86400000': { value: DAY_MS, says: 'a day in ms' },
  '86400': { value: DAY_MS / SECOND_MS, says: 'a day in seconds' },
  '3600': { value: HOUR_MS / SECOND_MS, says: 'an hour in seconds' },
  '1440': { value: DAY_MS / MINUTE_MS, says: 'a day in minutes' },
};

/** A query's numbers of 10,000 or more not among SQL_UNITS, and those of SQL_UNITS its comments do not name. */
function sqlUnitFindings(sql: string): { unknown: string[]; unsaid: string[] } {
  let code = '';
  let comments = '';
  for (const lexeme of sqlLexemes(sql)) {
    if (lexeme.kind === 'comment') comments += ` ${lexeme.text}`;
    code += lexeme.kind === 'comment' || lexeme.kind === 'string' ? ' ' : lexeme.text;
  }
  const said = comments.replace(/\s+/g, ' ');
  // A character's code point (`chr(12288)`, a white space the deactivation forms read) is no time.
  code = code.replace(/\bchr\(\s*\d+\s*\)/gi, 'chr()');
  const numbers = [...new Set(code.match(/(?<![\w.])\d+(?![\w.])/g) ?? [])];
  return {
    unknown: numbers.filter((n) => Number(n) >= 10_000 && !(n in SQL_UNITS)),
    unsaid: numbers.filter((n) => n in SQL_UNITS && !said.includes(`${n} is ${SQL_UNITS[n]?.says}`)),
  };
}

const QUERIES = path.join(repo, 'functions/queries');

describe('time units', () => {
  const code = readSources(repo, ['functions', 'infra', 'bench', 'scripts', 'bin']).filter(
    (f) => f.path !== HOME,
  );
  const copies = code.filter((f) => OWN_COPY.test(f.text)).map((f) => f.path);

  it(`are defined only in ${HOME}, with floorHour for the start of an hour`, () => {
    expect(copies).toEqual([]);
  });

  it('are not written as numbers of milliseconds: a minute is MINUTE_MS, an hour HOUR_MS, a day DAY_MS', () => {
    const literal = code
      .filter((f) => LITERAL_UNIT.test(f.text) || LITERAL_MINUTE.test(f.text))
      .map((f) => f.path);
    expect(literal).toEqual([]);
  });

  it('catches every form of an hour and a day', () => {
    const forms = ['3_600_000', '3600000', '86_400_000', '60 * 60_000', '60_000 * 60', '1000 * 60 * 60'];
    const more = ['60 * 60 * 1000', '3600 * 1000', '1_000 * 3_600', '24 * 60 * 60 * 1000', '60 * 1000'];
    for (const form of [...forms, ...more]) expect(LITERAL_UNIT.test(`x = ${form};`), form).toBe(true);
    for (const other of ['60_000', '360_000', '13_600_000', '30 * 60_000', '1000'])
      expect(LITERAL_UNIT.test(`x = ${other};`), other).toBe(false);
  });

  it('catches a minute, and no other number that holds its digits', () => {
    for (const form of ['60_000', '60000', '30 * 60_000', 'ms / 60_000)', '(60_000, 300_000)'])
      expect(LITERAL_MINUTE.test(`x = ${form};`), form).toBe(true);
    for (const other of ['360_000', '600_000', '6_000', '1_060_000', '60_0000', '160000', '60'])
      expect(LITERAL_MINUTE.test(`x = ${other};`), other).toBe(false);
  });

  it('in the query files are numbers of the units, each said in a comment', () => {
    for (const [literal, { value }] of Object.entries(SQL_UNITS))
      expect(Number(literal), literal).toBe(value);
    const files = readdirSync(QUERIES).filter((file) => file.endsWith('.sql'));
    const findings = files
      .map((file) => ({ file, ...sqlUnitFindings(readFileSync(path.join(QUERIES, file), 'utf8')) }))
      .filter(({ unknown, unsaid }) => unknown.length > 0 || unsaid.length > 0);
    expect(findings).toEqual([]);
  });

  it('in SQL, catches a mistyped unit and an unsaid one, not one in a string or comment', () => {
    expect(sqlUnitFindings('SELECT t - 360000 /* 3600000 is an hour in ms */')).toEqual({
      unknown: ['360000'],
      unsaid: [],
    });
    expect(sqlUnitFindings('SELECT t - 3600000 -- an hour')).toEqual({ unknown: [], unsaid: ['3600000'] });
    expect(sqlUnitFindings("SELECT t - 3600000, '99999' /* 3600000 is an\n   hour in ms */")).toEqual({
      unknown: [],
      unsaid: [],
    });
    expect(sqlUnitFindings('SELECT 6371, x1000000, 1.50000 FROM t')).toEqual({ unknown: [], unsaid: [] });
    expect(sqlUnitFindings('SELECT t / 3600, 2001 FROM t')).toEqual({ unknown: [], unsaid: ['3600'] });
    expect(sqlUnitFindings('SELECT chr(12288), CHR( 86400 ), 12288 FROM t')).toEqual({
      unknown: ['12288'],
      unsaid: [],
    });
  });
});
