import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxAlert } from '../../functions/core/alerts/alert-checkpoint.ts';
import { MAX_LISTED_ALERTS, MIN_HELD_ROWS } from '../../functions/core/alerts/render-alerts.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { alertAt, NOW } from '../core/alerts/support/delivery-fixtures.ts';
import { publishOverSns } from './support/sns-alert-publish.ts';

// The `alerts` attribute carries the alerts the text lists, the rows kept for alerts an outage held
// included: picked again from every alert, it carried the newest of each kind, recent ones only,
// and left out what the text listed from the outage (and a first run's history, which the text only
// counts, it carried instead of the recent ones the text lists).
const sns = mockClient(SNSClient);
afterAll(() => sns.restore());
beforeEach(() => sns.reset());

describe("SNS's alerts attribute beside alerts an outage held", () => {
  it('carries the ones the text lists, those of the outage among them', async () => {
    const recent = Array.from({ length: 60 }, (_, i) => alertAt(`r${i}`, NOW - HOUR_MS - i * 60_000));
    const held: OutboxAlert[] = Array.from({ length: 12 }, (_, i) => ({
      ...alertAt(`h${i}`, NOW - (30 + i) * HOUR_MS),
      since_alerting: true,
    }));
    const { carried } = await publishOverSns(sns, [...recent, ...held]);
    expect(carried).toHaveLength(MAX_LISTED_ALERTS);
    const heldIds = new Set(held.map((a) => a.id));
    expect(carried.filter((id) => heldIds.has(id))).toHaveLength(MIN_HELD_ROWS);
  });

  it("carries none of a first run's history, which the text only counts", async () => {
    const history = Array.from({ length: 3 }, (_, i) => alertAt(`old${i}`, NOW - (30 + i) * HOUR_MS));
    const { attributes, carried } = await publishOverSns(sns, history);
    expect(carried).toEqual([]);
    expect(attributes?.alert_count?.StringValue).toBe('3');
  });
});
