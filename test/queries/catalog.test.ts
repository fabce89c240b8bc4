import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTRY_STRING_FIELDS } from '../../functions/core/domo/audit-entry.ts';
import { UnknownQueryError } from '../../functions/core/queries/query-catalog.ts';
import {
  inlineParameters,
  parseQuery,
  placeholderNames,
} from '../../functions/core/queries/query-definition.ts';
import {
  checkParamValue,
  historyParams,
  periodParams,
  positionalValues,
  previousPeriodParams,
  QUERY_DEFAULTS,
  standardParams,
} from '../../functions/core/queries/query-params.ts';
import { bindParams, loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'query-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The catalog contract: parameters and output columns of every query, as its section of
 * docs/queries.md ("The queries") describes them and callers (the report, the CLI) read them.
 * Written out, not read from the files, so that a header edit changing what callers get fails
 * here; a new query adds its entry (docs/queries.md, "For developers", lists every place).
 */
const CONTRACT: Record<string, { params: string[]; columns: string[] }> = {
  logins_by_country: {
    params: ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts'],
    columns: ['country', 'logins', 'users', 'geo_db_versions'],
  },
  most_active_users: {
    params: ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts', 'time_zone', 'limit'],
    columns: ['user_id', 'user_name', 'events', 'distinct_objects', 'active_days', 'logins', 'last_seen'],
  },
  trending_cards: {
    params: ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts', 'prev_from_dt', 'prev_from_ts', 'limit'],
    columns: ['card_id', 'card_name', 'views', 'previous_views', 'change', 'change_pct', 'rank'],
  },
  popular_pages: {
    params: ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts', 'limit'],
    columns: ['page_id', 'page_name', 'views', 'viewers', 'rank'],
  },
  suspicious_logins: {
    params: [
      'instance',
      'from_dt',
      'to_dt',
      'from_ts',
      'to_ts',
      'history_from_dt',
      'history_from_ts',
      'time_zone',
      'min_history_logins',
      'max_speed_kmh',
      'max_rows',
      'doer_id',
    ],
    columns: [
      'event_time',
      'user_id',
      'user_name',
      'reason',
      'ip_address',
      'country',
      'asn',
      'org',
      'network',
      'local_hour',
      'evidence',
      'user_reason_rows',
      'total_rows',
      'total_logins',
    ],
  },
  login_history: {
    params: [
      'instance',
      'from_dt',
      'to_dt',
      'from_ts',
      'to_ts',
      'history_from_dt',
      'history_from_ts',
      'min_history_logins',
    ],
    columns: ['users', 'short_history_users', 'short_placed_history_users'],
  },
  uncounted_sign_ins: {
    params: ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts'],
    columns: ['source', 'action_type', 'example_text', 'entries', 'source_entries', 'quarantined_entries'],
  },
  failed_logins_and_lockouts: {
    params: ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts', 'max_rows'],
    columns: [
      'user_id',
      'user_name',
      'failed_attempts',
      'lockouts',
      'distinct_ips',
      'ips',
      'first_failure',
      'last_failure',
      'last_lockout',
      'total_rows',
      'no_user_names',
      'no_user_failures',
      'no_user_ips',
      'no_user_first_failure',
      'no_user_last_failure',
    ],
  },
  failed_logins_by_ip: {
    params: ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts'],
    columns: [
      'ip_address',
      'users',
      'failed_attempts',
      'first_failure',
      'last_failure',
      'country',
      'asn',
      'org',
      'total_rows',
    ],
  },
  failed_logins_by_network: {
    params: ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts', 'limit'],
    columns: [
      'kind',
      'grp',
      'org',
      'users',
      'failed_attempts',
      'addresses',
      'first_failure',
      'last_failure',
      'sign_ins',
      'signed_in_users',
      'kind_rows',
    ],
  },
  login_after_failures: {
    params: [
      'instance',
      'lookback_from_dt',
      'to_dt',
      'lookback_from_ts',
      'to_ts',
      'failures_before_login',
      'from_ts',
      'max_rows',
    ],
    columns: [
      'event_time',
      'user_id',
      'user_name',
      'ip_address',
      'failed_attempts',
      'lockouts',
      'first_failure',
      'last_failure',
      'from_failing_ip',
      'event_id',
      'user_rows',
      'total_rows',
    ],
  },
  login_after_spray: {
    params: [
      'instance',
      'history_from_dt',
      'to_dt',
      'history_from_ts',
      'to_ts',
      'lookback_from_ts',
      'spray_users',
      'burst_minutes',
      'from_ts',
    ],
    columns: [
      'event_time',
      'user_id',
      'user_name',
      'ip_address',
      'level',
      'grp',
      'failed_attempts',
      'failures_after',
      'more_sign_ins',
      'last_sign_in',
      'event_id',
    ],
  },
  daily_activity: {
    params: ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts', 'time_zone'],
    columns: [
      'day',
      'events',
      'active_users',
      'logins',
      'failed_logins',
      'lockouts',
      'covered_hours',
      'short_hours',
      'short_events',
    ],
  },
  period_totals: {
    params: ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts'],
    columns: ['events', 'active_users', 'logins', 'failed_logins', 'lockouts', 'distinct_objects'],
  },
  user_activity: {
    params: [
      'instance',
      'from_dt',
      'to_dt',
      'from_ts',
      'to_ts',
      'user_id',
      'named',
      'time_zone',
      'max_rows',
      'keep_rows',
    ],
    columns: [
      'event_time',
      'local_time',
      'involvement',
      'user_id',
      'user_name',
      'actor_id',
      'actor_name',
      'action_type',
      'event_text',
      'object_type',
      'object_id',
      'object_name',
      'additional_comment',
      'ip_address',
      'country',
      'asn',
      'org',
      'device',
      'browser_details',
      'authentication_method',
      'category',
      'event_id',
      'total_rows',
    ],
  },
  user_addresses: {
    params: ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts', 'user_id', 'time_zone'],
    columns: [
      'ip_address',
      'network',
      'country',
      'asn',
      'org',
      'first_time',
      'first_local_time',
      'last_time',
      'last_local_time',
      'events',
      'sign_ins',
      'failed_logins',
      'other_users',
      'other_sign_ins',
      'other_user_names',
      'total_rows',
    ],
  },
  activity_after_deactivation: {
    params: ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts', 'max_rows'],
    columns: [
      'event_time',
      'deactivated_user_id',
      'deactivated_at',
      'deactivated_by',
      'acted_as',
      'user_id',
      'user_name',
      'actor_id',
      'actor_name',
      'category',
      'action_type',
      'event_text',
      'object_type',
      'object_id',
      'object_name',
      'ip_address',
      'country',
      'authentication_method',
      'event_id',
      'deactivation_event_id',
      'total_rows',
    ],
  },
  user_unusual_activity: {
    params: [
      'instance',
      'from_dt',
      'to_dt',
      'from_ts',
      'to_ts',
      'history_from_dt',
      'history_from_ts',
      'user_id',
      'max_rows',
    ],
    columns: [
      'action_type',
      'object_type',
      'object_id',
      'object_name',
      'finding',
      'events',
      'history_events',
      'usual_events',
      'first_time',
      'last_time',
      'total_rows',
    ],
  },
  address_activity: {
    params: [
      'instance',
      'from_dt',
      'to_dt',
      'from_ts',
      'to_ts',
      'address',
      'asn',
      'time_zone',
      'max_rows',
      'keep_rows',
    ],
    columns: [
      'event_time',
      'local_time',
      'user_id',
      'user_name',
      'actor_id',
      'actor_name',
      'action_type',
      'event_text',
      'object_type',
      'object_id',
      'object_name',
      'additional_comment',
      'ip_address',
      'country',
      'asn',
      'org',
      'device',
      'browser_details',
      'authentication_method',
      'category',
      'event_id',
      'total_rows',
    ],
  },
  admin_changes: {
    params: [
      'instance',
      'from_dt',
      'to_dt',
      'from_ts',
      'to_ts',
      'max_rows',
      'keep_rows',
      'doer_id',
      'time_zone',
    ],
    columns: [
      'event_time',
      'local_time',
      'user_id',
      'user_name',
      'actor_id',
      'actor_name',
      'action_type',
      'event_text',
      'object_type',
      'object_id',
      'object_name',
      'additional_comment',
      'ip_address',
      'country',
      'asn',
      'org',
      'authentication_method',
      'category',
      'event_id',
      'twins',
      'total_rows',
    ],
  },
  data_movement: {
    params: ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts', 'doer_id'],
    columns: [
      'user_id',
      'user_name',
      'kind',
      'events',
      'on_behalf_events',
      'on_behalf_users',
      'on_behalf_of',
      'objects',
      'object_types',
      'first_time',
      'last_time',
      'user_events',
    ],
  },
  dataset_deletions: {
    params: ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts', 'time_zone'],
    columns: [
      'week',
      'event_time',
      'user_id',
      'user_name',
      'on_behalf_of',
      'week_deletions',
      'dataset_id',
      'dataset_name',
      'object_type',
      'additional_comment',
      'ip_address',
      'country',
      'event_id',
    ],
  },
  bulk_data_movement: {
    params: [
      'instance',
      'from_dt',
      'to_dt',
      'from_ts',
      'to_ts',
      'history_from_dt',
      'history_from_ts',
      'doer_id',
    ],
    columns: [
      'user_id',
      'user_name',
      'finding',
      'moves',
      'exports',
      'shares',
      'dataset_exports',
      'objects',
      'history_moves',
      'history_events',
      'baseline_moves',
      'first_time',
      'last_time',
    ],
  },
  data_health: {
    params: ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts'],
    columns: [
      'expected_hours',
      'covered_hours',
      'missing_hours',
      'gap_count',
      'first_missing_hour',
      'late_events',
      'quarantined',
      'out_of_window',
      'events',
      'last_event_time',
      'last_fetched_at',
      'logins',
      'unplaced_logins',
      'short_hours',
      'short_events',
      'logins_without_user',
      'logins_without_ip',
      'extra_hours',
      'extra_events',
      'logins_without_country',
      'events_without_action_type',
      'not_closed_hours',
      'leading_missing_hours',
      'trailing_missing_hours',
      'inner_gap_count',
      'inner_missing_hours',
      'missing_runs',
    ],
  },
};

describe('the shipped catalog', () => {
  it('has every query of the contract, plus the infra-owned latest_events', () => {
    const contracted = new Set([...Object.keys(CONTRACT), 'latest_events']);
    expect(
      QUERY_NAMES.filter((name) => !contracted.has(name)),
      'queries with no entry in CONTRACT (test/queries/catalog.test.ts): add their params and columns',
    ).toEqual([]);
    expect(
      [...contracted].filter((name) => !QUERY_NAMES.includes(name)),
      'CONTRACT entries with no functions/queries/<name>.sql: remove them or add the file',
    ).toEqual([]);
  });

  for (const [name, contract] of Object.entries(CONTRACT)) {
    it(`${name}: header matches the contract, every ? names a declared parameter`, () => {
      const query = loadQuery(name);
      expect(query.name).toBe(name);
      expect(query.params, `${name}: "-- params:" against CONTRACT`).toEqual(contract.params);
      expect(query.columns, `${name}: "-- columns:" against CONTRACT`).toEqual(contract.columns);
      expect(query.description.length, `${name}: description`).toBeGreaterThan(20);
      expect(query.details.length, `${name}: explanation lines after the description`).toBeGreaterThan(20);
      expect(query.placeholders.length, `${name}: placeholders`).toBeGreaterThanOrEqual(5);
      expect(query.placeholders.every((p) => query.params.includes(p))).toBe(true);
      // Athena keeps at most 1024 characters of a named query's description (its header).
      const header = query.sql.split('\n').filter((line) => line.startsWith('--'));
      expect(header.join(' ').length, `${name}: header length`).toBeLessThanOrEqual(1024);
    });
  }

  it('takes the first sentence as the description, and keeps the rest of that line in the details', () => {
    const query = loadQuery('suspicious_logins');
    expect(query.description).toBe('sign-ins from unexpected places or at unusual times.');
    expect(query.details).toMatch(/^Sign-ins: category login with a user id; history:/);
    expect(loadQuery('data_health').description).toBe('how complete and clean is the lake for a period.');
  });

  it('reads latest_events with its one parameter', () => {
    const query = loadQuery('latest_events');
    expect(query.params).toEqual(['from_dt']);
    expect(query.placeholders).toEqual(['from_dt']);
    expect(query.description).toBe(
      'the 200 most recent Activity Log events on or after a day, newest first.',
    );
    expect(bindParams('latest_events', { from_dt: '2026-11-20' })).toEqual(['2026-11-20']);
  });

  const docs = readFileSync(path.join(import.meta.dirname, '../../docs/queries.md'), 'utf8');

  it('docs/queries.md lists the values the Athena console asks for, in the order it asks', () => {
    for (const name of QUERY_NAMES) {
      const placeholders = loadQuery(name).placeholders;
      // Every row of the name, not the first: a stale second row of admin_changes (no doer_id)
      // stood below the right one, and a console user reading it typed keep_rows into doer_id.
      const rows = [...docs.matchAll(new RegExp(`^\\| ${name} \\| ([a-z_, ]+) \\|$`, 'gm'))];
      expect(
        rows.map((row) => row[1]?.split(', ')),
        `${name}: docs/queries.md's Athena-console table ("In the Athena console") needs the one row ` +
          `"| ${name} | ${placeholders.join(', ')} |"`,
      ).toEqual([placeholders]);
    }
  });

  it('docs/queries.md describes every query in a section of its own', () => {
    const [, part = ''] = docs.split(/^## The queries$/m);
    const queriesPart = part.split(/^## /m)[0] ?? '';
    const sections = [...queriesPart.matchAll(/^### (\S+)$/gm)].map((m) => m[1]);
    expect(
      QUERY_NAMES.filter((name) => !sections.includes(name)),
      'queries with no "### <name>" section under "## The queries" in docs/queries.md: ' +
        'add one saying what it answers, its rows and a demo example',
    ).toEqual([]);
  });

  it('has no question mark but its placeholders, so that an editor counting them asks for the right number', () => {
    for (const name of QUERY_NAMES) {
      const query = loadQuery(name);
      expect({ name, marks: query.sql.split('?').length - 1 }).toEqual({
        name,
        marks: query.placeholders.length,
      });
    }
  });

  it('refuses an unknown name, listing the valid ones', () => {
    expect(() => loadQuery('top_users')).toThrow(UnknownQueryError);
    expect(() => loadQuery('top_users')).toThrow(
      /no query "top_users"; the catalog has: activity_after_deactivation, address_activity, admin_changes, .*trending_cards/,
    );
  });
});

describe('parseQuery', () => {
  const text = [
    '-- my_query: what it answers.',
    '-- More words',
    '-- on two lines.',
    '-- params: instance, from_ts, to_ts, zone',
    '-- columns: a, b',
    "SELECT '?', a /* ? */, b -- why? because",
    'FROM t WHERE instance = ? /* instance */ AND x >= ?/*from_ts*/ AND x < ? /* to_ts */',
    '  AND y >= ? /* from_ts */',
  ].join('\n');

  it('reads the header and the named placeholders in text order, repeats included', () => {
    expect(parseQuery('my_query', text)).toEqual({
      name: 'my_query',
      description: 'what it answers.',
      details: 'More words on two lines.',
      params: ['instance', 'from_ts', 'to_ts', 'zone'],
      placeholders: ['instance', 'from_ts', 'to_ts', 'from_ts'],
      columns: ['a', 'b'],
      sql: text,
    });
  });

  it('skips question marks in string literals (with doubled quotes) and comments', () => {
    expect(placeholderNames("SELECT 'it''s ?', x -- ?\n/* ? */ FROM t WHERE a = ? /* a */")).toEqual(['a']);
    expect(placeholderNames("SELECT regexp_like(x, '^(a)?b$') FROM t WHERE y = ?")).toEqual([undefined]);
  });

  // As Trino and DuckDB read them: a prepared statement of each text takes one parameter there.
  it('skips quoted identifiers, and ends a line comment at a bare carriage return', () => {
    expect(
      placeholderNames('SELECT 1 AS "x?", 2 AS "it\'s", 3 AS "a""?" FROM t WHERE a = ? /* a */'),
    ).toEqual(['a']);
    expect(placeholderNames('SELECT 1 -- note?\r, ? /* a */ -- b ?\n')).toEqual(['a']);
    expect(inlineParameters('SELECT "x?" -- ?\rWHERE a = ? /* a */', ['v'])).toBe(
      'SELECT "x?" -- ?\rWHERE a = \'v\'',
    );
  });

  it('rejects a placeholder without a name, or with a name not in params, saying how to fix it', () => {
    expect(() => parseQuery('q', '-- q: x.\n-- params: a\nSELECT ? FROM t')).toThrow(
      /placeholder 1 has no name; write it as \? \/\* name \*\//,
    );
    expect(() => parseQuery('q', '-- q: x.\n-- params: a\nSELECT ? /* b */ FROM t')).toThrow(
      /\? \/\* b \*\/ is not listed in "params: a"/,
    );
    expect(() => parseQuery('q', '-- q: x\nSELECT 1')).toThrow(/no "-- params:" header line/);
    expect(() => parseQuery('q', '-- q: x.\n-- params: Bad-Name\nSELECT 1')).toThrow(/not snake_case/);
  });

  it('refuses a description that its first line cuts mid-sentence, quoting it', () => {
    expect(() =>
      parseQuery('q', '-- q: addresses that failed (a password\n-- spray).\n-- params: a\nSELECT 1'),
    ).toThrow(
      /first header line must hold the description as one whole sentence ending in "\.".*"addresses that failed \(a password"/,
    );
    expect(
      parseQuery('q', '-- q: addresses that failed.\n-- A spray.\n-- params: a\nSELECT 1'),
    ).toMatchObject({
      description: 'addresses that failed.',
      details: 'A spray.',
    });
  });

  it('gives every query of the catalog a description that ends its sentence', () => {
    for (const name of QUERY_NAMES) expect(loadQuery(name).description, name).toMatch(/\.$/);
  });

  it('loads queries from another directory', () => {
    writeFileSync(
      path.join(dir, 'custom.sql'),
      '-- custom: one.\n-- params: instance\nSELECT ? /* instance */\n',
    );
    expect(loadQuery('custom', dir)).toMatchObject({ description: 'one.', placeholders: ['instance'] });
    expect(bindParams('custom', { instance: 'acme' }, dir)).toEqual(['acme']);
    expect(() => loadQuery('most_active_users', dir)).toThrow(/the catalog has: custom/);
    const empty = mkdtempSync(path.join(tmpdir(), 'query-catalog-empty-'));
    try {
      expect(() => loadQuery('most_active_users', empty)).toThrow(
        new RegExp(`the query catalog at ${empty} has no .sql files .*set QUERIES_DIR`),
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('bindParams', () => {
  const values = standardParams({
    instance: 'acme',
    fromMs: Date.parse('2026-11-16T00:00:00Z'),
    toMs: Date.parse('2026-11-23T00:00:00Z'),
  });

  it("gives one value per ? in the file's order, ignoring values the query does not take", () => {
    const query = loadQuery('trending_cards');
    const bound = bindParams('trending_cards', { ...values, unused: 'x' });
    expect(bound).toEqual(query.placeholders.map((p) => values[p]));
    expect(bound[0]).toBe('acme');
    expect(bound).toContain('2026-11-09');
  });

  it('names the missing parameter', () => {
    const { time_zone: _, ...rest } = values;
    expect(() => bindParams('daily_activity', rest)).toThrow(
      /query daily_activity needs parameter "time_zone"/,
    );
  });

  it.each([
    ['from_dt', '2026-11-32', /from_dt "2026-11-32" must be a date YYYY-MM-DD/],
    ['to_ts', '2026-11-23T00:00:00Z', /to_ts ".*" must be a UTC timestamp YYYY-MM-DD HH:MM:SS.mmm/],
    // Days and times Date.parse rolls over (to March 1, to the next midnight); the engines refuse them.
    ['to_ts', '2025-02-29 00:00:00', /to_ts "2025-02-29 00:00:00" must be a UTC timestamp/],
    ['to_ts', '2026-04-31 12:00:00', /to_ts "2026-04-31 12:00:00" must be a UTC timestamp/],
    ['from_ts', '2026-11-23 24:00:00', /from_ts "2026-11-23 24:00:00" must be a UTC timestamp/],
    ['time_zone', "UTC'; DROP TABLE x; --", /is not an IANA time zone/],
    ['min_history_logins', '10; --', /min_history_logins "10; --" must be a whole number/],
    ['min_history_logins', '-1', /min_history_logins "-1" must be a whole number from 1 to 10000/],
    ['max_speed_kmh', '0', /max_speed_kmh "0" must be a whole number from 100 to 20000 \(fastest/],
    ['max_speed_kmh', '20001', /max_speed_kmh "20001" must be a whole number from 100 to 20000/],
    ['instance', "acme' OR '1'='1", /instance name/],
  ])('rejects a bad %s value before any engine sees it', (param, value, message) => {
    expect(() => bindParams('suspicious_logins', { ...values, [param]: value })).toThrow(message);
  });

  it('rejects a user id that names no user: empty, white space or 0 (Domo\'s "none")', () => {
    for (const id of ['', ' ', '0', ' 0\t'])
      expect(() => bindParams('user_activity', { ...values, user_id: id })).toThrow(/names no user/);
    // A padded id is no "none" (the alerts read it as an id, userIdOf), but Domo writes none.
    for (const id of ['00', '0042'])
      expect(() => bindParams('user_activity', { ...values, user_id: id })).toThrow(
        `user_id "${id}" starts with 0: Domo's user ids are numbers, written without leading zeros`,
      );
    expect(bindParams('user_activity', { ...values, user_id: '1141446289' })).toContain('1141446289');
  });

  it('rejects a named too short to name a person: a short word is in most entries', () => {
    // Punctuation is read as spaces (whole words), so "..." names nothing and "a.b" two letters.
    for (const named of ['a', 'Bo ', '  ', '...', 'a.b'])
      expect(() => bindParams('user_activity', { ...values, user_id: '7', named })).toThrow(
        `named ${JSON.stringify(named)} is too short to name a person`,
      );
    expect(bindParams('user_activity', { ...values, user_id: '7', named: 'Ada' })).toContain('Ada');
    // Left out, no name is searched: the report's dig commands and older callers keep their rows.
    const { named: _named, ...without } = values;
    const bound = bindParams('user_activity', { ...without, user_id: '7' });
    expect(bound.filter((_v, i) => loadQuery('user_activity').placeholders[i] === 'named')).toEqual(['', '']);
  });

  it("rejects a named that is a key of Domo's entries: each entry holds it as a word", () => {
    for (const key of ['time', ...Object.keys(ENTRY_STRING_FIELDS), 'authenticationMethod', ' Device. '])
      expect(() => bindParams('user_activity', { ...values, user_id: '7', named: key }), key).toThrow(
        /is the name of a field of every Domo entry .*: it would list every event; give the person's full name/,
      );
    expect(bindParams('user_activity', { ...values, user_id: '7', named: 'Device Smith' })).toContain(
      'Device Smith',
    );
  });

  it('rejects an address that is not one address or an IPv4 /24: it goes into a pattern', () => {
    // Empty: any address, for an asn; both empty would list every event.
    expect(() => bindParams('address_activity', { ...values, address: '', asn: '' })).toThrow(
      'query address_activity needs an address or an asn (both are empty)',
    );
    expect(bindParams('address_activity', { ...values, address: '', asn: '13335' })).toContain('13335');
    for (const asn of ['AS', '-1', '4294967296', '13335.0', 'AS 1'])
      expect(() => bindParams('address_activity', { ...values, address: '', asn }), asn).toThrow(
        /is not an autonomous system number/,
      );
    for (const address of [
      '154.28.124.*',
      '154.28.124',
      '154.28.124.0/16',
      '154.28.124.5/24',
      '010.0.0.1',
      '2001:db8::1::2',
      'fe80::1%eth0',
      'a.b.c.d',
    ])
      expect(() => bindParams('address_activity', { ...values, address }), address).toThrow(
        /is not an address/,
      );
    for (const address of ['154.28.124.189', '154.28.124.0/24', '2001:DB8::1', '::ffff:154.28.124.189'])
      expect(bindParams('address_activity', { ...values, address })).toContain(address);
  });

  it('rejects a limit that is not a whole number', () => {
    expect(() => bindParams('most_active_users', { ...values, limit: '10 OR 1=1' })).toThrow(
      /limit "10 OR 1=1" must be a whole number/,
    );
  });

  it('accepts timestamps with 0 to 3 fraction digits and real zones', () => {
    expect(checkParamValue('from_ts', '2026-11-16 00:00:00')).toBeUndefined();
    expect(checkParamValue('from_ts', '2026-11-16 00:00:00.5')).toBeUndefined();
    expect(checkParamValue('from_ts', '2024-02-29 23:59:59.999')).toBeUndefined();
    expect(checkParamValue('time_zone', 'America/Denver')).toBeUndefined();
    expect(checkParamValue('anything_else', "it's free text")).toBeUndefined();
  });
});

describe('period parameters', () => {
  it('periodParams: UTC dates for pruning (to_dt inclusive), timestamps for the exact period', () => {
    expect(
      periodParams('acme', Date.parse('2026-11-16T00:00:00Z'), Date.parse('2026-11-23T00:00:00Z')),
    ).toEqual({
      instance: 'acme',
      from_dt: '2026-11-16',
      to_dt: '2026-11-22',
      from_ts: '2026-11-16 00:00:00.000',
      to_ts: '2026-11-23 00:00:00.000',
    });
    // A week of America/Denver: Monday 00:00 local is 07:00 UTC, the week touches eight UTC dates.
    expect(
      periodParams('acme', Date.parse('2026-11-16T07:00:00Z'), Date.parse('2026-11-23T07:00:00Z')),
    ).toEqual({
      instance: 'acme',
      from_dt: '2026-11-16',
      to_dt: '2026-11-23',
      from_ts: '2026-11-16 07:00:00.000',
      to_ts: '2026-11-23 07:00:00.000',
    });
    expect(() => periodParams('acme', 10, 10)).toThrow(/from < to/);
    expect(() => periodParams('Bad Name', 0, 10)).toThrow(/instance name/);
  });

  it('previous period and history window', () => {
    const from = Date.parse('2026-11-16T07:00:00Z');
    const to = Date.parse('2026-11-23T07:00:00Z');
    expect(previousPeriodParams(from, to)).toEqual({
      prev_from_dt: '2026-11-09',
      prev_from_ts: '2026-11-09 07:00:00.000',
    });
    expect(historyParams(from)).toEqual({
      history_from_dt: '2026-10-17',
      history_from_ts: '2026-10-17 07:00:00.000',
    });
    expect(historyParams(from, 7).history_from_ts).toBe('2026-11-09 07:00:00.000');
  });

  it('standardParams fills every parameter of every query, with the defaults', () => {
    const values = standardParams({ instance: 'acme', fromMs: 0, toMs: 7 * 86_400_000 });
    expect(values).toMatchObject({
      time_zone: QUERY_DEFAULTS.timeZone,
      limit: String(QUERY_DEFAULTS.limit),
      min_history_logins: String(QUERY_DEFAULTS.minHistoryLogins),
      history_from_dt: '1969-12-02',
    });
    // But user_activity's user_id and address_activity's address: whose activity has no default.
    for (const name of QUERY_NAMES)
      expect(bindParams(name, { ...values, user_id: '7', address: '1.2.3.4' }).length, name).toBe(
        loadQuery(name).placeholders.length,
      );
    expect(values).not.toHaveProperty('user_id');
    expect(values).not.toHaveProperty('address');
    const custom = standardParams({
      instance: 'acme',
      fromMs: 0,
      toMs: 86_400_000,
      timeZone: 'Asia/Kolkata',
      limit: 3,
      minHistoryLogins: 4,
      historyDays: 2,
    });
    expect(custom).toMatchObject({
      time_zone: 'Asia/Kolkata',
      limit: '3',
      min_history_logins: '4',
      history_from_ts: '1969-12-30 00:00:00.000',
      prev_from_ts: '1969-12-31 00:00:00.000',
    });
  });
});

describe('keep_rows (review F-RESPOND2 5)', () => {
  it('takes oldest, newest or gravest only, oldest unless given', () => {
    expect(checkParamValue('keep_rows', 'oldest')).toBeUndefined();
    expect(checkParamValue('keep_rows', 'newest')).toBeUndefined();
    expect(checkParamValue('keep_rows', 'gravest')).toBeUndefined();
    expect(checkParamValue('keep_rows', 'last')).toBe(
      'keep_rows "last" must be oldest, newest or gravest (the rows kept when max_rows cuts them)',
    );
    expect(standardParams({ instance: 'main', fromMs: 0, toMs: 86_400_000 }).keep_rows).toBe('oldest');
  });

  it('gravest only where the SQL ranks by it: admin_changes (review R2PRIV)', () => {
    const params = {
      ...standardParams({ instance: 'main', fromMs: 0, toMs: 86_400_000 }),
      keep_rows: 'gravest',
    };
    expect(() => positionalValues(loadQuery('admin_changes'), params)).not.toThrow();
    for (const name of ['user_activity', 'address_activity']) {
      expect(() =>
        positionalValues(loadQuery(name), { ...params, user_id: '42', address: '192.0.2.1' }),
      ).toThrow(
        `query ${name}: keep_rows "gravest" ranks privileged changes (admin_changes); ${name} keeps oldest or newest`,
      );
    }
  });
});
