import { describe, expect, it } from 'vitest';
import { deliverChannel } from '../../../functions/core/alerts/deliver-alerts.ts';
import { MailRejectedError } from '../../../functions/core/mail/mail-errors.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel } from './support/alert-fixtures.ts';
import { alertAt, channelState, deliveryContext, NOW, storeChannel } from './support/delivery-fixtures.ts';

describe('an alert mail the mail service refuses', () => {
  it('is a refusal: the alerts go back to the outbox and the next run delivers them', async () => {
    const store = new MemoryObjectStore();
    const alerts = [alertAt('a', NOW - 60_000), alertAt('b', NOW - 30_000)];
    storeChannel(store, 'email', { outbox: alerts });
    const channel = new RecordingChannel('email');
    channel.fail = (attempt) =>
      attempt === 1 ? new MailRejectedError('Email address is not verified', 'MessageRejected') : undefined;

    const refused = await deliverChannel(deliveryContext(store, NOW), channel);
    expect(refused).toMatchObject({ status: 'refused', alerts: 2, error: 'Email address is not verified' });
    expect(await channelState(store, 'email')).toMatchObject({
      outbox: alerts,
      sending: null,
      unknown: [],
      failures: 1,
      last_error: 'Email address is not verified',
    });

    const retried = await deliverChannel(deliveryContext(store, NOW + 15 * 60_000), channel);
    expect(retried).toMatchObject({ status: 'delivered', alerts: 2 });
    expect(channel.delivered).toEqual(alerts);
  });
});
