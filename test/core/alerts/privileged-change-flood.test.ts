/**
 * A role raise hidden among routine privileged changes (2026-12-06): the message listed its
 * privileged changes newest first, so an insider's 500 routine changes (group edits, tokens) in
 * the hour of a role raise pushed the raise, and a change made acting as another user, off its 50
 * rows: they were only counted. Now the gravest first, by the weekly report's ranking.
 */
import { describe, expect, it } from 'vitest';
import { MAX_LISTED_ALERTS, renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { flatText, ingestedHour, RecordingChannel, settings } from './support/alert-fixtures.ts';
import { alertAt, NOW } from './support/delivery-fixtures.ts';
import { ACTED_AS, FLOOD_HOUR, floodAlerts, floodRecords, ROLE_RAISE } from './support/privileged-flood.ts';

const options = { instance: 'i', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };

describe('privileged changes in a flood of routine ones', () => {
  const alerts = floodAlerts();
  const message = renderAlertMessage(alerts, options);

  it('lists the role raise and the change done as another user, gravest first', () => {
    expect(alerts).toHaveLength(502);
    expect(message.listed).toHaveLength(MAX_LISTED_ALERTS);
    const text = flatText(message.text);
    expect(text).toContain(ROLE_RAISE);
    expect(text).toContain(ACTED_AS);
    expect(text.indexOf(ACTED_AS)).toBeLessThan(text.indexOf(ROLE_RAISE));
    expect(text.indexOf(ROLE_RAISE)).toBeLessThan(text.indexOf('Access token created'));
    expect(message.html).toContain(ROLE_RAISE);
    expect(message.html.indexOf(ROLE_RAISE)).toBeLessThan(message.html.indexOf('Access token created'));
  });

  it('lists the tokens before the group edits, and counts those left out by kind of change', () => {
    const listedKinds = message.listed?.map((a) => a.change_kind);
    expect(listedKinds?.filter((k) => k === 'other')).toEqual([]);
    const text = flatText(message.text);
    expect(text).toContain(
      'are archived and not listed here: those past the 50 listed, the gravest privileged changes. The privileged changes among them: 202 tokens made, 250 other changes.',
    );
    expect(text).not.toContain('older than the 50 listed');
  });

  it('lists them beside other kinds sharing the rows, and among the alerts an outage held', () => {
    const lockouts = [1, 2, 3].map((i) => alertAt(`l${i}`, NOW - HOUR_MS - i * 60_000));
    const shared = flatText(renderAlertMessage([...alerts, ...lockouts], options).text);
    expect(shared).toContain(ROLE_RAISE);
    expect(shared).toContain('which give every kind a share (of the privileged changes, the gravest).');
    const held = alerts.map((a) => ({ ...a, since_alerting: true }));
    const late = renderAlertMessage(held, { ...options, nowMs: NOW + 2 * DAY_MS });
    expect(flatText(late.text)).toContain(ROLE_RAISE);
    expect(flatText(late.text)).toContain(ACTED_AS);
  });
});

describe('privileged changes in a flood, through a whole alerts run', () => {
  it('keeps each change kind through the checkpoint and the outbox to the message', async () => {
    const store = new MemoryObjectStore();
    await ingestedHour(store, FLOOD_HOUR, floodRecords(), NOW);
    const channel = new RecordingChannel();
    await runAlerts(
      { store, clock: { now: () => NOW }, log: silentLog, channels: [channel] },
      { instance: 'acme', settings: settings(), runId: 'flood' },
    );
    const [message] = channel.messages;
    expect(message?.alerts.length).toBe(502);
    expect(flatText(message?.text ?? '')).toContain(ROLE_RAISE);
    expect(flatText(message?.text ?? '')).toContain(ACTED_AS);
  });
});
