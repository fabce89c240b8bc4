import { readFileSync } from 'node:fs';

const OPERATIONS = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');

/** docs/operations.md from its "## Cost notes" on: the figures the cost tests hold to the runs. */
export const costNotes = OPERATIONS.slice(OPERATIONS.indexOf('## Cost notes'));

/** The line of the cost notes that starts with `start` (a table's row), or ''. */
export const costNoteRow = (start: string): string =>
  costNotes.split('\n').find((line) => line.startsWith(start)) ?? '';
