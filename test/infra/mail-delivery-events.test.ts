import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ALERTS_ENV } from '../../functions/alerts/config.ts';
import { REPORT_ENV } from '../../functions/report/config.ts';
import { MailDeliveryEvents } from '../../infra/constructs/mail-delivery-events.ts';
import {
  actionsOf,
  cfnText,
  logicalIdOf,
  newTestApp,
  resourcesOf,
  statementsOfRole,
  synthStack,
  TEST_ENV,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** The smallest stack: an encrypted topic and the configuration set publishing to it. */
function publishingStack() {
  const stack = new Stack(newTestApp(), 'Mail', { env: TEST_ENV });
  const key = new kms.Key(stack, 'Key');
  const topic = new sns.Topic(stack, 'Topic', { masterKey: key, enforceSSL: true });
  new MailDeliveryEvents(stack, 'MailEvents').publishTo(topic, key);
  const template = Template.fromStack(stack);
  return {
    template,
    topicId: logicalIdOf(template, 'AWS::SNS::Topic', '/Topic/'),
    setId: logicalIdOf(template, 'AWS::SES::ConfigurationSet', '/MailEvents/'),
  };
}

describe('SES delivery events of the mails the stack sends', () => {
  // review-stack F3: SES's default TLS policy (Optional) delivers in plain text to a server without
  // STARTTLS, and these mails name users, addresses and suspicious logins.
  it('sends only over TLS', () => {
    const { template, setId } = publishingStack();
    expect(template.toJSON().Resources[setId].Properties.DeliveryOptions).toEqual({ TlsPolicy: 'REQUIRE' });
  });

  it('publishes bounces, complaints, rejects and delivery delays of the configuration set to the topic', () => {
    const { template, topicId, setId } = publishingStack();
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: setId },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint', 'reject', 'deliveryDelay'],
        SnsDestination: { TopicARN: { Ref: topicId } },
      },
    });
  });

  it('lets SES publish to the topic and use its key, for this configuration set only', () => {
    const { template, topicId, setId } = publishingStack();
    const setArn = `arn:aws:ses:${TEST_ENV.region}:${TEST_ENV.account}:configuration-set/{${setId}}`;
    const topicStatements = Object.values(template.findResources('AWS::SNS::TopicPolicy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    );
    const sesPublish = topicStatements.filter((s) => s.Principal?.Service === 'ses.amazonaws.com');
    expect(sesPublish).toHaveLength(1);
    expect(sesPublish[0]).toMatchObject({
      Effect: 'Allow',
      Action: 'sns:Publish',
      Resource: { Ref: topicId },
    });
    // CDK's own statement names the partition by reference.
    expect(
      cfnText(sesPublish[0].Condition.StringEquals['AWS:SourceArn']).replace('{AWS::Partition}', 'aws'),
    ).toBe(setArn);

    const keyStatements = Object.values(template.findResources('AWS::KMS::Key')).flatMap(
      (k) => k.Properties.KeyPolicy.Statement,
    );
    const sesKey = keyStatements.filter((s) => s.Principal?.Service === 'ses.amazonaws.com');
    expect(sesKey).toHaveLength(1);
    // The key is bound to SNS topics by the encryption context SNS sets on every key call, not by
    // source conditions SES may not pass on the call SNS makes for it.
    expect(sesKey[0]).toMatchObject({
      Sid: 'SesMailEventsPublishToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'ses.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    });
    expect(Object.keys(sesKey[0].Condition)).toEqual(['ArnLike']);
    expect(cfnText(sesKey[0].Condition.ArnLike['kms:EncryptionContext:aws:sns:topicArn'])).toBe(
      `arn:aws:sns:${TEST_ENV.region}:${TEST_ENV.account}:*`,
    );
  });

  describe('in the stack', () => {
    const { template } = synthStack({
      instances: [{ name: 'acme' }],
      report: {
        enabled: true,
        sender: 'reports@acme-co.com',
        recipients: ['sec@acme-co.com'],
      },
      alerts: { enabled: true, sender: 'alerts@acme-co.com', recipients: ['sec@acme-co.com'] },
    });
    const setId = logicalIdOf(template, 'AWS::SES::ConfigurationSet', '/MailDeliveryEvents/');
    const setArn = `arn:aws:ses:${TEST_ENV.region}:${TEST_ENV.account}:configuration-set/{${setId}}`;

    it('routes the events to the alarm topic', () => {
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        EventDestination: {
          SnsDestination: {
            TopicARN: { Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Monitoring/Alarms/') },
          },
        },
      });
    });

    it.each([
      ['weekly report', '/WeeklyReport/Report/', REPORT_ENV.configurationSet],
      ['alerts', '/Alerts/Alerts-acme/', ALERTS_ENV.configurationSet],
    ])('the %s function sends with the set, and may', (_name, path, variable) => {
      const fnId = logicalIdOf(template, 'AWS::Lambda::Function', `${path}Function/`);
      expect(template.toJSON().Resources[fnId].Properties.Environment.Variables[variable]).toEqual({
        Ref: setId,
      });
      const send = statementsOfRole(template, `${path}Role/`).filter((s) =>
        actionsOf(s).includes('ses:SendEmail'),
      );
      expect(send.flatMap((s) => resourcesOf(s).map(cfnText))).toContain(setArn);
    });

    it('is left out of a stack that sends no mail', () => {
      const { template: plain } = synthStack({ instances: [{ name: 'acme' }] });
      plain.resourceCountIs('AWS::SES::ConfigurationSet', 0);
      plain.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 0);
    });
  });
});
