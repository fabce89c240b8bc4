import type { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { deployedPolicyBytes } from '../../infra/constructs/policy-size.ts';
import { MANAGED_POLICY_MAX_CHARS } from '../../infra/constructs/shared-send-policies.ts';
import { planSesIdentities } from '../../infra/report/ses-identities.ts';
import {
  actionsOf,
  cfnText,
  logicalIdOf,
  type PolicyStatementJson,
  resourcesOf,
  statementsOfRole,
  synthStack,
  TEST_ENV,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/**
 * The managed policies that grant the alerts' mail, by id: not the ingest roles'
 * `SignOnlyThisKey`, the stack's other managed policy.
 */
const sendMailPolicies = (template: Template) =>
  Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).filter(([, p]) =>
    String(p.Metadata?.['aws:cdk:path'] ?? '').includes('/SendMail/'),
  );

/** IAM attaches at most 10 managed policies to a role (its default quota). */
const MANAGED_POLICIES_PER_ROLE_MAX = 10;

const SENDER = 'alerts@acme-co.com';
const INSTANCES = ['acme', 'beta', 'gamma'];

/** The stack with the alerts mailing `recipients` for three instances, synthesized. */
const mailing = (recipients: string[], sender = SENDER) =>
  synthStack({
    instances: INSTANCES.map((name) => ({ name })),
    alerts: { enabled: true, sender, recipients },
  });

/** What each alerts role may send as: the planned identities and the configuration set, by ARN. */
function expectedResources(recipients: string[], setId: string): string[] {
  const plan = planSesIdentities({ sender: SENDER, recipients, createSesIdentity: false });
  const identity = (name: string) => `arn:aws:ses:${TEST_ENV.region}:${TEST_ENV.account}:identity/${name}`;
  return [
    ...[...plan.sending, ...plan.recipients].map(identity),
    `arn:aws:ses:${TEST_ENV.region}:${TEST_ENV.account}:configuration-set/{${setId}}`,
  ].sort();
}

const sendStatements = (statements: PolicyStatementJson[]) =>
  statements.filter((s) => actionsOf(s).includes('ses:SendEmail'));

/** Each alerts role may send from the sender only, as exactly the planned identities. */
function expectEachRoleSendsTo(template: ReturnType<typeof mailing>['template'], recipients: string[]) {
  const setId = logicalIdOf(template, 'AWS::SES::ConfigurationSet', '/MailDeliveryEvents/');
  for (const instance of INSTANCES) {
    const send = sendStatements(statementsOfRole(template, `/Alerts/Alerts-${instance}/Role/`));
    expect(send.length, instance).toBeGreaterThan(0);
    for (const s of send) {
      expect(actionsOf(s), instance).toEqual(['ses:SendEmail']);
      expect(s.Effect).toBe('Allow');
      expect(s.Condition, instance).toEqual({
        StringEqualsIgnoreCase: { 'ses:FromAddress': SENDER },
        'ForAllValues:StringEqualsIgnoreCase': { 'ses:Recipients': recipients },
      });
    }
    // The configuration set is in each policy's statement; each identity in one.
    const granted = send.flatMap((s) => resourcesOf(s).map(cfnText));
    expect([...new Set(granted)].sort(), instance).toEqual(expectedResources(recipients, setId));
  }
}

describe("the alerts roles' grant to mail (one managed policy shared, not a statement per role)", () => {
  const recipients = ['sec@acme-co.com', 'ciso@acme-co.org', 'soc@acme-co.org'];
  const { template } = mailing(recipients);
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;

  it('lets each alerts role send from the sender to each recipient, and to nobody else', () => {
    expectEachRoleSendsTo(template, recipients);
  });

  it('is one managed policy every alerts role holds, and no other role', () => {
    const mailPolicies = Object.entries(resources).filter(
      ([, r]) =>
        r.Type === 'AWS::IAM::ManagedPolicy' &&
        sendStatements((r.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement)
          .length > 0,
    );
    expect(mailPolicies).toHaveLength(1);
    const [policyId] = mailPolicies[0] as [string, unknown];
    const holders = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role')
      .filter(([, r]) =>
        ((r.Properties.ManagedPolicyArns ?? []) as unknown[]).some((a) => cfnText(a) === `{${policyId}}`),
      )
      .map(([id]) => id);
    expect(holders.sort()).toEqual(
      INSTANCES.map((i) => logicalIdOf(template, 'AWS::IAM::Role', `/Alerts/Alerts-${i}/Role/`)).sort(),
    );
    // Not repeated inside the roles: the grant is in the template once.
    for (const [id, r] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Role')) {
      const own = (
        (r.Properties.Policies ?? []) as { PolicyDocument: { Statement: PolicyStatementJson[] } }[]
      ).flatMap((p) => p.PolicyDocument.Statement);
      expect(sendStatements(own), id).toEqual([]);
    }
  });

  it('is not made when the alerts mail no one', () => {
    const { template: topicOnly } = synthStack({
      instances: [{ name: 'acme' }],
      alerts: { enabled: true, email: ['soc@acme-co.com'] },
    });
    expect(sendMailPolicies(topicOnly)).toEqual([]);
  });
});

describe('the grant to mail 50 long addresses of as many domains', () => {
  // Each address and its domain are granted: ~220 characters of ARNs an address, ~11,000 in all,
  // within the alerts function's 4 KB environment, which lists the addresses too.
  const recipients = Array.from(
    { length: 50 },
    (_, i) => `a${i}@d${String(i).padStart(2, '0')}-${'y'.repeat(38)}.acme-co.org`,
  );
  const { stack, template } = mailing(recipients);
  const policies = sendMailPolicies(template);

  it(`is spread over managed policies of at most ${MANAGED_POLICY_MAX_CHARS} characters each, with ARNs at their longest`, () => {
    expect(policies.length).toBeGreaterThan(1);
    for (const [id, policy] of policies)
      expect(deployedPolicyBytes(stack, policy.Properties.PolicyDocument), id).toBeLessThanOrEqual(
        MANAGED_POLICY_MAX_CHARS,
      );
  });

  it('still lets each alerts role send to each recipient and only those, from the sender only', () => {
    expectEachRoleSendsTo(template, recipients);
  });

  it(`leaves each alerts role within IAM's ${MANAGED_POLICIES_PER_ROLE_MAX} managed policies`, () => {
    for (const instance of INSTANCES) {
      const id = logicalIdOf(template, 'AWS::IAM::Role', `/Alerts/Alerts-${instance}/Role/`);
      const held = template.toJSON().Resources[id].Properties.ManagedPolicyArns as unknown[];
      expect(held).toHaveLength(policies.length);
      expect(held.length).toBeLessThanOrEqual(MANAGED_POLICIES_PER_ROLE_MAX);
    }
  });

  it('keeps the first part where one policy was, and every description, whatever the sender', () => {
    // IAM cannot change a policy's description, and a new logical id is a new policy: either
    // would make CloudFormation replace the policy when the sender or the part count changes.
    const one = mailing(['sec@acme-co.com'], 'alerts-new@acme-co.com').template;
    const [[single]] = sendMailPolicies(one) as [[string, unknown]];
    expect(single).toBe(logicalIdOf(template, 'AWS::IAM::ManagedPolicy', '/Alerts/SendMail/Policy/'));
    const descriptions = [...policies.map(([, p]) => p), ...sendMailPolicies(one).map(([, p]) => p)].map(
      (p) => p.Properties.Description,
    );
    expect(new Set(descriptions)).toEqual(
      new Set(['Lets the security-alerts functions mail alerts.recipients from alerts.sender']),
    );
  });
});
