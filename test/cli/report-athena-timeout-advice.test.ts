import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, expect, it, vi } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

// `report --athena` whose queries outlast the engine's limit: the advice must fit a report, whose
// period is its week, not the query command's "narrow the period".
const athena = mockClient(AthenaClient);
let out: string;
beforeEach(async () => {
  athena.reset();
  out = await mkdtemp(join(tmpdir(), 'report-athena-timeout-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(out, { recursive: true, force: true });
});
afterAll(() => athena.restore());

it('says to run the report again when Athena is less busy, not to narrow its period', async () => {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
  athena.on(StopQueryExecutionCommand).resolves({});
  // Only the engine's monotonic clock is moved: once the queries run, it jumps past the engine's
  // 5-minute limit, and the next poll (within a second) gives them up.
  const real = performance.now.bind(performance);
  let ahead = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => real() + ahead);
  const { io, stderr } = captureIo();
  const running = main(
    ['report', '--out', out, '--athena', '--workgroup', 'wg', '--database', 'db', '--region', 'eu-west-1'],
    io,
  );
  await vi.waitUntil(() => athena.commandCalls(GetQueryExecutionCommand).length > 0, { timeout: 10_000 });
  ahead = 301_000;
  expect(await running, stderr()).toBe(1);
  expect(stderr()).toMatch(/did not finish within 300 s/);
  expect(stderr()).toMatch(
    /A report covers its whole week, and no option raises the 300 s limit: run the report again/,
  );
  expect(stderr()).not.toMatch(/Narrow the period/);
});
