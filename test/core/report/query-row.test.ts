import { describe, expect, it } from 'vitest';
import type { QueryRow } from '../../../functions/core/ports.ts';
import { QueryRowReader, readRows } from '../../../functions/core/report/query-row.ts';

const reader = (row: QueryRow) => new QueryRowReader('most_active_users', row);

describe('QueryRowReader', () => {
  it('reads counts as numbers: SQL NULL as 0, a numeric string as its number', () => {
    const row = reader({ events: 12, empty: null, text: '42', negative: ' -1.5 ' });
    expect(row.count('events')).toBe(12);
    expect(row.count('empty')).toBe(0);
    expect(row.optionalNumber('empty')).toBeNull();
    expect(row.count('text')).toBe(42);
    expect(row.optionalNumber('negative')).toBe(-1.5);
  });

  it('fails loudly on a value that is not a number, naming the query, the column and the value', () => {
    const row = reader({ events: 'many', infinite: Number.POSITIVE_INFINITY, flag: true });
    expect(() => row.count('events')).toThrow(
      'query most_active_users returned "many" in column "events", expected a number',
    );
    expect(() => row.count('infinite')).toThrow(/in column "infinite", expected a number/);
    expect(() => row.optionalNumber('flag')).toThrow('returned true in column "flag", expected a number');
  });

  it('reads text, turning numeric ids into strings, and refuses NULL where text is required', () => {
    const row = reader({ user_id: 1234, user_name: 'Ada', org: null, flag: false });
    expect(row.text('user_id')).toBe('1234');
    expect(row.text('user_name')).toBe('Ada');
    expect(row.optionalText('org')).toBeNull();
    expect(() => row.text('org')).toThrow('returned null in column "org", expected a non-null value');
    expect(() => row.optionalText('flag')).toThrow('returned false in column "flag", expected text');
  });

  it('says which columns came back when one the report reads is missing', () => {
    const row = reader({ user_id: 'u1', events: 3 });
    expect(() => row.count('logins')).toThrow(
      'query most_active_users returned no column "logins" (got: user_id, events); the query and the report disagree on the catalog contract',
    );
  });

  it('reads every row of a result', () => {
    const rows = readRows('period_totals', [{ events: 1 }, { events: '2' }]);
    expect(rows.map((row) => row.count('events'))).toEqual([1, 2]);
  });
});
