import { describe, expect, it } from 'vitest';
import { isPrivilegedObjectType } from '../../functions/core/alerts/privileged-objects.ts';
import { sqlUpper } from '../../functions/core/sql-upper.ts';
import { useDuckDbAnswers } from '../support/duckdb-answers.ts';

/**
 * The TypeScript twins of the catalog's `upper(object_type) = 'NAME'` hold a value equal to a name
 * exactly when the SQL does, past ASCII too: `ſ` (U+017F) and `ı` (U+0131) become `S` and `I`,
 * the Kelvin sign (U+212A) stays, and letters whose upper case is two (`ß`, `ﬆ`, `ﬁ`, `ŉ`), which
 * JavaScript's `toUpperCase` spells out, stay too. Run against DuckDB's `upper`, the local engine;
 * Athena's (Trino's, Java's character mapping) leaves `ß` as it is where DuckDB makes it `ẞ`, and
 * neither is `SS`.
 */

/** A value as Domo might spell it, and the ASCII name a query compares it with. */
const FIXTURE: ReadonlyArray<readonly [string, string]> = [
  ['uſer', 'USER'],
  ['PUBLıC_URL', 'PUBLIC_URL'],
  ['access_to\u212Aen', 'ACCESS_TOKEN'],
  ['ACCESS_TO\u212AEN', 'ACCESS_TOKEN'],
  ['acceß_token', 'ACCESS_TOKEN'],
  ['user_ﬆate', 'USER_STATE'],
  ['ﬁle', 'FILE'],
  ['ŉame', 'NAME'],
  ['Access_Token', 'ACCESS_TOKEN'],
  ['carté', 'CARTÉ'],
];

const duck = useDuckDbAnswers();

describe('sqlUpper', () => {
  it("equals a name exactly when DuckDB's upper() does", async () => {
    const same = await duck.answers('SELECT upper($1) = $2 AS answer', FIXTURE);
    FIXTURE.forEach(([value, name], i) => {
      expect(sqlUpper(value) === name, `${value} against ${name}`).toBe(same[i]);
    });
  });

  it('maps ſ and ı, and leaves the Kelvin sign and the two-letter upper cases as they are', () => {
    expect(sqlUpper('uſer')).toBe('USER');
    expect(sqlUpper('ı')).toBe('I');
    expect(sqlUpper('\u212A')).toBe('\u212A');
    expect(sqlUpper('ß ﬆ ﬁ ŉ')).toBe('ß ﬆ ﬁ ŉ');
  });

  it('is what the privileged_change alert reads an object type by, as admin_changes does', () => {
    expect(isPrivilegedObjectType('acceſs_token')).toBe(true);
    expect(isPrivilegedObjectType('acceß_token')).toBe(false);
    expect(isPrivilegedObjectType('user_ﬆate')).toBe(false);
  });
});
