import { describe, expect, it } from 'vitest';
import { sqlLower } from '../../functions/core/sql-lower.ts';
import { useDuckDbAnswers } from '../support/duckdb-answers.ts';

/**
 * The TypeScript twin of the catalog's `lower(x) LIKE '%admin%'` finds `admin` exactly where the
 * SQL does, past ASCII too: `İ` (U+0130) lowers to `i` in DuckDB (and in Athena, Java's simple
 * mapping), where JavaScript's `toLowerCase` adds a combining dot and `/admin/i` finds nothing;
 * dotless `ı`, the Kelvin sign and full-width letters are no ASCII letter in either.
 */
const FIXTURE = [
  'ADM\u0130N',
  'adm\u0130ns',
  'ADMIN',
  'Tier Admin',
  'adm\u0131n',
  '\uFF21\uFF24\uFF2D\uFF29\uFF2E',
];

const duck = useDuckDbAnswers();

describe('sqlLower', () => {
  it("finds admin exactly when DuckDB's lower() LIKE does", async () => {
    const found = await duck.answers(
      "SELECT lower($1) LIKE '%admin%' AS answer",
      FIXTURE.map((value) => [value]),
    );
    FIXTURE.forEach((value, i) => {
      expect(sqlLower(value).includes('admin'), value).toBe(found[i]);
    });
  });

  it('lowers İ to i alone, character by character', () => {
    expect(sqlLower('ADM\u0130N')).toBe('admin');
    expect(sqlLower('\u03A3\u03A3')).toBe('\u03C3\u03C3');
    expect(sqlLower('\u212A')).toBe('k');
  });
});
