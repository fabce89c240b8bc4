import { describe, expect, it } from 'vitest';
import { wrapNote } from '../../functions/cli/terminal-table.ts';

describe('wrapNote with a blank line inside the note', () => {
  it('keeps the text after the blank line, under the same hanging indent', () => {
    expect(wrapNote('main: the ingest failed\n\nsee the log for the hour', 30)).toEqual([
      'main: the ingest failed',
      '      see the log for the hour',
    ]);
  });
});
