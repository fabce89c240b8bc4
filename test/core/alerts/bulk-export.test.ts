/**
 * `bulk_export` (opt-in, `exportBurst`): one user exporting at least `exportBurst` distinct objects
 * within 60 minutes, counted under who did it as `query bulk_data_movement` counts (the actor when
 * one acted as another), one alert per episode, not sent again when a late export shifts it, read
 * from the lake only when on, quieted only by a rule naming the kind and a user.
 */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectBulkExports } from '../../../functions/core/alerts/detect-bulk-exports.ts';
import { detectAlerts } from '../../../functions/core/alerts/detect-hour.ts';
import { parseExpectedActivity } from '../../../functions/core/alerts/expected-activity.ts';
import {
  alertEventOfLine,
  keptReadsOf,
  mayBeAlertEvent,
} from '../../../functions/core/alerts/kept-events.ts';
import { quietAlerts } from '../../../functions/core/alerts/quiet-alerts.ts';
import { addRaisedExport, type RaisedExports } from '../../../functions/core/alerts/raised-exports.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { validateAlertSettings } from '../../../functions/core/queries/alert-settings.ts';
import { hourInput, record } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-24T14:00:00Z');
const MIN = 60_000;
const ON = { exportBurst: 5 };

/** An export of card `object` by user 42 ("Ann Lee") at minute `minute` of H. */
const exported = (minute: number, object: string, fields: Partial<EventRecord> = {}): EventRecord =>
  record({
    event_time_ms: H + minute * MIN,
    category: 'other',
    user_id: '42',
    user_name: 'Ann Lee',
    actor_id: '0',
    actor_name: '',
    action_type: 'EXPORTED',
    event_text: 'Exported card',
    object_type: 'CARD',
    object_id: object,
    object_name: `Card ${object}`,
    ip_address: '198.51.100.7',
    ...fields,
  });

/** What a run keeps of records, through their lake lines, exports read (the alert on). */
const kept = (records: readonly EventRecord[], on = true): AlertEvent[] =>
  records.flatMap(
    (r, i) =>
      alertEventOfLine(JSON.stringify(r), 'x.ndjson.gz', i + 1, keptReadsOf({ exportBurst: on ? 5 : 0 })) ??
      [],
  );

const fiveCards = (from = 0, step = 5) =>
  ['1', '2', '3', '4', '5'].map((id, k) => exported(from + k * step, id));

