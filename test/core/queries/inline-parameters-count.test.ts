/**
 * inlineParameters takes exactly one value per placeholder: a value too many means the caller
 * bound the wrong query or the wrong parameters, so it is refused rather than dropped.
 */
import { describe, expect, it } from 'vitest';
import { inlineParameters } from '../../../functions/core/queries/query-definition.ts';

const sql = "SELECT * FROM t WHERE dt >= ? /* from_day */ AND dt < ? /* to_day */ AND x LIKE '%?%'";

describe('inlineParameters: the number of values', () => {
  it('inlines one value per placeholder, quoting them', () => {
    expect(inlineParameters(sql, ['2026-11-16', "it's"])).toBe(
      "SELECT * FROM t WHERE dt >= '2026-11-16' AND dt < 'it''s' AND x LIKE '%?%'",
    );
  });

  it('refuses a value too many, as it refuses one too few', () => {
    expect(() => inlineParameters(sql, ['a', 'b', 'c'])).toThrow(
      'the SQL has 2 placeholders but 3 values were given',
    );
    expect(() => inlineParameters(sql, ['a'])).toThrow(/^the SQL has 2 placeholders but 1 /);
  });

  it('says each count in the singular when it is one', () => {
    expect(() => inlineParameters(sql, ['a'])).toThrow('the SQL has 2 placeholders but 1 value was given');
    expect(() => inlineParameters('SELECT ? /* x */', [])).toThrow(
      'the SQL has 1 placeholder but 0 values were given',
    );
    expect(() => inlineParameters('SELECT 1', ['a'])).toThrow(
      'the SQL has 0 placeholders but 1 value was given',
    );
  });
});
