import { describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { main } from '../../functions/cli/main.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { captureIo } from '../support/capture-io.ts';

const run = async (argv: string[]) => {
  const c = captureIo();
  await queryCommand(argv, { ...c.io, log: silentLog });
  return c.stdout();
};

const refusal = (argv: string[]) =>
  run(argv).then(
    () => 'no error',
    (e: Error) => `${e.name}: ${e.message}`,
  );

describe('query --list', () => {
  it('--format json prints the catalog as JSON: each query with its description and parameters', async () => {
    const entries = JSON.parse(await run(['--list', '--format', 'json']));
    expect(entries).toEqual(
      QUERY_NAMES.map((name) => ({
        query: name,
        description: loadQuery(name).description,
        params: loadQuery(name).params,
        executionParameters: loadQuery(name).placeholders,
      })),
    );
    // The order Athena binds positional values in, one per question mark of the saved query's text.
    const addressActivity = loadQuery('address_activity');
    const positions = entries.find((e: { query: string }) => e.query === 'address_activity')
      ?.executionParameters as string[];
    expect(positions).toHaveLength(addressActivity.sql.split('?').length - 1);
    expect(positions.slice(0, 6)).toEqual(['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts', 'address']);
    expect(positions.at(-1)).toBe('max_rows');
    expect(entries.find((e: { query: string }) => e.query === 'most_active_users')?.params).toContain(
      'limit',
    );
  });

  it('refuses csv, a query name and options that would change nothing, naming them', async () => {
    expect(await refusal(['--list', '--format', 'csv'])).toBe(
      'UsageError: --list prints a line per query (table) or --format json',
    );
    expect(await refusal(['--list', 'extra', 'more'])).toBe(
      'UsageError: --list lists every query: leave out extra, more',
    );
    expect(await refusal(['--list', '--all'])).toBe(
      'UsageError: --list prints the catalog and runs no query, so --all would change nothing: leave it out',
    );
    expect(await refusal(['--list', '--sql', 'SELECT 1', '--lake', 'x', '--athena', '--param', 'a=b'])).toBe(
      'UsageError: --list prints the catalog and runs no query, so --sql, --param, --lake, --athena would change nothing: leave them out',
    );
  });

  it('exits 2 through main on an extra argument, and 0 with the table', async () => {
    const bad = captureIo();
    expect(await main(['query', '--list', '--all'], bad.io)).toBe(2);
    expect(bad.stderr()).toMatch(/^error: --list prints the catalog and runs no query, so --all/);
    const ok = captureIo();
    expect(await main(['query', '--list'], ok.io)).toBe(0);
    expect(ok.stdout()).toMatch(
      /^activity_after_deactivation {2,}every event in the name of a user deactivated/,
    );
    expect(ok.stdout()).toMatch(/^address_activity {2,}every event from one address/m);
  });
});
