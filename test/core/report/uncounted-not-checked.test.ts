/**
 * The uncounted sign-in count is a caveat: its query failing alone, at the engine's limit on one
 * query too, leaves the report to go out without it, and a query the engine could not stop is named
 * so someone stops it.
 */
import { describe, expect, it } from 'vitest';
import { AthenaQueryError } from '../../../functions/adapters/athena-engine.ts';
import { describeLocalReport } from '../../../functions/cli/commands/report.ts';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { leftRunningQueryId } from '../../../functions/core/report/report-query-engine.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { FakeEngine } from './fake-engine.ts';

const failingWith = (error: Error) =>
  class extends FakeEngine {
    override async run(...args: Parameters<FakeEngine['run']>) {
      if (args[0] === 'uncounted_sign_ins') throw error;
      return super.run(...args);
    }
  };

const modelWith = (error: Error) => {
  const Engine = failingWith(error);
  return buildReportModel(new Engine(), {
    instance: 'acme',
    run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
  });
};

const timedOut = (stopped: boolean) =>
  new AthenaQueryError(
    `Athena uncounted_sign_ins did not finish within 120 s (query execution q-7, last state RUNNING); ${
      stopped ? 'it was stopped' : 'it could not be stopped: AccessDenied; stop it in the Athena console'
    }. If a query regularly needs more than 120 s, time it with the command line`,
    'q-7',
    'TIMEOUT',
    undefined,
    { leftRunning: !stopped },
  );

describe('uncounted sign-ins not checked', () => {
  it("goes out without the count when the query meets the engine's own time limit", async () => {
    const model = await modelWith(timedOut(true));
    expect(model.uncountedSignIns).toBeUndefined();
    expect(model.uncountedSignInsNotChecked).toMatch(
      /^Athena uncounted_sign_ins did not finish within 120 s/,
    );
    expect(model.uncountedSignInsNotChecked).not.toContain('still running');
  });

  it('names a query left running and how to stop it, past the cut of the reason', async () => {
    const model = await modelWith(timedOut(false));
    expect(model.uncountedSignInsNotChecked).toMatch(
      /… \(still running: stop query execution q-7 in the Athena console\)$/,
    );
  });

  it("the command line's summary warns of it", async () => {
    const model = await modelWith(new Error('IO Error: Input is not a GZIP stream'));
    const paths = { html: 'r.html', txt: 'r.txt', eml: 'r.eml', json: 'r.json' };
    const summary = describeLocalReport({ model, subject: reportSubject(model), paths, htmlBytes: 1 });
    expect(summary).toContain(
      '\n  warning: sign-in events not counted: not checked (IO Error: Input is not a GZIP stream)\n',
    );
  });
});

describe('leftRunningQueryId', () => {
  it('reads the id only from an error that says its query is still running', () => {
    expect(leftRunningQueryId(timedOut(false))).toBe('q-7');
    expect(leftRunningQueryId(timedOut(true))).toBeUndefined();
    expect(leftRunningQueryId({ leftRunningQueryId: '' })).toBeUndefined();
    expect(leftRunningQueryId({ leftRunningQueryId: 7 })).toBeUndefined();
    expect(leftRunningQueryId(null)).toBeUndefined();
    expect(leftRunningQueryId('q-7')).toBeUndefined();
  });
});
