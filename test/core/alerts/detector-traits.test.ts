/**
 * A new alert kind is one declared detector in `DETECTORS` and one entry in each record of every
 * kind the compiler asks for (review R-CONTRIB): what the run needs besides follows from the
 * declaration, and these check that it does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALERT_KINDS, alertId } from '../../../functions/core/alerts/alert.ts';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectLockouts } from '../../../functions/core/alerts/detect-failed-logins.ts';
import {
  DETECTORS,
  OLD_HOURS_DETECTORS,
  PROFILE_FREE_DETECTORS,
} from '../../../functions/core/alerts/detect-hour.ts';
import { detectPrivilegedChanges } from '../../../functions/core/alerts/detect-privileged-changes.ts';
import { declaredDetector } from '../../../functions/core/alerts/detection.ts';
import { SIGN_IN_KINDS } from '../../../functions/core/alerts/expected-rule-reach.ts';
import { ALERT_CATEGORIES, alertEventOf } from '../../../functions/core/alerts/kept-events.ts';
import { LISTING_ORDER } from '../../../functions/core/alerts/listed-alerts.ts';
import { EVENT_CATEGORIES } from '../../../functions/core/domo/event-category.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { hourInput, record } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-18T14:00:00Z');

describe('the detectors declare what they raise and read', () => {
  it('every alert kind is raised by exactly one detector', () => {
    const raised = DETECTORS.flatMap((detector) => detector.kinds);
    expect([...raised].sort()).toEqual([...ALERT_KINDS].sort());
  });

  it('the run keeps the events of every category a detector reads, and of sign-ins for the profile', () => {
    const read = new Set(['login', ...DETECTORS.flatMap((detector) => detector.reads)]);
    expect(new Set(ALERT_CATEGORIES)).toEqual(read);
    for (const detector of DETECTORS) {
      for (const category of detector.reads) {
        // Of `other`, the privileged changes only (alert-event.ts, readsEvent).
        const fields = category === 'other' ? { object_type: 'ACCESS_TOKEN' } : {};
        expect(alertEventOf(record({ event_time_ms: H, category, ...fields }))?.category).toBe(category);
      }
    }
  });

  it('those that do not read the login profile run while it is rebuilt', () => {
    expect(new Set(PROFILE_FREE_DETECTORS)).toEqual(
      new Set(DETECTORS.filter((detector) => !detector.readsProfile)),
    );
    expect(PROFILE_FREE_DETECTORS.size).toBe(7);
  });

  it('old hours an ingest rewrote are looked at for lockouts and privileged changes only, which read no profile', () => {
    expect([...OLD_HOURS_DETECTORS]).toEqual([detectLockouts, detectPrivilegedChanges]);
    for (const detector of OLD_HOURS_DETECTORS) expect(PROFILE_FREE_DETECTORS.has(detector)).toBe(true);
  });
});

describe('a declared detector', () => {
  // What R-CONTRIB's detector did: it read `other` events (an access token created), declared
  // none, passed a test built on hourInput and never fired in a run, whose read path keeps only
  // the categories declared. Handed only those in its own tests too, it fails them there.
  const tokens = (reads: AlertEvent['category'][]) =>
    declaredDetector({ kinds: ['lockout'], reads, readsProfile: false, inOldHours: false }, (input) =>
      input.events
        .filter((e) => e.category === 'other')
        .map((e) => ({
          id: alertId(input.instance, 'lockout', [e.event_id]),
          instance: input.instance,
          kind: 'lockout' as const,
          user_id: e.user_id,
          user_name: e.user_name,
          event_time: '',
          event_time_ms: e.event_time_ms,
          evidence: 'access token created',
          ip_address: e.ip_address,
          event_ids: [e.event_id],
        })),
    );
  const events = EVENT_CATEGORIES.map((category, i) =>
    record({ event_time_ms: H + i, category, object_type: 'ACCESS_TOKEN' }),
  );

  it('is handed only the events of the categories it declares, as a run keeps them', () => {
    expect(tokens(['login', 'lockout'])(hourInput(H, events))).toEqual([]);
    expect(tokens(['other'])(hourInput(H, events))).toHaveLength(1);
  });

  it('is handed the hour before alike, and never a sign-in without a user id', () => {
    const seen: AlertEvent[] = [];
    const sees = declaredDetector(
      { kinds: ['lockout'], reads: ['login'], readsProfile: false, inOldHours: false },
      (input) => {
        seen.push(...input.before, ...input.events);
        return [];
      },
    );
    const before = EVENT_CATEGORIES.map((category, i) =>
      record({ event_time_ms: H - HOUR_MS + i, category }),
    );
    const anonymous = record({ event_time_ms: H + 9, category: 'login', user_id: null });
    sees(hourInput(H, [...before, ...events, anonymous]));
    expect(seen.map((e) => [e.category, e.event_time_ms < H])).toEqual([
      ['login', true],
      ['login', false],
    ]);
  });
});

describe('every record of every kind', () => {
  it('lists each kind once in the message', () => {
    expect([...LISTING_ORDER].sort()).toEqual([...ALERT_KINDS].sort());
    // A sign-in right after failures first: the attacker may be in.
    expect(LISTING_ORDER[0]).toBe('login_after_failures');
    expect(LISTING_ORDER[1]).toBe('login_after_spray');
    // Something still acting as a user who was let go: a way in that outlived the offboarding.
    expect(LISTING_ORDER[2]).toBe('activity_after_deactivation');
    expect(LISTING_ORDER[3]).toBe('password_spray');
    // What someone in did to stay in or take more, after the attacks and before the novelties.
    expect(LISTING_ORDER[6]).toBe('privileged_change');
    expect(LISTING_ORDER.at(-1)).toBe('failed_login_burst');
  });

  it('lets the expected-activity list quiet the sign-in kinds only', () => {
    expect(SIGN_IN_KINDS).toEqual(['impossible_travel', 'new_country', 'new_network', 'unusual_hour']);
  });
});

describe('docs/alerts.md', () => {
  const docs = readFileSync(new URL('../../../docs/alerts.md', import.meta.url), 'utf8');
  const section = docs.slice(docs.indexOf('## What raises an alert'), docs.indexOf('## When it arrives'));

  it('lists exactly the kinds of ALERT_KINDS in the table of what raises an alert, each with its subsection', () => {
    const rows = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((match) => match[1]);
    expect([...rows].sort()).toEqual([...ALERT_KINDS].sort());
    for (const kind of ALERT_KINDS) expect(section).toContain(`\n### ${kind}\n`);
  });

  // The steps name where each choice is made; a file moved or renamed would leave them pointing
  // nowhere, as they did at detection.ts for DETECTORS (review R-CONTRIB M4).
  it('names in "Adding a kind" only files that exist', () => {
    const steps = docs.slice(docs.indexOf('### Adding a kind'), docs.indexOf('## When it arrives'));
    const named = [...new Set([...steps.matchAll(/`([\w/.-]+\.ts)`/g)].map((match) => match[1] ?? ''))];
    expect(named.length).toBeGreaterThan(10);
    const where = (file: string) =>
      [file, `functions/core/alerts/${file}`, `test/core/alerts/${file}`].some((path) =>
        existsSync(new URL(`../../../${path}`, import.meta.url)),
      );
    expect(named.filter((file) => !where(file))).toEqual([]);
  });

  it('names each symbol beside the file that defines it', () => {
    const steps = docs.slice(docs.indexOf('### Adding a kind'), docs.indexOf('## When it arrives'));
    const pairs = [...steps.matchAll(/`(\w+)`,?\s+(?:in\s+)?`([\w-]+\.ts)`/g)];
    expect(pairs.length).toBeGreaterThan(4);
    const missing = pairs.filter(([, symbol, file]) => {
      const path = new URL(`../../../functions/core/alerts/${file}`, import.meta.url);
      const defines = new RegExp(`\\b(?:const|function|interface|type) ${symbol}\\b`);
      return !existsSync(path) || !defines.test(readFileSync(path, 'utf8'));
    });
    expect(missing.map(([pair]) => pair)).toEqual([]);
  });
});
