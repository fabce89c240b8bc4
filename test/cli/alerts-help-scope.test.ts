/**
 * `alerts --help` says what no alert watches (review R-INSIDER, 2026-12-06): a Domo admin's role,
 * group and token changes and data exports raise none, and the help names the queries that list
 * them, so an operator does not take a quiet alerts run for "no admin did anything".
 */
import { describe, expect, it } from 'vitest';
import { alertsHelp } from '../../functions/cli/commands/alerts.ts';
import { ALERT_KINDS } from '../../functions/core/alerts/alert.ts';
import { QUERY_NAMES } from '../../functions/queries/catalog.ts';

describe('alerts --help, what the alerts do not watch', () => {
  it('names the catalog queries that list privileged changes and data movement', () => {
    const flat = alertsHelp.replace(/\s+/g, ' ');
    expect(flat).toContain('no alert watches role or group changes, access tokens or data exports');
    for (const query of ['admin_changes', 'data_movement']) {
      expect(QUERY_NAMES).toContain(query);
      expect(flat).toContain(query);
    }
  });

  it('holds while no kind is about privileged changes or exports (update the help when one is)', () => {
    expect(ALERT_KINDS.filter((kind) => /admin|role|token|export|privileg/.test(kind))).toEqual([]);
  });
});
