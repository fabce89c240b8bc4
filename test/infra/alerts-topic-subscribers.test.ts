import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ONLY_NAMED_SUBSCRIBERS,
  onlyNamedSubscribers,
} from '../../infra/constructs/only-named-subscribers.ts';
import {
  configWith,
  logicalIdOf,
  newTestApp,
  type PolicyStatementJson,
  sharedSynth,
  TEST_ENV,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** The subscription guard a topic alone gets for `endpoints` and `principals`. */
function guardOf(endpoints: string[], principals: string[]): PolicyStatementJson {
  const stack = new Stack(newTestApp(), 'TopicOnly', { env: TEST_ENV });
  const topic = new sns.Topic(stack, 'Topic');
  topic.addToResourcePolicy(onlyNamedSubscribers(topic, endpoints, principals));
  const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::SNS::TopicPolicy'));
  if (!policy) throw new Error('the topic has no policy');
  return (policy.Properties.PolicyDocument.Statement as PolicyStatementJson[])[0] as PolicyStatementJson;
}

const SECOPS = 'arn:aws:iam::123456789012:role/SecurityOps';

const GUARDED = {
  alerts: {
    enabled: true,
    email: ['sec@acme-co.com', 'soc@acme-co.com'],
    subscribeAllowedPrincipals: [SECOPS],
  },
};

// Review R-SECURITY L3: any role allowed sns:Subscribe on `*` could add its own endpoint and get
// every alert, the users, addresses and times of suspicious logins.
describe('who may subscribe to the alerts topic', () => {
  it('denies every subscription when no address and no principal is named', () => {
    const guard = guardOf([], []);
    expect(guard).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sns:Subscribe' });
    expect(guard.Condition).toBeUndefined();
  });

  it("lets through the stack's own addresses and the named principals, each alone", () => {
    expect(guardOf(['sec@acme-co.com'], [SECOPS]).Condition).toEqual({
      StringNotEqualsIgnoreCase: { 'sns:Endpoint': ['sec@acme-co.com'] },
      ArnNotLike: { 'aws:PrincipalArn': [SECOPS] },
    });
    expect(guardOf(['sec@acme-co.com'], []).Condition).toEqual({
      StringNotEqualsIgnoreCase: { 'sns:Endpoint': ['sec@acme-co.com'] },
    });
  });

  it('guards the deployed alerts topic with alerts.email and alerts.subscribeAllowedPrincipals', () => {
    const { template } = sharedSynth(GUARDED);
    const topicId = logicalIdOf(template, 'AWS::SNS::Topic', '/Alerts/Topic/');
    const policy = Object.values(template.findResources('AWS::SNS::TopicPolicy')).find((candidate) =>
      JSON.stringify(candidate.Properties.Topics).includes(topicId),
    );
    const statements = policy?.Properties.PolicyDocument.Statement as PolicyStatementJson[];
    expect(statements.find((s) => s.Sid === ONLY_NAMED_SUBSCRIBERS)).toMatchObject({
      Effect: 'Deny',
      Action: 'sns:Subscribe',
      Resource: { Ref: topicId },
      Condition: {
        StringNotEqualsIgnoreCase: { 'sns:Endpoint': ['sec@acme-co.com', 'soc@acme-co.com'] },
        ArnNotLike: { 'aws:PrincipalArn': [SECOPS] },
      },
    });
  });

  // Review R-SECOND6 M1: on an update that adds an address, a subscription created in parallel
  // with the policy update meets the old Deny, which does not name the new address yet.
  it('subscribes each address only after the topic policy that lets it through', () => {
    const { template } = sharedSynth(GUARDED);
    const policyId = logicalIdOf(template, 'AWS::SNS::TopicPolicy', '/Alerts/Topic/');
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).filter((s) =>
      String(s.Metadata?.['aws:cdk:path']).includes('/Alerts/Topic/'),
    );
    expect(subscriptions.map((s) => s.Properties.Endpoint).sort()).toEqual([
      'sec@acme-co.com',
      'soc@acme-co.com',
    ]);
    for (const subscription of subscriptions) expect(subscription.DependsOn).toContain(policyId);
  });

  it('refuses a pattern of every role, saying what the list is for', () => {
    expect(() =>
      configWith({ alerts: { subscribeAllowedPrincipals: ['arn:aws:iam::123456789012:role/*'] } }),
    ).toThrow(
      /alerts\.subscribeAllowedPrincipals\[0\]: .* would let nearly anyone subscribe to the security alerts/,
    );
  });
});
