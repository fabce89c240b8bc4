import { ArnFormat, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { encryptedTopicKeyStatement } from './encrypted-topic-key-statement.ts';

/**
 * The SES events that mean a mail SES accepted (it answered with a MessageId) never reached its
 * recipient: a bounce (including an address on the account's suppression list, which SES drops
 * without trying), a complaint (the address is suppressed from then on), a reject (virus scan),
 * and a delivery delay (the receiving server keeps deferring it). Sends and deliveries are left out:
 * they are the healthy case, and would bury these among weekly noise.
 */
const UNDELIVERED_MAIL_EVENTS: readonly ses.EmailSendingEvent[] = [
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.REJECT,
  ses.EmailSendingEvent.DELIVERY_DELAY,
];

/**
 * The SES configuration set the weekly report and the alert mails are sent with. SendEmail's
 * MessageId only says SES accepted a mail; what happens to it afterwards (a bounce, a suppressed
 * address, a complaint) is reported only as an event of the configuration set it was sent with.
 * {@link MailDeliveryEvents.publishTo} sends those events to the alarm topic, so the operator reads
 * each one, with the address and the reason, where the alarms arrive.
 */
export class MailDeliveryEvents extends Construct {
  readonly configurationSet: ses.ConfigurationSet;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // The mails carry user names, addresses and suspicious-login findings: SES's default
    // (Optional) would hand them in plain text to a receiving server that offers no STARTTLS.
    // Required, SES does not deliver such a mail; what it reports then (delays, and a bounce once
    // it gives up) reaches the alarm topic through publishTo.
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });
  }

  get configurationSetName(): string {
    return this.configurationSet.configurationSetName;
  }

  /** The ARN `ses:SendEmail` must be allowed on to send with the configuration set. */
  get configurationSetArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSetName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /**
   * Publishes the undelivered-mail events to `topic`. The event destination adds the topic policy
   * statement that lets SES publish, for this configuration set only (its `aws:SourceArn`); the
   * topic is KMS-encrypted, so SES also needs the key, or SNS refuses every event and nothing says
   * so. The key statement is bound to SNS topics of this account by the encryption context SNS
   * always sets, not by `aws:SourceArn`/`aws:SourceAccount`: AWS does not say SES passes those on
   * the key call SNS makes for it (it documents them as unsupported there for other services'
   * events), and a condition that never matches would refuse every event.
   */
  publishTo(topic: sns.ITopic, topicKey: kms.IKey): void {
    this.configurationSet.addEventDestination('ToAlarmTopic', {
      destination: ses.EventDestination.snsTopic(topic),
      events: [...UNDELIVERED_MAIL_EVENTS],
    });
    topicKey.addToResourcePolicy(
      encryptedTopicKeyStatement(this, 'SesMailEventsPublishToEncryptedTopic', 'ses.amazonaws.com'),
    );
  }
}
