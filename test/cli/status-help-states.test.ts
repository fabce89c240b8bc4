import { expect, it } from 'vitest';
import { statusHelp } from '../../functions/cli/commands/status.ts';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

// Review STATUS2: status --help listed the states that exit 1 without CUT and DAMAGED, both of
// which do: a reader of the help could not tell what they meant, nor that they page.

it('names every state that exits 1 in its help, with what it means', () => {
  const help = statusHelp.replace(/\s+/g, ' ');
  for (const state of ['LATE', 'SILENT', 'AHEAD', 'FAILED', 'NEWER', 'CUT', 'DAMAGED', 'QUARANTINE'])
    expect(help).toContain(`${state}:`);
  expect(help).toContain('CORRUPT or NEWER:');
});

// Review STATUS3: the top-level help listed status's exit-1 states without CUT and DAMAGED.
it('lists every state status exits 1 on in the top-level help too', async () => {
  const { io, stdout } = captureIo();
  expect(await main(['--help'], io)).toBe(0);
  const help = stdout().replace(/\s+/g, ' ');
  const states = /status: an instance ([^)]*)\)/.exec(help)?.[1] ?? '';
  for (const state of [
    'LATE',
    'SILENT',
    'FAILED',
    'AHEAD',
    'CUT',
    'DAMAGED',
    'CORRUPT',
    'NEWER',
    'QUARANTINE',
  ])
    expect(states).toContain(state);
  expect(
    stdout()
      .split('\n')
      .filter((line) => line.length > 80),
  ).toEqual([]);
});