describe('bulk_export', () => {
  it('is off by default: five cards exported in 20 minutes raise nothing', () => {
    expect(detectAlerts(hourInput(H, kept(fiveCards()))).filter((a) => a.kind === 'bulk_export')).toEqual([]);
  });

  it('raises one alert at the export that reaches the threshold, naming the objects and the user', () => {
    const alerts = detectAlerts(hourInput(H, kept(fiveCards()), ON));
    expect(alerts.map((a) => [a.kind, a.user_id, a.user_name, a.event_time_ms])).toEqual([
      ['bulk_export', '42', 'Ann Lee', H + 20 * MIN],
    ]);
    expect(alerts[0]?.evidence).toBe(
      'exported 5 objects (5 exports) within 60 minutes (14:00 to 14:20 UTC): CARD "Card 1" (id 1), CARD "Card 2" (id 2), CARD "Card 3" (id 3), CARD "Card 4" (id 4), CARD "Card 5" (id 5); from IP 198.51.100.7',
    );
    expect(alerts[0]?.event_ids).toHaveLength(5);
  });

  it('counts distinct objects: the same card exported ten times is one', () => {
    const same = Array.from({ length: 10 }, (_, k) => exported(k, '7'));
    expect(detectBulkExports(hourInput(H, kept(same), ON))).toEqual([]);
  });

  it('counts only exports within 60 minutes, and never shares', () => {
    const spread = ['1', '2', '3', '4', '5'].map((id, k) => exported(k * 16 - 60, id));
    expect(detectBulkExports(hourInput(H, kept(spread), ON))).toEqual([]);
    const shares = fiveCards().map((r) => ({ ...r, action_type: 'SHARED' }));
    expect(detectBulkExports(hourInput(H, kept(shares), ON))).toEqual([]);
    // Any letter case, as the SQL's upper reads it.
    const lower = fiveCards().map((r) => ({ ...r, action_type: 'exported' }));
    expect(detectBulkExports(hourInput(H, kept(lower), ON))).toHaveLength(1);
  });

  it('counts an export under the actor when one acted as another user', () => {
    const acting = fiveCards().map((r, k) => ({
      ...r,
      user_id: `10${k}`,
      user_name: `User ${k}`,
      actor_id: '7',
      actor_name: 'Admin Ada',
    }));
    const [alert, ...more] = detectBulkExports(hourInput(H, kept(acting), ON));
    expect(more).toEqual([]);
    expect([alert?.user_id, alert?.user_name]).toEqual(['7', 'Admin Ada']);
    expect(alert?.evidence).toContain(
      '; acting as other users, which the expected-activity list never quiets; from IP',
    );
  });

  it('is one alert for a long pull, and another after a lull', () => {
    const long = Array.from({ length: 30 }, (_, k) => exported(k, `c${k}`));
    expect(detectBulkExports(hourInput(H, kept(long), ON))).toHaveLength(1);
    const twice = [
      ...fiveCards(0, 1),
      ...fiveCards(0, 1).map((r, k) => ({ ...r, event_time_ms: H + (65 + k) * MIN, event_id: `late${k}` })),
    ];
    expect(detectBulkExports(hourInput(H, kept(twice), ON)).map((a) => a.event_time_ms)).toEqual([
      H + 4 * MIN,
    ]);
    const nextHour = hourInput(H + 60 * 60_000, kept(twice), ON);
    expect(detectBulkExports(nextHour).map((a) => a.event_time_ms)).toEqual([H + 69 * MIN]);
  });

  it('does not send again a bulk export a late export shifted (its raising export and id moved)', () => {
    const onTime = fiveCards(20, 5);
    const [sent] = detectBulkExports(hourInput(H, kept(onTime), ON));
    expect(sent?.event_time_ms).toBe(H + 40 * MIN);
    const raised: RaisedExports = {};
    if (sent) addRaisedExport(raised, sent);
    // A sixth card exported at 14:10, served late: the fourth card now raises it, at 14:35.
    const late = kept([exported(10, '6'), ...onTime]);
    const again = detectBulkExports(hourInput(H, late, ON));
    expect(again.map((a) => a.event_time_ms)).toEqual([H + 35 * MIN]);
    expect(again[0]?.id).not.toBe(sent?.id);
    expect(detectBulkExports({ ...hourInput(H, late, ON), raisedExports: raised })).toEqual([]);
  });

  it('reads no export from the lake when off: the line is not parsed, and one parsed is not kept', () => {
    const line = JSON.stringify(exported(1, '1'));
    expect(mayBeAlertEvent(line, keptReadsOf({ exportBurst: 0 }))).toBe(false);
    expect(mayBeAlertEvent(line, keptReadsOf({ exportBurst: 5 }))).toBe(true);
    expect(kept([exported(1, '1', { object_name: '\u00e9t\u00e9' })], false)).toEqual([]);
    expect(kept([exported(1, '1')], true)).toHaveLength(1);
  });

  it('reads an export whatever category a rule filed it under, and none of them when off', () => {
    const filed = fiveCards().map((r, k) => ({
      ...r,
      category: k < 3 ? ('logout' as const) : ('login' as const),
    }));
    const [alert, ...more] = detectBulkExports(hourInput(H, kept(filed), ON));
    expect(more).toEqual([]);
    expect([alert?.user_id, alert?.event_ids.length]).toEqual(['42', 5]);
    // Off: a logout is not kept, and a login is kept as before, without the fields of an export.
    const off = kept(filed, false);
    expect(off.map((e) => [e.category, e.action_type, e.object_id])).toEqual([
      ['login', null, null],
      ['login', null, null],
    ]);
  });

  it("keeps of an export the fields it reads, not Domo's texts a privileged change keeps", () => {
    const [card, token] = kept([
      exported(1, '1', { additional_comment: 'Ann Lee exported card Card 1.' }),
      exported(2, '9', { object_type: 'ACCESS_TOKEN', event_text: 'Access token created' }),
    ]);
    expect(card).toMatchObject({ action_type: 'EXPORTED', object_name: 'Card 1', actor_id: '0' });
    expect([card?.event_text, card?.additional_comment]).toEqual([null, null]);
    expect(token?.event_text).toBe('Access token created');
  });

  it('is quieted only by a rule naming the kind and the user', () => {
    const [alert] = detectBulkExports(hourInput(H, kept(fiveCards()), ON));
    if (alert === undefined) throw new Error('no alert');
    const rules = (list: unknown[]) => parseExpectedActivity(list);
    const quieted = (list: unknown[]) => quietAlerts([alert], rules(list), H).quieted.length;
    expect(quieted([{ kind: 'bulk_export', user: '42', reason: 'nightly export job' }])).toBe(1);
    expect(quieted([{ user: '42', reason: 'a sign-in rule' }])).toBe(0);
    expect(quieted([{ kind: 'bulk_export', user: '43', reason: 'another user' }])).toBe(0);
    expect(() => rules([{ kind: 'bulk_export', ip: '198.51.100.0/24', reason: 'office' }])).toThrow(
      /names bulk_export and the rule names no "user"/,
    );
  });

  it('is not quieted by a rule naming the doer when any export was made as another (R2EXP 4)', () => {
    const rule = parseExpectedActivity([{ kind: 'bulk_export', user: '7', reason: "Ada's nightly export" }]);
    const asUsers = (records: EventRecord[], acting: number) =>
      records.map((r, k) =>
        k < acting
          ? { ...r, user_id: `10${k}`, actor_id: '7', actor_name: 'Admin Ada' }
          : { ...r, user_id: '7' },
      );
    const quietedOf = (records: EventRecord[]) => {
      const alerts = detectBulkExports(hourInput(H, kept(records), ON));
      expect(alerts.map((a) => a.user_id)).toEqual(['7']);
      return quietAlerts(alerts, rule, H).quieted.length;
    };
    // Her own pull: quieted. The same pull made as other users, wholly or in part: sent, whatever
    // users the rule names besides her (the alert does not carry them).
    expect(quietedOf(asUsers(fiveCards(), 0))).toBe(1);
    expect(quietedOf(asUsers(fiveCards(), 5))).toBe(0);
    expect(quietedOf(asUsers(fiveCards(), 1))).toBe(0);
    const both = parseExpectedActivity([
      { kind: 'bulk_export', user: ['7', '100', '101', '102', '103', '104'], reason: 'all of them' },
    ]);
    const [acting] = detectBulkExports(hourInput(H, kept(asUsers(fiveCards(), 5)), ON));
    if (acting === undefined) throw new Error('no alert');
    expect(acting.evidence).toContain('which the expected-activity list never quiets');
    expect(quietAlerts([acting], both, H).quieted).toEqual([]);
  });

  it('takes exportBurst 0 or 5 to 1000, and refuses 1 to 4', () => {
    expect(validateAlertSettings().exportBurst).toBe(0);
    expect(validateAlertSettings({ exportBurst: 5 }).exportBurst).toBe(5);
    expect(() => validateAlertSettings({ exportBurst: 4 })).toThrow(
      /alert setting exportBurst is 4: it must be 0 \(off\) or from 5 to 1000/,
    );
    expect(() => validateAlertSettings({ exportBurst: 1001 })).toThrow(/from 0 to 1000/);
  });
});
