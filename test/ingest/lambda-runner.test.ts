import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { readIngestEvent } from '../../functions/ingest/ingest-event.ts';
import { lambdaRunner } from '../../functions/ingest/lambda-runner.ts';

const context = {
  functionName: 'stack-IngestAcme',
  functionVersion: '7',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:stack-IngestAcme:live',
  awsRequestId: '0f1e2d3c-aaaa-bbbb-cccc-000000000001',
  logGroupName: '/aws/lambda/stack-IngestAcme',
  logStreamName: '2026/12/06/[7]abc',
} as Context;

const runnerFor = (event: unknown, apiBase = 'https://api.domo.com') =>
  lambdaRunner(event, readIngestEvent(event), context, apiBase);

describe('the runner the ingest function records in its digests', () => {
  it("tells the schedule's event, any other event and a re-pull apart", () => {
    expect(runnerFor({ source: 'schedule', instance: 'acme' }).trigger).toBe('schedule');
    // The console's test event, `aws lambda invoke` with no payload: a run started by hand.
    expect(runnerFor({}).trigger).toBe('invoke');
    expect(runnerFor(null).trigger).toBe('invoke');
    expect(runnerFor({ source: 'aws.events' }).trigger).toBe('invoke');
    const rePull = { rePull: { from: '2026-10-01T00:00:00Z', to: '2026-10-01T01:00:00Z' } };
    expect(runnerFor(rePull).trigger).toBe('invoke-re-pull');
  });

  it('names the function and the invocation from the Lambda context', () => {
    expect(runnerFor({ source: 'schedule' }).caller).toEqual({
      kind: 'lambda',
      function_arn: context.invokedFunctionArn,
      function_name: 'stack-IngestAcme',
      function_version: '7',
      request_id: context.awsRequestId,
      log_group: '/aws/lambda/stack-IngestAcme',
      log_stream: '2026/12/06/[7]abc',
    });
  });

  it('records the API as its origin alone: no path, where a token could sit', () => {
    expect(runnerFor({}, 'https://proxy.example.com:8443/t0k3n/v1/').api_base).toBe(
      'https://proxy.example.com:8443',
    );
    expect(runnerFor({}).api_base).toBe('https://api.domo.com');
  });
});
