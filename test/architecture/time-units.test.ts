import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSources } from './import-rules.ts';

/**
 * The time units and "the start of the hour" have one home, `functions/core/time-units.ts`: they
 * were written again in ten files and the floor inline in seven more (review R-SHAPE3 M3, L5).
 */

const repo = path.resolve(import.meta.dirname, '../..');
const HOME = 'functions/core/time-units.ts';

/** `const HOUR_MS = …`, or an hour's start worked out inline: `Math.floor(ms / HOUR_MS) * HOUR_MS`. */
const OWN_COPY = /\bconst (SECOND|MINUTE|HOUR|DAY)_MS\s*=|Math\.floor\([^)]*\/\s*HOUR_MS\)\s*\*\s*HOUR_MS/;

describe('time units', () => {
  const code = readSources(repo, ['functions', 'infra', 'bench', 'scripts', 'bin']).filter(
    (f) => f.path !== HOME,
  );
  const copies = code.filter((f) => OWN_COPY.test(f.text)).map((f) => f.path);

  it(`are defined only in ${HOME}, with floorHour for the start of an hour`, () => {
    expect(copies).toEqual([]);
  });
});
