import { describe, expect, it } from 'vitest';
import { readAuditEntry } from '../../../functions/core/domo/audit-entry.ts';

describe('readAuditEntry', () => {
  it('turns ids of any JSON type into strings and missing fields into null', () => {
    const read = readAuditEntry({
      time: 1,
      userId: 1619916076,
      actorId: 0,
      objectId: '-100000',
      ipAddress: null,
    });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.fields.user_id).toBe('1619916076');
    expect(read.fields.actor_id).toBe('0');
    expect(read.fields.object_id).toBe('-100000');
    expect(read.fields.ip_address).toBeNull();
    expect(read.fields.device).toBeNull();
  });

  it('refuses entries that are not objects, have no time, or nest where a scalar belongs', () => {
    expect(readAuditEntry('oops')).toEqual({
      ok: false,
      reason: 'entry is a string, expected a JSON object',
    });
    expect(readAuditEntry([1])).toEqual({ ok: false, reason: 'entry is an array, expected a JSON object' });
    expect(readAuditEntry(null)).toEqual({ ok: false, reason: 'entry is null, expected a JSON object' });
    expect(readAuditEntry({ userId: '1' })).toEqual({ ok: false, reason: 'entry has no time field' });
    // Domo renamed it: the reason names the new key, the same for every entry of the new shape.
    expect(readAuditEntry({ userId: '1', eventTime: 1_700_000_000, 'date\n"x"': 1 })).toEqual({
      ok: false,
      reason:
        'entry has no time field but has eventTime: Domo may have renamed it; a release that reads the new name stores these entries when their hours are re-pulled',
    });
    // Review R-DRIFT L4: a serialiser's fault more likely than a lost time.
    expect(readAuditEntry({})).toEqual({ ok: false, reason: 'entry is an empty object' });
    expect(readAuditEntry({ time: 1, userName: { first: 'a' } })).toEqual({
      ok: false,
      reason:
        'field userName is an object, expected a scalar: Domo may have nested it; a release that reads the new shape stores these entries when their hours are re-pulled',
    });
  });
});
