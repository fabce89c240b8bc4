/**
 * `privileged_change` (review R-INSIDER, 2026-12-06): every other kind watches sign-ins, so a Domo
 * admin who signed in as usual and then made an access token, raised a role or added a user to a
 * group raised no alert at all. One alert per such event, the events `query admin_changes` lists;
 * read without parsing the lake's other `other` events, which ran the function out of memory when
 * all of `other` was read.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectAlerts } from '../../../functions/core/alerts/detect-hour.ts';
import { detectPrivilegedChanges } from '../../../functions/core/alerts/detect-privileged-changes.ts';
import { parseExpectedActivity } from '../../../functions/core/alerts/expected-activity.ts';
import {
  alertEventOf,
  alertEventOfLine,
  mayBeAlertEvent,
} from '../../../functions/core/alerts/kept-events.ts';
import { readHour } from '../../../functions/core/alerts/lake-hours.ts';
import {
  isPrivilegedObjectType,
  PRIVILEGED_OBJECT_TYPES,
} from '../../../functions/core/alerts/privileged-objects.ts';
import { quietAlerts } from '../../../functions/core/alerts/quiet-alerts.ts';
import { EVENT_CATEGORIES } from '../../../functions/core/domo/event-category.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { hourInput, record } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-29T09:00:00Z');

/** The leaver of the demo week 2026-W48 making their token (functions/simulator/leaver-pattern.ts). */
const token = (fields: Partial<EventRecord> = {}): EventRecord =>
  record({
    event_time_ms: H + 46 * 60_000,
    category: 'other',
    user_id: '1263963830',
    user_name: 'Yara Varga',
    action_type: 'CREATED',
    event_text: 'Access token created',
    object_type: 'ACCESS_TOKEN',
    object_id: '922471',
    object_name: 'Yara sync',
    additional_comment: 'Yara Varga created access token Yara sync.',
    ip_address: '88.72.181.75',
    ip_country: 'DE',
    ip_asn: 3209,
    ip_org: 'Vodafone GmbH',
    geo_db_version: 'dbip-lite-2026-11',
    ...fields,
  });

const signIn = record({
  event_time_ms: H + 40 * 60_000,
  category: 'login',
  user_id: '1263963830',
  user_name: 'Yara Varga',
  action_type: 'LOGGED_IN',
  object_type: 'USER',
  ip_address: '88.72.181.75',
});

/** What the run keeps of records, through their lake lines as a run reads them. */
const kept = (records: readonly EventRecord[]) =>
  records.flatMap((r, i) => alertEventOfLine(JSON.stringify(r), 'activity_log/x.ndjson.gz', i + 1) ?? []);

describe('privileged_change', () => {
  it("raises the demo leaver's token creation, naming what, which and from where", () => {
    const alerts = detectAlerts(hourInput(H, kept([signIn, token()])));
    expect(alerts.map((a) => [a.kind, a.user_id])).toEqual([['privileged_change', '1263963830']]);
    const [alert] = alerts;
    expect(alert?.evidence).toBe(
      'Access token created: ACCESS_TOKEN "Yara sync" (id 922471); Domo\'s comment: "Yara Varga created access token Yara sync."; from IP 88.72.181.75 (DE, AS3209 Vodafone GmbH)',
    );
    expect(alert?.geo_db_version).toBe('dbip-lite-2026-11');
    expect(alert?.actor_id).toBeUndefined();
  });

  it('raises nothing for a routine sign-in, a logout or an event on another object', () => {
    const logout = record({ event_time_ms: H + 50 * 60_000, category: 'logout', object_type: 'USER' });
    const page = token({ object_type: 'PAGE', event_text: 'Shared page' });
    const exported = token({ object_type: 'DATA_SOURCE', action_type: 'EXPORTED' });
    expect(detectAlerts(hourInput(H, kept([signIn, logout, page, exported])))).toEqual([]);
  });

  it('names the actor when one user acted as another, and not when the actor is nobody or the user', () => {
    const [as] = detectPrivilegedChanges(
      hourInput(H, [token({ actor_id: '1605460618', actor_name: 'Elena Xu' })]),
    );
    expect(as?.actor_id).toBe('1605460618');
    expect(as?.actor_name).toBe('Elena Xu');
    expect(as?.evidence).toContain('; by Elena Xu (1605460618) acting as this user; from IP');
    for (const actor_id of ['0', '', null, '1263963830']) {
      const [alone] = detectPrivilegedChanges(hourInput(H, [token({ actor_id, actor_name: '' })]));
      expect(alone?.actor_id, String(actor_id)).toBeUndefined();
      expect(alone?.evidence).not.toContain('acting as');
    }
  });

  it("is one alert per event, its id the event's, the same however often the hour is evaluated", () => {
    const events = [token(), token({ event_time_ms: H + 47 * 60_000, object_type: 'group' })];
    const once = detectPrivilegedChanges(hourInput(H, events));
    expect(once).toHaveLength(2);
    expect(detectPrivilegedChanges(hourInput(H, [...events].reverse()))).toEqual(once);
    expect(once.map((a) => a.event_ids)).toEqual(events.map((e) => [e.event_id]));
  });
});

