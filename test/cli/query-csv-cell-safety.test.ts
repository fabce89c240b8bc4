import { describe, expect, it } from 'vitest';
import { toCsv } from '../../functions/cli/commands/query.ts';

const columns = [
  { name: 'user_name', type: 'varchar' },
  { name: 'n', type: 'bigint' },
] as const;
const row = (user_name: string) =>
  toCsv({ columns: [...columns], rows: [{ user_name, n: -5 }] }).split('\r\n')[1];

describe('query --format csv cells', () => {
  it('quotes a field with a lone carriage return, which would end the record in a reader', () => {
    expect(row('first\rsecond')).toBe('"first\rsecond",-5');
  });

  it("prefixes a text cell starting with a minus with ', as a spreadsheet would run it as a formula", () => {
    expect(row('-2+3')).toBe("'-2+3,-5");
  });
});
