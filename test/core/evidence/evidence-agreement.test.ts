import { describe, expect, it } from 'vitest';
import { eventsAgreement } from '../../../functions/core/evidence/evidence-agreement.ts';

const line = (id: string) => JSON.stringify({ event_id: id, user_id: '1' });

async function* readPast(lines: readonly string[]): AsyncGenerator<string> {
  for (const text of lines) yield text;
}

describe("the bundle's events against the timeline's rows", () => {
  it('counts by event id, twins as rows of their own, from lines read one at a time', async () => {
    const lines = ['a', 'b', 'b', 'c'].map(line);
    expect(await eventsAgreement(readPast(lines), ['a', 'b', 'b', 'c'])).toEqual({
      rowsNotInEvents: 0,
      eventsNotInRows: 0,
    });
    // One twin of b without its row, a row d without its line.
    expect(await eventsAgreement(readPast(lines), ['c', 'b', 'a', 'd'])).toEqual({
      rowsNotInEvents: 1,
      eventsNotInRows: 1,
    });
    expect(await eventsAgreement([], [1, 2])).toEqual({ rowsNotInEvents: 2, eventsNotInRows: 0 });
  });
});