describe('a privileged change Domo served twice (ids X and X-1, review ALERTIR 2)', () => {
  const X = 'ab'.repeat(32);
  it("is one alert, naming both events, its id the first copy's as before", () => {
    const first = token({ event_id: X });
    const twin = token({ event_id: `${X}-1` });
    const alerts = detectPrivilegedChanges(hourInput(H, [twin, first]));
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert?.event_ids).toEqual([X, `${X}-1`]);
    expect(alert?.id).toBe(detectPrivilegedChanges(hourInput(H, [first]))[0]?.id);
    expect(alert?.evidence).toMatch(/; Domo served it 2 times \(event abababababab… and its twin -1\)$/);
    // Through the whole hour's detection too, read as a run reads the lake's lines.
    expect(detectAlerts(hourInput(H, kept([signIn, first, twin]))).map((a) => a.kind)).toEqual([
      'privileged_change',
    ]);
  });

  it('a twin whose first copy is not among the changes stands alone; other changes are apart', () => {
    const twin = token({ event_id: `${X}-1` });
    expect(detectPrivilegedChanges(hourInput(H, [twin])).map((a) => a.event_ids)).toEqual([[`${X}-1`]]);
    const other = token({ event_id: 'cd'.repeat(32), object_id: '922472' });
    const alerts = detectPrivilegedChanges(hourInput(H, [token({ event_id: X }), other]));
    expect(alerts.map((a) => a.event_ids)).toEqual([[X], ['cd'.repeat(32)]]);
    expect(alerts.map((a) => a.evidence).join()).not.toContain('served it');
  });
});

