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
 * Files that may still hold one, each with why. All are rooms other helpers changed in the same
 * session (2026-12-07): their lines move to MINUTE_MS / HOUR_MS / DAY_MS once those changes have
 * landed (moved next session).
 */
const LITERAL_ALLOWED: Record<string, string> = {
  'functions/cli/commands/status.ts': 'the status command, changed by another helper this session',
  'functions/cli/verify-report-text.ts': "verify's text, changed by another helper: moved next session",
  'functions/core/alerts/alert-checkpoint.ts': 'the alerts, changed by another helper this session',
  'functions/core/alerts/deliver-alerts.ts': 'the alerts, changed by another helper: moved next session',
  'functions/core/alerts/run-alerts.ts': 'the alerts, changed by another helper: moved next session',
  'functions/core/alerts/sent-late.ts': 'the alerts, changed by another helper: moved next session',
  'functions/core/status/instance-status.ts': 'the status, changed by another helper: moved next session',
  'infra/config/alerts-section.ts': 'the config, changed by another helper: moved next session',
  'infra/config/report-after-ingest.ts': 'the config, changed by another helper: moved next session',
  'infra/config/report-section.ts': 'the config, changed by another helper: moved next session',
  'infra/config/week-claims.ts': 'the config, changed by another helper: moved next session',
};

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
    expect(literal.filter((file) => !(file in LITERAL_ALLOWED))).toEqual([]);
    // An allowance outlives its need: drop it once its file holds none.
    expect(Object.keys(LITERAL_ALLOWED).filter((file) => !literal.includes(file))).toEqual([]);
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
});
