/**
 * Alerts an outage held past `mailOlderThanHours` (marked `since_alerting` when taken in: about an
 * event after alerting began) are listed, the gravest kinds first, and only those past the rows are
 * counted; the lake's history a first run catches up is still counted. Until 2026-12-06 every alert
 * older than a day was a number by kind, and an operator back from an outage of more than a day
 * could not see whom its alerts were about (review R-INSIDER).
 */
import { describe, expect, it } from 'vitest';
import type { AlertKind } from '../../../functions/core/alerts/alert.ts';
import { foldOf, mergeFolded, type OutboxAlert } from '../../../functions/core/alerts/alert-checkpoint.ts';
import {
  MAX_LISTED_ALERTS,
  MIN_HELD_ROWS,
  renderAlertMessage,
} from '../../../functions/core/alerts/render-alerts.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { alertOf, flatText } from './support/alert-fixtures.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const options = { instance: 'main', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };

/** An alert `hoursAgo` before NOW, taken in `takenInAfter` hours after its event, marked or not. */
const alert = (
  id: string,
  kind: AlertKind,
  hoursAgo: number,
  fields: { held?: boolean; takenInAfter?: number } = {},
): OutboxAlert => {
  const event = NOW - hoursAgo * HOUR_MS;
  return {
    ...alertOf({ id: `${id}f`.padEnd(32, '0'), kind, event_time_ms: event, user_name: `user ${id}` }),
    ...(fields.held === false ? {} : { since_alerting: true }),
    ...(fields.takenInAfter === undefined ? {} : { detected_at_ms: event + fields.takenInAfter * HOUR_MS }),
  };
};

const listedIds = (alerts: readonly OutboxAlert[]): string[] =>
  renderAlertMessage(alerts, options)
    .text.split('\n')
    .flatMap((line) => line.match(/alert ([a-z0-9]+?)f0*$/)?.[1] ?? []);

