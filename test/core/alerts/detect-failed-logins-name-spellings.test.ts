/**
 * Review R-ALERTS L3: failures without a user id are grouped by the name they carry, and that name
 * is what was typed. Eight failures as case and space variants of one name raised no burst; they
 * are one user now (NFKC, case-folded, trimmed, inner spaces as one), the alert keeps the name as
 * the raising failure carried it, its evidence lists the spellings and the query to dig further
 * matches every one of them.
 */
import { describe, expect, it } from 'vitest';
import {
  emptyChannel,
  newAlertCheckpoint,
  readAlertCheckpoint,
} from '../../../functions/core/alerts/alert-checkpoint.ts';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import {
  detectFailedLoginBursts,
  detectLockouts,
} from '../../../functions/core/alerts/detect-failed-logins.ts';
import { nameKey } from '../../../functions/core/alerts/detection.ts';
import { digQuery } from '../../../functions/core/alerts/dig-further.ts';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { alertEvent, hourInput } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-18T10:00:00Z');

const failure = (
  i: number,
  name: string | null,
  category: AlertEvent['category'] = 'login_failed',
): AlertEvent =>
  alertEvent({
    event_id: `e${i}`,
    event_time_ms: H + i * 30_000,
    category,
    user_id: null,
    user_name: name,
    ip_address: '198.51.100.7',
  });

const input = (events: AlertEvent[]) => hourInput(H, events);

const VARIANTS = [
  'alice@corp.com',
  'Alice@corp.com',
  'ALICE@corp.com',
  ' alice@corp.com',
  'alice@corp.com ',
  'alice@Corp.com',
];

describe('failures without a user id, by name', () => {
  it('takes case and space variants of one name as one user, and says the spellings seen', () => {
    const alerts = detectFailedLoginBursts(input(VARIANTS.map((name, i) => failure(i, name))));
    expect(alerts).toHaveLength(1);
    const [burst] = alerts;
    // The raising failure's name, as Domo gave it.
    expect(burst?.user_name).toBe('alice@corp.com ');
    expect(burst?.evidence).toBe(
      '5 failed logins within 10 minutes (10:00 to 10:02 UTC) from IP 198.51.100.7; it went on to 6 failures until 10:02 UTC; the name as "alice@corp.com", "Alice@corp.com", "ALICE@corp.com", " alice@corp.com", "alice@corp.com "',
    );
    expect(burst?.user_names).toEqual(VARIANTS.slice(0, 5));
    // The query to dig further finds every spelling's events.
    const query = burst ? digQuery('i', [burst]) : '';
    for (const name of VARIANTS.slice(0, 5)) expect(query).toContain(`'${name}'`);
  });

  it('folds width and compatibility forms, inner whitespace runs, and German sharp s', () => {
    expect(nameKey('  Ａlice\u00a0\t Smith ')).toBe(nameKey('alice smith'));
    expect(nameKey('STRASSE')).toBe(nameKey('straße'));
    expect(nameKey('alice')).not.toBe(nameKey('alicia'));
  });

  it('counts a lockout after variant spellings, and lists them', () => {
    const events = [
      ...VARIANTS.slice(0, 3).map((name, i) => failure(i, name)),
      failure(5, 'alice@CORP.com', 'lockout'),
    ];
    const [lockout] = detectLockouts(input(events));
    expect(lockout?.evidence).toBe(
      'locked out after 3 failed logins in the hour before, from IP 198.51.100.7; the name as "alice@CORP.com", "alice@corp.com", "Alice@corp.com", "ALICE@corp.com"',
    );
  });

  it('keeps the evidence as it was when one spelling is used', () => {
    const [burst] = detectFailedLoginBursts(input([0, 1, 2, 3, 4].map((i) => failure(i, 'bob'))));
    expect(burst?.evidence).toBe(
      '5 failed logins within 10 minutes (10:00 to 10:02 UTC) from IP 198.51.100.7',
    );
    expect(burst?.user_names).toBeUndefined();
  });

  it('keeps the spellings through the outbox, for a delivery a later run retries', async () => {
    const [burst] = detectFailedLoginBursts(input(VARIANTS.map((name, i) => failure(i, name))));
    if (!burst) throw new Error('a burst');
    const checkpoint = newAlertCheckpoint('i', H);
    checkpoint.channels.sns = { ...emptyChannel(), outbox: [burst] };
    const store = new MemoryObjectStore();
    store.putNow(
      alertsStateKey('i', 'checkpoint.json'),
      new TextEncoder().encode(JSON.stringify(checkpoint)),
    );
    const read = await readAlertCheckpoint(store, 'i');
    expect(read?.checkpoint.channels.sns?.outbox[0]?.user_names).toEqual(VARIANTS.slice(0, 5));
  });
});
