import {
  AthenaClient,
  GetQueryExecutionCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { errorMessage } from '../../functions/core/error-message.ts';
import { MIN_QUERY_TIME_LIMIT_MS } from '../../functions/core/report/query-time-limit.ts';
import {
  reportFailureMessage,
  reportQueryLimitSeconds,
  reportTimeoutAdvice,
} from '../../functions/report/failure-message.ts';
import { engineWith, fakeTime } from '../adapters/support/athena-engine-fake.ts';

// An Athena query given up at its limit said "Narrow the period it covers … (no option raises this
// limit)" to the weekly report's operator too, whose period is the week: the advice is the caller's.
const athena = mockClient(AthenaClient);
beforeEach(() => athena.reset());
afterAll(() => athena.restore());

function runsForever() {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
  athena.on(StopQueryExecutionCommand).resolves({});
}

const WEEK = {
  instance: 'acme',
  from_dt: '2026-11-16',
  to_dt: '2026-11-22',
  from_ts: '2026-11-16 00:00:00.000',
  to_ts: '2026-11-23 00:00:00.000',
};

const timeout = (extra: Parameters<typeof engineWith>[1]) =>
  engineWith(fakeTime(), extra)
    .run('period_totals', WEEK)
    .catch((error: unknown) => error);

describe("the advice of an Athena query's timeout", () => {
  it("is the command line's by default: narrow the period", async () => {
    runsForever();
    expect(errorMessage(await timeout({ timeoutMs: 10_000 }))).toMatch(
      /did not finish within 10 s .*it was stopped\. Narrow the period it covers, or run it again when Athena is less busy \(no option raises this limit\)$/,
    );
  });

  it("is the report's with reportTimeoutAdvice: no period to narrow, report.timeoutMinutes to raise, then the week's invocation", async () => {
    runsForever();
    const error = await timeout({ timeoutMs: MIN_QUERY_TIME_LIMIT_MS, timeoutAdvice: reportTimeoutAdvice });
    const message = reportFailureMessage({ instance: 'acme', isoWeek: '2026-W47', resend: false, error });
    expect(message).not.toMatch(/Narrow|no option|no setting|ATHENA_QUERY_TIMEOUT_MS/);
    expect(message).toBe(
      'Athena query period_totals did not finish within 120 s (query execution q-1, last state RUNNING); it was stopped. ' +
        'If a query regularly needs more than 120 s, raise report.timeoutMinutes in cdk.json (up to 15, about 174 s a query) and deploy: ' +
        "each query may wait the function's time less the 30 s mailing needs, shared among the report's 5 waves of queries (18, 4 at a time), and at least 120 s. " +
        "To see how long it takes, time it with the command line (query <name> --athena with the week's --from and --to, which waits up to 5 minutes). " +
        'Otherwise Athena was busy; once it is less busy, send the week again: invoke the report function with {"week":"2026-W47","instance":"acme"}',
    );
  });

  it("waits a run's own limit, the report's share of its time, and names that limit", async () => {
    runsForever();
    const engine = engineWith(fakeTime(), {
      timeoutMs: MIN_QUERY_TIME_LIMIT_MS,
      timeoutAdvice: reportTimeoutAdvice,
    });
    const error = await engine.run('period_totals', WEEK, { timeoutMs: 142_000 }).catch((e: unknown) => e);
    expect(errorMessage(error)).toMatch(
      /did not finish within 142 s .*If a query regularly needs more than 142 s, raise report\.timeoutMinutes/,
    );
  });

  it('says a limit as long as 15 minutes give cannot be raised, and how to make the week anyway', () => {
    expect(reportQueryLimitSeconds(5)).toBe(120);
    expect(reportQueryLimitSeconds(15)).toBe(174);
    const advice = reportTimeoutAdvice(reportQueryLimitSeconds(15));
    expect(advice).not.toMatch(/raise report\.timeoutMinutes/);
    expect(advice).toMatch(
      /^report\.timeoutMinutes is at Lambda's most \(15 minutes\): .*report --athena --week/,
    );
    // Instances sharing one invocation's time meet a shorter limit at 15 minutes (R-CONFIG2 L7).
    expect(reportTimeoutAdvice(120, 15)).toMatch(
      /^report\.timeoutMinutes is at Lambda's most \(15 minutes\)/,
    );
    expect(reportTimeoutAdvice(120, 5)).toMatch(
      /^If a query regularly needs more than 120 s, raise report\.timeoutMinutes/,
    );
  });
});
