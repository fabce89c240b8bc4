import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSources } from './import-rules.ts';

/**
 * The time units and "the start of the hour" have one home, `functions/core/time-units.ts`: they
 * were written again in ten files and the floor inline in seven more (review R-SHAPE3 M3, L5).
 */

const repo = path.resolve(import.meta.dirname, '../..');
const HOME = 'functions/core/time-units.ts';

/**
 * Files that still write their own, in code other work was changing when the rest moved: each is
 * to import from the home instead, and leaves this list when it does (the test fails on a file
 * listed here that no longer needs it).
 */
const NOT_MOVED_YET: readonly string[] = [
  'functions/core/report/day-marks.ts',
  'functions/core/report/iso-week.ts',
  'functions/core/report/lake-start.ts',
];

/** `const HOUR_MS = …`, or an hour's start worked out inline: `Math.floor(ms / HOUR_MS) * HOUR_MS`. */
const OWN_COPY = /\bconst (SECOND|MINUTE|HOUR|DAY)_MS\s*=|Math\.floor\([^)]*\/\s*HOUR_MS\)\s*\*\s*HOUR_MS/;

describe('time units', () => {
  const code = readSources(repo, ['functions', 'infra', 'bench', 'scripts', 'bin']).filter(
    (f) => f.path !== HOME,
  );
  const copies = code.filter((f) => OWN_COPY.test(f.text)).map((f) => f.path);

  it(`are defined only in ${HOME}, with floorHour for the start of an hour`, () => {
    expect(copies.filter((file) => !NOT_MOVED_YET.includes(file))).toEqual([]);
  });

  it('list no file as not moved yet that has moved', () => {
    expect(NOT_MOVED_YET.filter((file) => !copies.includes(file))).toEqual([]);
  });
});
