import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { InstanceReportEvent, InstanceReportStarter } from '../core/report/start-instance-reports.ts';

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
