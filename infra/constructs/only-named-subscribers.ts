import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';

/** The topic-policy statement's id that keeps subscriptions to the named endpoints and principals. */
export const ONLY_NAMED_SUBSCRIBERS = 'OnlyNamedSubscribers';

/**
 * Denies `sns:Subscribe` on `topic` unless the endpoint is one of `endpoints` (the addresses the
 * stack subscribes itself) or the caller's `aws:PrincipalArn` matches one of `principals` (review
 * R-SECURITY L3). The alerts name the users, addresses and times of suspicious logins: any role of
 * the account allowed `sns:Subscribe` on `*` could otherwise add an endpoint of its own, a mailbox
 * or a URL outside the company, and receive every alert unseen. The two conditions are both
 * required for the Deny, so either one lets a subscription through; CloudFormation subscribes the
 * stack's addresses as the deploying role, which the endpoint lets through whatever that role is.
 * An endpoint is compared without case, as mail addresses are. None of either: nobody subscribes.
 * Existing subscriptions are untouched: the Deny is on the request that makes one.
 */
export function onlyNamedSubscribers(
  topic: sns.ITopic,
  endpoints: readonly string[],
  principals: readonly string[],
): iam.PolicyStatement {
  const statement = new iam.PolicyStatement({
    sid: ONLY_NAMED_SUBSCRIBERS,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['sns:Subscribe'],
    resources: [topic.topicArn],
  });
  if (endpoints.length > 0)
    statement.addCondition('StringNotEqualsIgnoreCase', { 'sns:Endpoint': [...endpoints] });
  if (principals.length > 0) statement.addCondition('ArnNotLike', { 'aws:PrincipalArn': [...principals] });
  return statement;
}
