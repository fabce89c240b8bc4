import {
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
} from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { toQueryValue } from '../../functions/adapters/duckdb-engine.ts';

// BigInt division truncates toward zero: one microsecond before the epoch would read as the epoch.
describe('DuckDB timestamps before 1970', () => {
  it('round down to the millisecond, as after 1970', () => {
    expect(toQueryValue(new DuckDBTimestampValue(-1n))).toBe('1969-12-31 23:59:59.999');
    expect(toQueryValue(new DuckDBTimestampTZValue(-1_500n))).toBe('1969-12-31 23:59:59.998');
    expect(toQueryValue(new DuckDBTimestampNanosecondsValue(-1n))).toBe('1969-12-31 23:59:59.999');
    expect(toQueryValue(new DuckDBTimestampValue(1_999n))).toBe('1970-01-01 00:00:00.001');
  });
});
