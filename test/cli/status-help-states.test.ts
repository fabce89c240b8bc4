import { expect, it } from 'vitest';
import { statusHelp } from '../../functions/cli/commands/status.ts';

// Review STATUS2: status --help listed the states that exit 1 without CUT and DAMAGED, both of
// which do: a reader of the help could not tell what they meant, nor that they page.

it('names every state that exits 1 in its help, with what it means', () => {
  const help = statusHelp.replace(/\s+/g, ' ');
  for (const state of ['LATE', 'SILENT', 'AHEAD', 'FAILED', 'NEWER', 'CUT', 'DAMAGED', 'QUARANTINE'])
    expect(help).toContain(`${state}:`);
  expect(help).toContain('CORRUPT or NEWER:');
});
