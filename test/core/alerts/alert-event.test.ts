/**
 * The alerts run keeps of each lake line only what the detectors read, and most lines are not
 * parsed at all: the text check must never turn away a line whose record is one of those.
 */
import { describe, expect, it } from 'vitest';
import { ALERT_EVENT_FIELDS, CHANGE_EVENT_FIELDS } from '../../../functions/core/alerts/alert-event.ts';
import {
  ALERT_CATEGORIES,
  alertEventOf,
  alertEventOfLine,
  mayBeAlertEvent,
} from '../../../functions/core/alerts/kept-events.ts';
import { EVENT_CATEGORIES } from '../../../functions/core/domo/event-category.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { record } from './support/alert-fixtures.ts';

const T = Date.parse('2026-11-01T10:00:00Z');
const line = (fields: Partial<EventRecord>): string =>
  JSON.stringify(record({ event_time_ms: T, ...fields }));
const read = (text: string) => alertEventOfLine(text, 'activity_log/x.ndjson.gz', 7);

describe('alertEventOfLine', () => {
  it('keeps every category the detectors read, with only the fields they read', () => {
    const wanted = [
      record({
        event_time_ms: T,
        category: 'login',
        ip_country: 'DE',
        ip_asn: 3320,
        ip_org: 'DTAG',
        object_type: 'USER',
        action_type: 'LOGGED_IN',
      }),
      record({ event_time_ms: T + 1, category: 'login_failed' }),
      record({ event_time_ms: T + 2, category: 'login_failed', user_id: null, user_name: 'ghost' }),
      record({ event_time_ms: T + 3, category: 'lockout', ip_address: null }),
      record({ event_time_ms: T + 4, category: 'lockout', user_id: null }),
      record({
        event_time_ms: T + 5,
        category: 'other',
        action_type: 'CREATED',
        event_text: 'Access token created',
        object_type: 'ACCESS_TOKEN',
        object_id: '922471',
        object_name: 'Yara sync',
        actor_id: '42',
        actor_name: 'Ann Admin',
        additional_comment: 'Yara Varga created access token Yara sync.',
      }),
    ];
    for (const full of wanted) {
      const kept = read(JSON.stringify(full));
      // A sign-in's object and actor fields are not kept: only a privileged change's are read.
      const dropped = (field: string) =>
        full.category !== 'other' && (CHANGE_EVENT_FIELDS as readonly string[]).includes(field);
      expect(kept).toEqual(
        Object.fromEntries(ALERT_EVENT_FIELDS.map((field) => [field, dropped(field) ? null : full[field]])),
      );
      expect(Object.keys(kept ?? {}).sort()).toEqual([...ALERT_EVENT_FIELDS].sort());
    }
    expect(new Set(wanted.map((e) => e.category))).toEqual(new Set(ALERT_CATEGORIES));
  });

  it('does not parse a line whose raw entry says "login" but whose category is other', () => {
    const raw = JSON.stringify({ category: 'login', eventText: 'login', actionType: 'lockout' });
    const text = line({ category: 'other', raw, event_text: 'Viewed login_failed page' });
    expect(text).toContain('login');
    expect(mayBeAlertEvent(text)).toBe(false);
    expect(read(text)).toBeUndefined();
  });

  it('parses a line with another field spelling a wanted value, and keeps it only by its category', () => {
    const text = line({ category: 'other', event_text: 'login', object_name: 'lockout' });
    expect(mayBeAlertEvent(text)).toBe(true);
    expect(read(text)).toBeUndefined();
  });

  it('keeps a line whose category is spelled with \\u escapes, as any JSON writer may', () => {
    const text = line({ category: 'login_failed' }).replace('"login_failed"', '"\\u006cogin\\u005ffailed"');
    expect(JSON.parse(text).category).toBe('login_failed');
    expect(read(text)?.category).toBe('login_failed');
  });

  it('does not parse a line whose only \\u is an escape inside a string held in a string', () => {
    // Gson's `\u003d` inside the entry as served is `\\u003d` in the lake line: no escape of it.
    const raw = '{"url":"/page?id\\u003d5"}';
    const text = line({ category: 'other', raw });
    expect(text).toContain('\\\\u003d');
    expect(mayBeAlertEvent(text)).toBe(false);
    expect(mayBeAlertEvent(text.replace('"other"', '"\\u006fther"'))).toBe(true);
  });

  it('drops logouts, other events and sign-ins without a user id, or under one naming none (no detector reads them)', () => {
    for (const category of EVENT_CATEGORIES.filter(
      (c) => !(ALERT_CATEGORIES as readonly string[]).includes(c),
    )) {
      expect(read(line({ category }))).toBeUndefined();
    }
    expect(read(line({ category: 'login', user_id: null }))).toBeUndefined();
    // Nor under an id naming no user (review R-AK L2); a failure under one is kept, by its name.
    for (const user_id of ['', '0', ' 0 ', '\t']) {
      expect(read(line({ category: 'login', user_id }))).toBeUndefined();
      expect(read(line({ category: 'login_failed', user_id }))?.user_id).toBe(user_id);
    }
    expect(read(line({ category: 'login', user_id: '10' }))?.user_id).toBe('10');
  });

  it('reads missing geo columns (a lake from before them) as null', () => {
    const { ip_country, ip_asn, ip_org, ...old } = record({ event_time_ms: T, category: 'login' });
    expect(read(JSON.stringify(old))).toMatchObject({ ip_country: null, ip_asn: null, ip_org: null });
  });

  it('names the object and line of a damaged line it parses', () => {
    expect(() => read('{"category":"lockout",')).toThrow(
      /activity_log\/x\.ndjson\.gz: line 7 is not valid JSON .*it starts with/,
    );
    expect(() => read('["lockout"]')).toThrow('activity_log/x.ndjson.gz: line 7 is JSON but not an object');
  });

  it('never turns away a wanted record, whatever its other fields hold (seeded fuzz)', () => {
    let seed = 36;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pieces = [
      'login',
      'lockout',
      '_failed',
      '"',
      '\\',
      '\u0001',
      '\n',
      'é',
      '\u2028',
      ' ',
      ':',
      'category',
    ];
    const text = () =>
      Array.from(
        { length: Math.floor(random() * 8) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join('');
    let kept = 0;
    for (let i = 0; i < 2000; i++) {
      const category = EVENT_CATEGORIES[Math.floor(random() * EVENT_CATEGORIES.length)] ?? 'other';
      const full = record({
        event_time_ms: T + i,
        category,
        user_id: random() < 0.2 ? null : text(),
        user_name: text(),
        event_text: text(),
        raw: JSON.stringify({ category: text(), text: text() }),
      });
      const wanted = alertEventOf(full) !== undefined;
      if (wanted) kept++;
      expect(mayBeAlertEvent(JSON.stringify(full)) || !wanted).toBe(true);
      expect(read(JSON.stringify(full)) !== undefined).toBe(wanted);
    }
    expect(kept).toBeGreaterThan(500);
  });
});
