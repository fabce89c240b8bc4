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
      expect(await refusal(['suspicious_logins', '--param', `history_from_dt=${day}`])).toBe(
        `UsageError: --param "history_from_dt=${day}": history_from_dt "${day}" must be a date YYYY-MM-DD`,
      );
    }
  });

  it('refuses a parameter an option sets, naming the option with the value to give it', async () => {
    // The last one given silently won over the option (either order), and --param instance skipped
    // the check that the lake holds the instance.
    const cases: [string[], string][] = [
      [
        ['most_active_users', '--param', 'limit=5', '--limit', '6'],
        '"limit=5": limit is set by --limit: write --limit 5',
      ],
      [
        ['most_active_users', '--limit', '6', '--param', 'limit=5'],
        '"limit=5": limit is set by --limit: write --limit 5',
      ],
      [
        ['period_totals', '--param', 'instance=other'],
        '"instance=other": instance is set by --instance: write --instance other',
      ],
      [
        ['daily_activity', '--param', 'time_zone=europe/paris', '--time-zone', 'Asia/Tokyo'],
        '"time_zone=europe/paris": time_zone is set by --time-zone: write --time-zone europe/paris',
      ],
      [
        ['period_totals', '--param', 'from_ts=2026-11-20 00:00:00.000', '--from', '2026-11-21'],
        '"from_ts=2026-11-20 00:00:00.000": from_ts is set by --from: write --from 2026-11-20',
      ],
      [
        ['period_totals', '--param', 'to_ts=2026-11-20 10:30:00.5'],
        '"to_ts=2026-11-20 10:30:00.5": to_ts is set by --to: write --to 2026-11-20T10:30:00.5Z',
      ],
      [
        ['period_totals', '--param', 'from_ts=2026-11-20T10:00:00+01:00'],
        '"from_ts=2026-11-20T10:00:00+01:00": from_ts is set by --from: write --from 2026-11-20T10:00:00+01:00',
      ],
      [
        ['period_totals', '--param', 'from_ts=yesterday'],
        '"from_ts=yesterday": from_ts is set by --from: write --from <time>',
      ],
      [
        ['latest_events', '--param', 'from_dt=2026-11-20'],
        '"from_dt=2026-11-20": from_dt is set by --from: write --from 2026-11-20',
      ],
      // to_dt is the last day read; --to the end, exclusive.
      [
        ['period_totals', '--param', 'to_dt=2026-11-30'],
        '"to_dt=2026-11-30": to_dt is set by --to: write --to 2026-12-01',
      ],
    ];
    for (const [argv, message] of cases) {
      expect(await refusal(argv)).toBe(
        `UsageError: --param ${message} instead (--param sets the parameters no option sets)`,
      );
    }
  });

  it('refuses a parameter set twice with different values, not the last one silently winning', async () => {
    const argv = ['suspicious_logins', '--param', 'min_history_logins=5', '--param', 'min_history_logins=7'];
    expect(await refusal(argv)).toBe(
      'UsageError: --param sets min_history_logins twice, as 5 and as 7: it takes one value; keep the one you mean',
    );
    // The same value twice (a line built by a script) is no conflict: the run goes on to the lake.
    const twice = ['suspicious_logins', '--param', 'min_history_logins=5', '--param', 'min_history_logins=5'];
    expect(await refusal([...twice, '--lake', '/nonexistent/lake'])).not.toMatch(/--param/);
  });
});
