import type { QueryRow, QueryValue } from '../ports.ts';

/**
 * Typed reads of one result row of a catalog query. Engines return the contract's JS types
 * (numbers for counts, strings for timestamps); numeric strings are still accepted because a
 * count that arrives as text is a typing slip, not a different figure. A missing column or a value
 * of the wrong kind is a contract break between the query and the report and fails loudly.
 */
export class QueryRowReader {
  constructor(
    private readonly query: string,
    private readonly row: QueryRow,
  ) {}

  private value(column: string): QueryValue {
    if (!(column in this.row)) {
      throw new Error(
        `query ${this.query} returned no column "${column}" (got: ${Object.keys(this.row).join(', ')}); the query and the report disagree on the catalog contract`,
      );
    }
    return this.row[column] ?? null;
  }

  private fail(column: string, value: QueryValue, expected: string): never {
    throw new Error(
      `query ${this.query} returned ${JSON.stringify(value)} in column "${column}", expected ${expected}`,
    );
  }

  /** A number; SQL NULL (a sum over no rows) reads as 0. */
  count(column: string): number {
    const n = this.optionalNumber(column);
    return n ?? 0;
  }

  optionalNumber(column: string): number | null {
    const value = this.value(column);
    if (value === null) return null;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    // Past 2^53 a report figure rounds to its nearest number: a count that size is not shown exactly.
    if (typeof value === 'bigint') return Number(value);
    if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
    return this.fail(column, value, 'a number');
  }

  /** A boolean; Athena returns it as the text `true` or `false`. */
  flag(column: string): boolean {
    const value = this.value(column);
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    return this.fail(column, value, 'true or false');
  }

  /** A string; numbers are turned into text (ids may be numeric in Domo). */
  text(column: string): string {
    const value = this.optionalText(column);
    return value ?? this.fail(column, null, 'a non-null value');
  }

  optionalText(column: string): string | null {
    const value = this.value(column);
    if (value === null) return null;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    return this.fail(column, value, 'text');
  }
}

/** Readers for every row of a result. */
export const readRows = (query: string, rows: readonly QueryRow[]): QueryRowReader[] =>
  rows.map((row) => new QueryRowReader(query, row));
