import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSources } from './import-rules.ts';

/**
 * Domo's action and object types are compared in upper case as the catalog's SQL `upper()` makes
 * them, character by character: functions/core/sql-upper.ts's `sqlUpper`. JavaScript's
 * `toUpperCase` spells `ß` out as `SS` and `ﬆ` as `ST`, so `acceß_token` passed for `ACCESS_TOKEN`
 * in TypeScript twins of queries that never find it (three were left after sql-upper.ts came:
 * evidence-hours.ts, export-events.ts, privileged-change-kind.ts). A file that names a type field
 * (`action_type`, `object_type`, `actionType`, `objectType`) calls no `toUpperCase`, whether on
 * the field itself or through a helper of its own; a file that upper-cases something else beside
 * them says so below.
 */

const repo = path.resolve(import.meta.dirname, '../..');

const TYPE_FIELD = /\b(?:action_type|object_type|actionType|objectType)\b/;
const TO_UPPER = /\.toUpperCase\(/;

/** Files that name a type field and upper-case something that is none, each with what. */
const OTHER_UPPER: Record<string, string> = {
  'functions/core/alerts/dig-further.ts': "an IPv6 group's hex digits, for a pattern of either case",
  'test/queries/support/lake-fixture.ts': "a fixture's action type written from its category, not compared",
};

const findings = (files: readonly { path: string; text: string }[]): string[] =>
  files.filter((f) => TYPE_FIELD.test(f.text) && TO_UPPER.test(f.text)).map((f) => f.path);

describe("Domo's types in upper case", () => {
  const files = readSources(repo, ['functions', 'infra', 'bin', 'scripts', 'bench', 'test/queries/support']);
  const found = findings(files);

  it('are made by sqlUpper, never toUpperCase, in a file that reads them', () => {
    expect(found.filter((file) => !(file in OTHER_UPPER))).toEqual([]);
    // An allowance outlives its need: drop it once its file upper-cases nothing.
    expect(Object.keys(OTHER_UPPER).filter((file) => !found.includes(file))).toEqual([]);
  });

  it('catch a type upper-cased on the field and through a helper', () => {
    const forms = [
      "record.object_type.toUpperCase() === 'USER'",
      "typeof event.action_type === 'string' && event.action_type.toUpperCase() === 'EXPORTED'",
      "const upper = (t: string) => t.trim().toUpperCase();\nif (upper(c.objectType) === 'ROLE') {}",
    ];
    for (const text of forms) expect(findings([{ path: 'x.ts', text }]), text).toEqual(['x.ts']);
    const clean = ["sqlUpper(record.object_type) === 'USER'", "code.toUpperCase() // a country's code"];
    for (const text of clean) expect(findings([{ path: 'x.ts', text }]), text).toEqual([]);
  });
});
