import { describe, expect, it } from 'vitest';
import { statusCommand } from '../../functions/cli/commands/status.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

/** The error status throws for `--lag-hours value`, before it looks at any lake. */
async function lagHoursRefusal(value: string): Promise<unknown> {
  const { io } = captureIo();
  const argv = ['--lake', '/nonexistent/lake', '--lag-hours', value];
  return statusCommand(argv, { ...io, log: silentLog }).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('status --lag-hours', () => {
  it('refuses 0 and more than a week, naming the flag and the range the lag alarm takes', async () => {
    for (const value of ['0', '169']) {
      const error = await lagHoursRefusal(value);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(`--lag-hours "${value}" must be a whole number from 1 to 168`);
    }
  });
});
