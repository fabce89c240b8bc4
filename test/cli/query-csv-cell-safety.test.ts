import { describe, expect, it } from 'vitest';
import { toCsv } from '../../functions/cli/query-csv.ts';

const columns = [
  { name: 'user_name', type: 'varchar' },
  { name: 'n', type: 'bigint' },
] as const;
const row = (user_name: string) =>
  toCsv({ columns: [...columns], rows: [{ user_name, n: -5 }] }).split('\r\n')[1];

describe('query --format csv cells', () => {
  it('turns a CR or CRLF within a text into LF, quoted: the only CR printed ends a record', () => {
    expect(row('first\rsecond')).toBe('"first\nsecond",-5');
    // On a terminal, a CR drew a second row over the first: `7,Maria Admin,0` where 666 has 41.
    const csv = toCsv({ columns: [...columns], rows: [{ user_name: 'x\r7,Maria Admin,0\r\n', n: 41 }] });
    expect(csv).toBe('user_name,n\r\n"x\n7,Maria Admin,0\n",41\r\n');
  });

  it('marks a text starting with a CR (now LF) or LF as text, as one starting with a tab', () => {
    expect(row('\r=1+1')).toBe(`"'\n=1+1",-5`);
    expect(row('\n=1+1')).toBe(`"'\n=1+1",-5`);
  });

  it("prefixes a text cell starting with a minus with ', as a spreadsheet would run it as a formula", () => {
    expect(row('-2+3')).toBe("'-2+3,-5");
  });

  it('leaves a text that is a plain decimal number as it is: no formula, nothing to guard', () => {
    expect(row('-100000')).toBe('-100000,-5');
    expect(row('-2.5')).toBe('-2.5,-5');
    expect(row('+7')).toBe('+7,-5');
    // Anything more than the number is guarded still.
    expect(row('-1+1')).toBe("'-1+1,-5");
    expect(row('-1 ')).toBe("'-1 ,-5");
    expect(row('-1e5')).toBe("'-1e5,-5");
    expect(row('-1\n=2')).toBe(`"'-1\n=2",-5`);
  });
});