describe('alerts held by an outage over a day long', () => {
  it('lists them, says they are late and why, and counts none', () => {
    const alerts = [
      alert('a1', 'lockout', 30, { takenInAfter: 28 }),
      alert('a2', 'impossible_travel', 40, { takenInAfter: 38 }),
      alert('a3', 'unusual_hour', 2, { takenInAfter: 0 }),
    ];
    const text = flatText(renderAlertMessage(alerts, options).text);
    for (const id of ['a1', 'a2', 'a3']) expect(text).toContain(`user ${id}`);
    expect(text).toContain(
      'Late, held by an outage: 2 alerts here are about events more than 24 hours before this message, after alerting began; all are listed. All were found late: their hours were evaluated only when the alerts caught up (an ingest, Domo or alerts outage).',
    );
    expect(text).not.toContain('archived and not listed');
  });

  it('says which waited for delivery and which were found late', () => {
    const alerts = [
      alert('a1', 'lockout', 30, { takenInAfter: 0 }),
      alert('a2', 'lockout', 31, { takenInAfter: 29 }),
    ];
    const channelRefused = { refusals: 3, lastError: 'Throttling', oldestMs: NOW - 40 * HOUR_MS };
    expect(flatText(renderAlertMessage(alerts, { ...options, channelRefused }).text)).toContain(
      'all are listed. 1 was found late: its hour was evaluated only when the alerts caught up (an ingest, Domo or alerts outage). 1 was raised on time and waited to be delivered (the channel failing).',
    );
  });

  it('says those raised on time waited for a later run, not the channel, when it refused none', () => {
    const alerts = [
      alert('a1', 'lockout', 30, { takenInAfter: 0 }),
      alert('a2', 'lockout', 31, { takenInAfter: 0 }),
    ];
    const text = flatText(renderAlertMessage(alerts, { ...options, oldestTakenInOnTime: true }).text);
    expect(text).toContain('They were taken in on time and waited for a later run to deliver them');
    expect(text).toContain(
      'all are listed. All were raised on time and waited for a later run to deliver them (a run out of time or failed after taking them in, or another run delivering).',
    );
    expect(text).not.toContain('the channel failing');
  });

  it('says which waited for the channel: those its refusals put back', () => {
    const alerts = [
      alert('a1', 'lockout', 30, { takenInAfter: 0 }),
      alert('a2', 'lockout', 50, { takenInAfter: 0 }),
    ];
    const channelRefused = { refusals: 2, lastError: null, oldestMs: NOW - 30 * HOUR_MS };
    expect(flatText(renderAlertMessage(alerts, { ...options, channelRefused }).text)).toContain(
      'all are listed. 1 was raised on time and waited to be delivered (the channel failing). 1 was raised on time and waited for a later run to deliver it (a run out of time or failed after taking it in, or another run delivering).',
    );
  });

  it('says of one alert that it is about an event, and its hour was evaluated late', () => {
    const text = flatText(
      renderAlertMessage([alert('a1', 'lockout', 30, { takenInAfter: 28 })], options).text,
    );
    expect(text).toContain(
      'Late, held by an outage: 1 alert here is about an event more than 24 hours before this message, after alerting began; it is listed. It was found late: its hour was evaluated only when the alerts caught up (an ingest, Domo or alerts outage).',
    );
  });

  it('does not call all listed beside the oldest, folded out of a long outbox', () => {
    const older = [alert('f1', 'lockout', 60, { held: false }), alert('f2', 'lockout', 61, { held: false })];
    const folded = foldOf(older);
    const alerts = [alert('a1', 'lockout', 30, { takenInAfter: 0 })];
    const channelRefused = { refusals: 1, lastError: null, oldestMs: NOW - 30 * HOUR_MS };
    const text = flatText(renderAlertMessage(alerts, { ...options, folded, channelRefused }).text);
    expect(text).toContain(
      'it is listed. It was raised on time and waited to be delivered (the channel failing). The 2 oldest alerts of this message were kept only as a count while they waited, and are counted below.',
    );
    expect(text).toContain('2 more alerts (2 lockouts) are archived and not listed here: the 2 oldest');
  });

  it('counts those folded out of a long outbox in the subject and the late line', () => {
    const folded =
      mergeFolded(foldOf([alert('f1', 'lockout', 60)]), foldOf([alert('f2', 'lockout', 50)])) ?? undefined;
    const alerts = [alert('a1', 'lockout', 30, { takenInAfter: 28 }), alert('r1', 'lockout', 1)];
    const message = renderAlertMessage(alerts, { ...options, folded });
    expect(message.subject).toBe('Security alerts (main), 3 late: 4 lockouts');
    expect(flatText(message.text)).toContain(
      'Late, held by an outage: 3 alerts here are about events more than 24 hours before this message, after alerting began; 1 is listed, and the 2 oldest, kept only as a count while they waited, are counted below. 1 was found late:',
    );
  });

  it('says so when every late one was folded', () => {
    const folded = foldOf([alert('f1', 'lockout', 60)]);
    const message = renderAlertMessage([alert('r1', 'lockout', 1)], { ...options, folded });
    expect(message.subject).toBe('Security alerts (main), 1 late: 2 lockouts');
    expect(flatText(message.text)).toContain(
      'Late, held by an outage: 1 alert here is about an event more than 24 hours before this message, after alerting began; it was kept only as a count while it waited, and is counted below.',
    );
  });

  it('counts no folded alert late that is not held, or that is about a later event', () => {
    const history = foldOf([alert('f1', 'lockout', 60, { held: false })]);
    // Spanning the cutoff, a record counts those before it late (outbox-fold-late.test.ts).
    const recent = foldOf([alert('f1', 'lockout', 3), alert('f2', 'lockout', 2)]);
    for (const folded of [history, recent]) {
      const message = renderAlertMessage([alert('r1', 'lockout', 1)], { ...options, folded });
      expect(message.subject).toBe('Security alerts (main): 3 lockouts'.replace('3', `${1 + folded.count}`));
      expect(message.text).not.toContain('Late, held by an outage');
    }
  });

  it('still counts the lake history a first run catches up', () => {
    const alerts = [alert('h1', 'lockout', 30, { held: false }), alert('a1', 'lockout', 31)];
    const text = flatText(renderAlertMessage(alerts, options).text);
    expect(text).toContain('user a1');
    expect(text).not.toContain('user h1');
    expect(text).toContain(
      '1 more alert (1 lockout) is archived and not listed here: the others about events before 2026-11-29 12:00 UTC.',
    );
  });

  it('lists the gravest kinds of more than fit, and counts exactly those past the rows', () => {
    const bursts = Array.from({ length: 80 }, (_, i) => alert(`b${i}`, 'failed_login_burst', 30 + i / 10));
    const alerts = [...bursts, alert('spray', 'password_spray', 70), alert('lock', 'lockout', 90)];
    const ids = listedIds(alerts);
    expect(ids).toHaveLength(MAX_LISTED_ALERTS);
    expect(ids).toEqual(expect.arrayContaining(['spray', 'lock']));
    const text = flatText(renderAlertMessage(alerts, options).text);
    expect(text).toContain(
      `the gravest ${MAX_LISTED_ALERTS} are listed, every kind given a share, and the rest counted below.`,
    );
    expect(text).toContain(
      `32 more alerts (32 failed-login bursts) are archived and not listed here: those held by an outage past the ${MAX_LISTED_ALERTS} of them listed.`,
    );
  });

  it('keeps rows for them beside an attack that would fill every row', () => {
    const attack = Array.from({ length: 70 }, (_, i) => alert(`r${i}`, 'failed_login_burst', 1 + i / 100));
    const held = Array.from({ length: 15 }, (_, i) => alert(`h${i}`, 'lockout', 30 + i));
    const ids = listedIds([...attack, ...held]);
    expect(ids.filter((id) => id.startsWith('h'))).toHaveLength(MIN_HELD_ROWS);
    expect(ids.filter((id) => id.startsWith('r'))).toHaveLength(MAX_LISTED_ALERTS - MIN_HELD_ROWS);
    expect(flatText(renderAlertMessage([...attack, ...held], options).text)).toContain(
      `those held by an outage past the ${MIN_HELD_ROWS} of them listed and those about later events past the ${MAX_LISTED_ALERTS - MIN_HELD_ROWS} of them listed.`,
    );
  });
});
