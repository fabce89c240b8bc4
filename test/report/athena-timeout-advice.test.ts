import {
  AthenaClient,
  GetQueryExecutionCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { errorMessage } from '../../functions/core/error-message.ts';
import { reportFailureMessage, reportTimeoutAdvice } from '../../functions/report/failure-message.ts';
import { ATHENA_QUERY_TIMEOUT_MS } from '../../functions/report/handler.ts';
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

const timeout = (extra: Parameters<typeof engineWith>[1]) =>
  engineWith(fakeTime(), extra)
    .run('period_totals', {
      instance: 'acme',
      from_dt: '2026-11-16',
      to_dt: '2026-11-22',
      from_ts: '2026-11-16 00:00:00.000',
      to_ts: '2026-11-23 00:00:00.000',
    })
    .catch((error: unknown) => error);

describe("the advice of an Athena query's timeout", () => {
  it("is the command line's by default: narrow the period", async () => {
    runsForever();
    expect(errorMessage(await timeout({ timeoutMs: 10_000 }))).toMatch(
      /did not finish within 10 s .*it was stopped\. Narrow the period it covers, or run it again when Athena is less busy \(no option raises this limit\)$/,
    );
  });

  it("is the report's with reportTimeoutAdvice: no period to narrow, the limit in the code, then the week's invocation", async () => {
    runsForever();
    const error = await timeout({ timeoutMs: ATHENA_QUERY_TIMEOUT_MS, timeoutAdvice: reportTimeoutAdvice });
    const message = reportFailureMessage({ instance: 'acme', isoWeek: '2026-W47', resend: false, error });
    expect(message).not.toMatch(/Narrow|no option/);
    expect(message).toBe(
      'Athena query period_totals did not finish within 120 s (query execution q-1, last state RUNNING); it was stopped. ' +
        "If a query regularly needs more than 120 s, time it with the command line (query <name> --athena with the week's --from and --to, which waits up to 5 minutes): " +
        "no setting raises the function's limit, ATHENA_QUERY_TIMEOUT_MS in functions/report/handler.ts (raising it takes a deploy, and report.timeoutMinutes raised to match). " +
        'Otherwise Athena was busy; once it is less busy, send the week again: invoke the report function with {"week":"2026-W47","instance":"acme"}',
    );
  });
});
