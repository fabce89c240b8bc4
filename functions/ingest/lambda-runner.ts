import type { Context } from 'aws-lambda';
import { apiOrigin, type DigestRunner, type DigestTrigger } from '../core/lake/digest-runner.ts';
import type { IngestRequest } from './ingest-event.ts';

/**
 * What started this invocation, as far as its event tells: the schedule sends
 * `{"source":"schedule",…}` (infra/constructs/instance-ingest.ts), a person may send anything,
 * the schedule's event included; the request id is what tells them apart afterwards.
 */
function triggerOf(event: unknown, request: IngestRequest): DigestTrigger {
  if (request.mode === 'range') return 'invoke-re-pull';
  const source =
    typeof event === 'object' && event !== null ? (event as { source?: unknown }).source : undefined;
  return source === 'schedule' ? 'schedule' : 'invoke';
}

/**
 * The runner the ingest function's digests record: the invocation's trigger, the API the function
 * is configured to read, and the function and request from its Lambda context, by which a recipient
 * finds the run's `Sign` calls in CloudTrail (their caller's session is the function's name) and
 * its log lines.
 */
export function lambdaRunner(
  event: unknown,
  request: IngestRequest,
  context: Context,
  apiBase: string,
): DigestRunner {
  return {
    trigger: triggerOf(event, request),
    api_base: apiOrigin(apiBase),
    caller: {
      kind: 'lambda',
      function_arn: context.invokedFunctionArn,
      function_name: context.functionName,
      function_version: context.functionVersion,
      request_id: context.awsRequestId,
      ...(context.logGroupName ? { log_group: context.logGroupName } : {}),
      ...(context.logStreamName ? { log_stream: context.logStreamName } : {}),
    },
  };
}
