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

// Review STATUS3: the top-level help listed status's exit-1 states without CUT and DAMAGED. Review
// STATUS6: nine state names in the paragraph of exit codes read as a second vocabulary to keep
// in step; it now sends the reader to status --help, which says what each one means.
it("points the top-level help's exit status to status --help for the states", async () => {
  const { io, stdout } = captureIo();
  expect(await main(['--help'], io)).toBe(0);
  const help = stdout().replace(/\s+/g, ' ');
  expect(help).toContain(
    '1 failure (one-line reason; status: an instance not ok, its states in status --help)',
  );
  for (const state of ['LATE', 'SILENT', 'QUARANTINE']) expect(help).not.toContain(state);
  expect(help).toContain('2 usage error, 130 (SIGINT, Ctrl-C), 143 (SIGTERM) or 129 (SIGHUP');
  expect(
    stdout()
      .split('\n')
      .filter((line) => line.length > 80),
  ).toEqual([]);
});