describe('the privileged object types', () => {
  it('are those admin_changes.sql lists, so the alert and the query name the same events', () => {
    const sql = readFileSync(
      new URL('../../../functions/queries/admin_changes.sql', import.meta.url),
      'utf8',
    );
    const opening = 'upper(object_type) IN (';
    const list = sql.slice(sql.indexOf(opening) + opening.length);
    const types = [...list.slice(0, list.indexOf(')')).matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
    expect(types).toHaveLength(14);
    expect([...PRIVILEGED_OBJECT_TYPES].sort()).toEqual([...types].sort());
    // And the SQL leaves out the sign-in categories, the only ones besides `other`.
    expect(sql).toContain("category NOT IN ('login', 'login_failed', 'lockout', 'logout')");
    expect(EVENT_CATEGORIES).toEqual(['login', 'login_failed', 'lockout', 'logout', 'other']);
  });

  it('are what the text check lets through of `other` lines, any letter case, and nothing else', () => {
    const line = (object_type: string | null, fields: Partial<EventRecord> = {}) =>
      JSON.stringify(token({ object_type, ...fields }));
    for (const type of PRIVILEGED_OBJECT_TYPES) {
      for (const spelled of [type, type.toLowerCase(), `${type.charAt(0)}${type.slice(1).toLowerCase()}`]) {
        expect(mayBeAlertEvent(line(spelled)), spelled).toBe(true);
        expect(alertEventOf(token({ object_type: spelled }))?.object_type, spelled).toBe(spelled);
      }
    }
    // Past ASCII, letters the SQL's upper() makes one of the types (review R2PRIV): parsed and kept.
    for (const spelled of ['acceſs_token', 'PUBLıC_URL']) {
      expect(isPrivilegedObjectType(spelled), spelled).toBe(true);
      expect(mayBeAlertEvent(line(spelled)), spelled).toBe(true);
    }
    expect(mayBeAlertEvent(line('CARTÉ'))).toBe(true);
    expect(alertEventOf(token({ object_type: 'CARTÉ' }))).toBeUndefined();
    // Every line says `"user_type":"USER"`; Domo's own `objectType` is inside `raw`, escaped.
    const others = [
      'PAGE',
      'CARD',
      'DATA_SOURCE',
      'DATASET',
      'USERS',
      'USER_GROUP',
      'TOKEN',
      'ACCESS_TOKEN ',
      '',
      null,
    ];
    for (const type of others) {
      const text = line(type, {
        user_type: 'USER',
        object_name: 'ACCESS_TOKEN',
        event_text: 'GROUP',
        raw: JSON.stringify({ objectType: 'ACCESS_TOKEN', object_type: 'ROLE' }),
      });
      expect(mayBeAlertEvent(text), String(type)).toBe(false);
      expect(alertEventOf(token({ object_type: type })), String(type)).toBeUndefined();
    }
  });

  it('are read from the `other` category only: a sign-in about its USER keeps no object fields', () => {
    const [login] = kept([signIn]);
    expect(login?.category).toBe('login');
    expect(login?.object_type).toBeNull();
    expect(login?.action_type).toBeNull();
  });
});

describe("the run's read of an hour", () => {
  it('drops the other `other` events before parsing them: only privileged changes are parsed', async () => {
    // 2,000 `other` lines that are not JSON at all: parsed, any one of them would fail the hour.
    const broken = Array.from(
      { length: 2_000 },
      (_, i) =>
        `{"event_id":"x${i}","category":"other","user_type":"USER","object_type":"${i % 2 ? 'PAGE' : 'DATA_SOURCE'}","raw":"{\\"objectType\\":\\"ACCESS_TOKEN\\"}",`,
    );
    const good = JSON.stringify(token());
    const body = gzipSync(`${[...broken, good].join('\n')}\n`);
    const store = new MemoryObjectStore();
    await store.put(activityKey('main', H), body);
    const hour = await readHour(store, 'main', H);
    expect(hour.events.map((e) => e.object_type)).toEqual(['ACCESS_TOKEN']);
    // A damaged line of a privileged object type is parsed, and so reported.
    const damaged = gzipSync(`${broken[0]?.replace('DATA_SOURCE', 'ROLE')}\n`);
    await store.put(activityKey('main', H + 3_600_000), damaged);
    await expect(readHour(store, 'main', H + 3_600_000)).rejects.toThrow(/not valid JSON/);
  });
});

describe('the expected-activity list and privileged changes', () => {
  const alertOf = (fields: Partial<EventRecord> = {}) => {
    const [alert] = detectPrivilegedChanges({ ...hourInput(H, [token(fields)]), instance: 'main' });
    if (alert === undefined) throw new Error('no alert');
    return alert;
  };
  const quieted = (rules: unknown[], fields: Partial<EventRecord> = {}) =>
    quietAlerts([alertOf(fields)], parseExpectedActivity(rules), H).quieted.length === 1;
  const automation = { kind: 'privileged_change', user: '1263963830', reason: 'nightly sync account' };

  it("quiets a named account's changes when the rule names the kind and the user", () => {
    expect(quieted([automation])).toBe(true);
    expect(quieted([{ ...automation, ip: '88.72.181.0/24' }])).toBe(true);
    expect(quieted([{ ...automation, ip: '10.0.0.0/8' }])).toBe(false);
    expect(quieted([{ ...automation, user: '42' }])).toBe(false);
  });

  it('does not quiet them by a rule written for sign-ins (no kind), even naming the user', () => {
    expect(quieted([{ user: '1263963830', reason: 'travels a lot' }])).toBe(false);
    expect(quieted([{ kind: 'new_country', user: '1263963830', reason: 'travels' }])).toBe(false);
  });

  it('quiets a change made by one user acting as another only when the rule names both', () => {
    const as = { actor_id: '1605460618', actor_name: 'Elena Xu' };
    expect(quieted([automation], as)).toBe(false);
    expect(quieted([{ ...automation, user: ['1263963830', '1605460618'] }], as)).toBe(true);
  });

  it('refuses a rule naming the kind and no user', () => {
    expect(() =>
      parseExpectedActivity([{ kind: 'privileged_change', ip: '81.2.69.0/24', reason: 'office' }]),
    ).toThrow(/"kind" names privileged_change and the rule names no "user"/);
  });
});

describe("docs/privacy.md's access request finds the alerts about a change made to the person", () => {
  // Art. 15 (review DPO, 2026-12-08): by user_id alone, the alert of an admin raising the person's
  // role is the admin's and was missed; the documented search reads its evidence for their id.
  const privacy = readFileSync(new URL('../../../docs/privacy.md', import.meta.url), 'utf8');
  const access = privacy.slice(privacy.indexOf('### Access (Art. 15)'), privacy.indexOf('### Erasure'));
  const pattern = /evidence LIKE\s+'%([^%']*)%'/.exec(access)?.[1];

  it("matches the evidence of a role change done to them, whose user_id is the admin's", () => {
    expect(pattern, 'the alerts SQL of the access request').toBeDefined();
    const [alert] = detectPrivilegedChanges(
      hourInput(H, [
        token({
          action_type: 'CHANGED',
          event_text: 'Changed user role',
          object_type: 'USER',
          object_id: '1039710626',
          object_name: 'Wei Euler',
          additional_comment: 'Yara Varga changed the role of Wei Euler from Participant to Admin.',
        }),
      ]),
    );
    expect(alert?.user_id).toBe('1263963830');
    expect(alert?.evidence).toContain((pattern ?? '').replace('<id>', '1039710626'));
    expect(alert?.evidence).not.toContain((pattern ?? '').replace('<id>', '103971062'));
  });
});
