import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { InstanceReportEvent, InstanceReportStarter } from '../core/report/start-instance-reports.ts';

/**
 * `invokedFunctionArn` without its qualifier (`:live`, `:3`), which it carries when the function
 * was invoked through an alias or version: the permission to invoke itself is on the unqualified
 * function, and an alias's or version's policy would not hold it.
 */
export const unqualifiedFunctionArn = (invokedFunctionArn: string): string =>
  invokedFunctionArn.split(':').slice(0, 7).join(':');

/**
 * Starts an instance's report as an asynchronous invocation of a function (the report function
 * itself): Lambda queues it, and runs it when the function has a free execution, so reports never
 * run side by side when the function's reserved concurrency is 1. The SDK's retries stay on: an
 * event queued twice (a retry whose first answer was lost, or Lambda delivering one event twice)
 * is harmless because it is never a resend (the handler refuses `resend` beside `eachInstance`):
 * the second run finds the week's sent-marker and skips, or retries a week nothing was mailed for.
 */
export class LambdaReportStarter implements InstanceReportStarter {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionArn: string,
  ) {}

  async start(event: InstanceReportEvent): Promise<void> {
    const answer = await this.client.send(
      new InvokeCommand({
        FunctionName: this.functionArn,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
    // 202 is the one answer that means queued.
    if (answer.StatusCode !== 202)
      throw new Error(`Lambda answered ${answer.StatusCode} instead of 202 (queued)`);
  }
}
