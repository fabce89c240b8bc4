/**
 * `alerts --help` says what the alerts watch of an admin's own acts (review R-INSIDER,
 * 2026-12-06): privileged changes raise one alert each (`privileged_change`, the events `query
 * admin_changes` lists), and data exports raise one only when `--export-burst` asks
 * (`bulk_export`, since 2026-12-07), shares never, so the help names the query that lists them
 * and an operator does not take a quiet alerts run for "no data left".
 */
import { describe, expect, it } from 'vitest';
import { alertsHelp } from '../../functions/cli/commands/alerts.ts';
import { ALERT_KINDS } from '../../functions/core/alerts/alert.ts';
import { QUERY_NAMES } from '../../functions/queries/catalog.ts';

const flat = alertsHelp.replace(/\s+/g, ' ');

describe('alerts --help, what the alerts watch of an admin', () => {
  it('names privileged changes among the kinds, and the query that lists them', () => {
    expect(ALERT_KINDS).toContain('privileged_change');
    expect(flat).toContain('privileged changes: roles, groups, access tokens, sign-in settings');
    expect(QUERY_NAMES).toContain('admin_changes');
    expect(flat).toContain('admin_changes');
  });

  it('says bulk exports alert only when asked, shares never, and names data_movement', () => {
    expect(ALERT_KINDS.filter((kind) => /export|share|movement|download/.test(kind))).toEqual([
      'bulk_export',
    ]);
    expect(flat).toContain(
      'Bulk exports (one user exporting many objects within an hour) alert only with --export-burst; shares never do (query data_movement',
    );
    expect(QUERY_NAMES).toContain('data_movement');
    expect(flat).not.toMatch(/no alert watches role or group changes/i);
  });
});
