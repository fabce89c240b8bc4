import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * A function's asynchronous invocations that failed, sent to `queue`, with `sqs:SendMessage` the
 * only grant: the one action Lambda needs of the execution role for an SQS destination (Lambda
 * Developer Guide, "Capturing records of asynchronous invocations"). CDK's SqsDestination grants
 * `grantSendMessages`, which adds `GetQueueAttributes` and `GetQueueUrl` that no function calls.
 * The queue is encrypted with SQS-managed keys (infra/activity-lake-stack.ts), so no key grant.
 */
export function failureQueueDestination(queue: sqs.IQueue): lambda.IDestination {
  return {
    bind: (_scope, fn) => {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
      );
      return { destination: queue.queueArn };
    },
  };
}
