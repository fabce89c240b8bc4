import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * The key-policy statement that lets an AWS service publish to an SNS topic encrypted with that key:
 * SNS encrypts each message with the publisher's rights, so without it the service's messages are
 * refused, and nothing says so. Bound to SNS topics of this account and region by the encryption
 * context SNS always sets (`aws:sns:topicArn`), not by the topic's own ARN: the topic names the key,
 * so the key naming the topic (or a rule or configuration set that names the topic) would be a
 * dependency cycle. The key is the topic's own, so no other topic's messages are encrypted with it.
 */
export function encryptedTopicKeyStatement(
  scope: Construct,
  sid: string,
  service: string,
): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    principals: [new iam.ServicePrincipal(service)],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:sns:topicArn': Stack.of(scope).formatArn({
          service: 'sns',
          resource: '*',
        }),
      },
    },
  });
}
