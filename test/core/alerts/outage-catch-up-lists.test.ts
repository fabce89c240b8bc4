/**
 * End to end on the in-memory store: after an outage of more than a day (the ingest's, or the
 * channel's), the message that catches up lists the alerts of the outage, marked late with why,
 * rather than only counting those older than `mailOlderThanHours`; a first run over the lake's
 * history still counts them (review R-INSIDER: an operator back from an outage could not see whom
 * its alerts were about).
 */
import { describe, expect, it } from 'vitest';
import { DeliveryRefusedError } from '../../../functions/core/alerts/alert-channel.ts';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { flatText, RecordingChannel } from './support/alert-fixtures.ts';
import { INSTANCE } from './support/delivery-fixtures.ts';
import { alertsRun, ingestedUpTo, START } from './support/synthetic-run.ts';

const MIN = 60_000;
/** Each hour's alert names its hour in its evidence (`hourlyAlert`). */
const hourTag = (h: number): string => `(hour-${START + h * HOUR_MS})`;
const lastText = (channel: RecordingChannel): string => flatText(channel.messages.at(-1)?.text ?? '');

describe('a catch-up after an outage of more than a day', () => {
  it('lists the alerts of the hours an ingest outage held, found late', async () => {
    const store = new MemoryObjectStore();
    const channel = new RecordingChannel('email');
    ingestedUpTo(store, START + HOUR_MS);
    await alertsRun(store, START + HOUR_MS + 20 * MIN, [channel]);
    // The ingest is down for 31 hours: the alerts runs meanwhile have nothing to evaluate.
    await alertsRun(store, START + 12 * HOUR_MS, [channel]);
    ingestedUpTo(store, START + 32 * HOUR_MS);
    await alertsRun(store, START + 32 * HOUR_MS + 20 * MIN, [channel]);
    expect(channel.messages).toHaveLength(2);
    const text = lastText(channel);
    for (let h = 1; h < 32; h++) expect(text).toContain(hourTag(h));
    expect(text).toContain(
      'Late, held by an outage: 7 alerts here are about events more than 24 hours before this message, after alerting began; all are listed. All were found late: their hours were evaluated only when the alerts caught up',
    );
    expect(text).not.toContain('not listed here');
    const outbox = (await readAlertCheckpoint(store, INSTANCE))?.checkpoint;
    expect(outbox?.alerting_since_ms).toBe(START + HOUR_MS + 20 * MIN);
  });

  it('lists the alerts a failing channel held, taken in on time, and says they waited', async () => {
    const store = new MemoryObjectStore();
    const channel = new RecordingChannel('email');
    channel.fail = (attempt) =>
      attempt >= 2 && attempt <= 31 ? new DeliveryRefusedError('Throttling') : undefined;
    for (let h = 1; h <= 32; h++) {
      ingestedUpTo(store, START + h * HOUR_MS);
      await alertsRun(store, START + h * HOUR_MS + 20 * MIN, [channel]);
    }
    expect(channel.messages).toHaveLength(2);
    const text = lastText(channel);
    for (let h = 1; h < 32; h++) expect(text).toContain(hourTag(h));
    expect(text).toContain(
      'Late, held by an outage: 7 alerts here are about events more than 24 hours before this message, after alerting began; all are listed. All were raised on time and waited to be delivered (the channel failing).',
    );
    expect(text).not.toContain('not listed here');
  });

  it('still only counts the old alerts of a first run over the lake', async () => {
    const store = new MemoryObjectStore();
    const channel = new RecordingChannel('email');
    ingestedUpTo(store, START + 40 * HOUR_MS);
    await alertsRun(store, START + 40 * HOUR_MS + 20 * MIN, [channel]);
    const text = lastText(channel);
    expect(text).not.toContain(hourTag(15));
    expect(text).toContain(hourTag(16));
    expect(text).toContain(
      '16 more alerts (16 lockouts) are archived and not listed here: those about events before',
    );
    expect(text).not.toContain('held by an outage');
  });
});
