import type { QueryEngine, QueryParams, QueryResult, QueryRow } from '../../../functions/core/ports.ts';
import { bindParams, loadQuery } from '../../../functions/queries/catalog.ts';

/** The geo database the made-up week's sign-ins were placed with. */
export const GEO_DB_VERSION = 'dbip-country@2.3.2026060120+asn@2.3.2026061719';

/** Contract-shaped rows of every report query for one small, made-up week. */
export const CONTRACT_ROWS: Record<string, QueryRow[]> = {
  period_totals: [
    { events: 120, active_users: 6, logins: 10, failed_logins: 3, lockouts: 1, distinct_objects: 9 },
  ],
  daily_activity: [
    {
      day: '2026-11-17',
      events: 120,
      active_users: 6,
      logins: 10,
      failed_logins: 3,
      lockouts: 1,
      covered_hours: 24,
      short_hours: 0,
      short_events: 0,
    },
  ],
  most_active_users: [
    {
      user_id: '1',
      user_name: 'Ada',
      events: 80,
      distinct_objects: 5,
      active_days: 1,
      logins: 4,
      last_seen: '2026-11-17 10:00:00.000',
    },
  ],
  trending_cards: [
    {
      card_id: '9',
      card_name: 'Revenue',
      views: 30,
      previous_views: 20,
      change: 10,
      change_pct: 50,
      rank: 1,
    },
  ],
  popular_pages: [{ page_id: '7', page_name: 'Sales', views: 12, viewers: 3, rank: 1 }],
  suspicious_logins: [
    {
      event_time: '2026-11-17 03:00:00.000',
      user_id: '1',
      user_name: 'Ada',
      reason: 'new_network',
      ip_address: '203.0.113.9',
      country: 'DE',
      asn: 3320,
      org: 'Deutsche Telekom AG',
      network: '203.0.113.0/24',
      local_hour: 3,
      evidence:
        'first login from network owner AS3320 (Deutsche Telekom AG) in 30 days; 1 owner known; network 203.0.113.0/24',
      user_reason_rows: 1,
      total_rows: 1,
      total_logins: 1,
    },
  ],
  logins_by_country: [
    { country: 'US', logins: 8, users: 5, geo_db_versions: GEO_DB_VERSION },
    { country: 'DE', logins: 1, users: 1, geo_db_versions: GEO_DB_VERSION },
    { country: null, logins: 1, users: 1, geo_db_versions: null },
  ],
  failed_logins_and_lockouts: [
    {
      user_id: '2',
      user_name: 'Bob',
      failed_attempts: 3,
      lockouts: 1,
      distinct_ips: 1,
      ips: '203.0.113.77',
      first_failure: '2026-11-17 09:00:00.000',
      last_failure: '2026-11-17 09:02:00.000',
      last_lockout: '2026-11-17 09:03:00.000',
      total_rows: 1,
      no_user_names: 0,
      no_user_failures: 0,
      no_user_ips: 0,
      no_user_first_failure: null,
      no_user_last_failure: null,
    },
  ],
  // One address that failed for five users: a password spray.
  failed_logins_by_ip: [
    {
      ip_address: '198.51.100.9',
      users: 5,
      failed_attempts: 6,
      first_failure: '2026-11-18 03:53:10.000',
      last_failure: '2026-11-18 03:56:40.000',
      country: 'DE',
      asn: 16509,
      org: 'Amazon.com, Inc.',
      total_rows: 1,
    },
  ],
  // A hosting network and its owner that failed for 31 users, none of whom signed in from there.
  failed_logins_by_network: [
    {
      kind: 'network',
      grp: '178.62.10.0/24',
      org: null,
      users: 31,
      failed_attempts: 33,
      addresses: 31,
      first_failure: '2026-11-18 04:10:00.000',
      last_failure: '2026-11-18 04:16:00.000',
      sign_ins: 0,
      signed_in_users: 0,
      kind_rows: 1,
    },
    {
      kind: 'owner',
      grp: 'AS14061',
      org: 'DigitalOcean, LLC',
      users: 31,
      failed_attempts: 33,
      addresses: 31,
      first_failure: '2026-11-18 04:10:00.000',
      last_failure: '2026-11-18 04:16:00.000',
      sign_ins: 0,
      signed_in_users: 0,
      kind_rows: 7,
    },
  ],
  // No sign-in after a run of failures: the tests that plant one say so.
  login_after_failures: [],
  // A quiet week: no one changed who may do what.
  admin_changes: [],
  // Nobody moved data beyond their usual.
  bulk_data_movement: [],
  login_history: [{ users: 6, short_history_users: 0, short_placed_history_users: 0 }],
  // A week whose sign-in events were all recognised and read.
  uncounted_sign_ins: [],
  data_health: [
    {
      expected_hours: 168,
      covered_hours: 168,
      missing_hours: 0,
      gap_count: 0,
      first_missing_hour: null,
      late_events: 0,
      quarantined: 0,
      out_of_window: 0,
      events: 120,
      last_event_time: '2026-11-17 10:00:00.000',
      last_fetched_at: '2026-11-23 00:15:00.000',
      logins: 10,
      unplaced_logins: 0,
      short_hours: 0,
      short_events: 0,
      logins_without_user: 0,
      logins_without_ip: 0,
      extra_hours: 0,
      extra_events: 0,
      logins_without_country: 0,
      events_without_action_type: 0,
      leading_missing_hours: 0,
      inner_gap_count: 0,
      inner_missing_hours: 0,
      trailing_missing_hours: 0,
      not_closed_hours: 0,
      missing_runs: null,
    },
  ],
};

/**
 * A QueryEngine that answers catalog queries with canned rows and records each call with its
 * parameters by name (mapped back through the catalog), so tests can check what the core asked.
 */
export class FakeEngine implements QueryEngine {
  readonly calls: { name: string; params: Record<string, string> }[] = [];

  constructor(
    private readonly rows: Record<string, QueryRow[]> = CONTRACT_ROWS,
    private readonly bytesPerQuery = 1000,
  ) {}

  async run(name: string, params: QueryParams): Promise<QueryResult> {
    // What a real engine binds: the query's own parameters, each checked.
    bindParams(name, params);
    const named = Object.fromEntries(loadQuery(name).params.map((param) => [param, params[param] as string]));
    this.calls.push({ name, params: named });
    const rows = this.rows[name];
    if (!rows)
      throw new Error(
        `FakeEngine has no rows for ${name}: add its contract rows to CONTRACT_ROWS in test/core/report/fake-engine.ts (a report section's new query needs them), or to the rows this test passes`,
      );
    const columns = Object.keys(rows[0] ?? {}).map((c) => ({ name: c, type: 'varchar' }));
    return { columns, rows, bytesScanned: this.bytesPerQuery, elapsedMs: 1 };
  }
}
