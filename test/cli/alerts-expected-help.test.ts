/** `alerts --help` says what becomes of quieted alerts in each format (review R-MUTE2). */
import { expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

it('says --format json lists the quieted alerts with quieted_by, in lines of 80 columns', async () => {
  const { io, stdout } = captureIo();
  expect(await main(['alerts', '--help'], io)).toBe(0);
  const help = stdout();
  const expected = help.slice(help.indexOf('--expected <file>')).replace(/\s+/g, ' ');
  expect(expected).toContain('sign-in alerts a rule matches are counted');
  expect(expected).toContain('left out of the table and the message; --format json lists them');
  expect(expected).toContain(
    'Failed sign-ins, lockouts, sprays and logins after failed logins are always listed',
  );
  expect(expected).toContain('with quieted_by');
  expect(expected).not.toContain('not listed');
  for (const line of help.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
});
