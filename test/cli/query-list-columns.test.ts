/**
 * A list column (failed_logins_and_lockouts' ips, joined by the unit separator) as `query` prints
 * it: the table and the CSV cleaned the separator away and ran two addresses into a third
 * (review: `107.208.136.16244.226.102.150`); JSON gives the items as an array.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { LIST_COLUMNS } from '../../functions/core/queries/list-columns.ts';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { login, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-lists-'));
  await writeFixtureLake(lake, {
    events: [
      login('2026-11-19 08:00:00', 'login_failed', {
        user_id: '2',
        user_name: 'Jo',
        ip_address: '203.0.113.7',
      }),
      login('2026-11-19 09:00:00', 'login_failed', {
        user_id: '2',
        user_name: 'Jo',
        ip_address: '198.51.100.9',
      }),
      login('2026-11-19 10:00:00', 'login_failed', { user_id: '3', user_name: 'Al', ip_address: null }),
    ],
  });
});
afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

const now = () => Date.parse('2026-11-24T15:00:00Z');
const run = async (format: string) => {
  const c = captureIo();
  await queryCommand(
    ['failed_logins_and_lockouts', '--lake', lake, '--format', format],
    {
      ...c.io,
      log: silentLog,
    },
    { now },
  );
  return c.stdout();
};

describe('query prints a list column with its items apart', () => {
  it('the table parts the addresses with "; "', async () => {
    const out = await run('table');
    expect(out).toContain(' 198.51.100.9; 203.0.113.7 ');
    expect(out).not.toContain('198.51.100.9203.0.113.7');
  });

  it('the CSV parts them alike, in one cell', async () => {
    const lines = (await run('csv')).split('\r\n');
    expect(lines[1]).toContain(',198.51.100.9; 203.0.113.7,');
    // A user without an address: an empty cell, as any NULL.
    expect(lines[2]?.split(',')[5]).toBe('');
  });

  it('JSON gives the items as an array, none as an empty one', async () => {
    const rows = JSON.parse(await run('json')) as { user_id: string; ips: unknown }[];
    expect(rows.map((r) => [r.user_id, r.ips])).toEqual([
      ['2', ['198.51.100.9', '203.0.113.7']],
      ['3', []],
    ]);
  });

  it('names every catalog column joined with chr(31), and only columns the query has', () => {
    for (const name of QUERY_NAMES) {
      const query = loadQuery(name);
      const listed = LIST_COLUMNS[name] ?? [];
      expect(listed.length > 0, `${name} joins a list with chr(31)`).toBe(/chr\(\s*31\s*\)/i.test(query.sql));
      for (const column of listed) expect(query.columns).toContain(column);
    }
  });
});
