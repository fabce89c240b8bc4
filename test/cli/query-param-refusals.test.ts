import { describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

const now = () => Date.parse('2026-11-24T15:00:00Z');
const refusal = (argv: string[]) =>
  queryCommand(argv, { ...captureIo().io, log: silentLog }, { now }).then(
    () => 'no error',
    (e: Error) => `${e.name}: ${e.message}`,
  );

describe('query --param refusals (before any lake is opened)', () => {
  it('says a --param without a name must be name=value', async () => {
    expect(await refusal(['period_totals', '--param', '=5'])).toBe(
      'UsageError: --param "=5" must be name=value',
    );
    expect(await refusal(['period_totals', '--param', ' =5'])).toBe(
      'UsageError: --param " =5" must be name=value',
    );
  });

  it('refuses a date bound on a day that does not exist, which Date.parse rolls into the next month', async () => {
    for (const day of ['2025-02-29', '2026-04-31']) {
      expect(await refusal(['daily_activity', '--param', `from_dt=${day}`])).toBe(
        `UsageError: --param "from_dt=${day}": from_dt "${day}" must be a date YYYY-MM-DD`,
      );
    }
  });
});
