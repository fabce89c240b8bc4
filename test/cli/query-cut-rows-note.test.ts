/**
 * The note on rows a query cut at a bound of its own (review: `--param max_rows=2` printed 2 rows
 * and nothing on stderr, the only hint `total_rows: 9` in JSON; failed_logins_and_lockouts' fixed
 * 1,000 and latest_events' 200 cut as silently).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand, queryHelp } from '../../functions/cli/commands/query.ts';
import { cutRowsNote, fixedLimit } from '../../functions/cli/cut-rows-note.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { event, login, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-cut-rows-'));
  const failures = ['1', '2', '3'].map((id, i) =>
    login(`2026-11-19 0${i}:00:00`, 'login_failed', { user_id: id, user_name: `U${id}` }),
  );
  const views = Array.from({ length: 200 }, (_, i) =>
    event(`2026-11-18 ${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`),
  );
  // The default period, 2026-11-17 to 2026-11-24, covered whole: no note on its coverage.
  const coverage = Array.from({ length: 7 * 24 }, (_, h) =>
    manifest(`2026-11-${17 + Math.floor(h / 24)} ${String(h % 24).padStart(2, '0')}:00`),
  );
  await writeFixtureLake(lake, { events: [...failures, ...views], coverage });
});
afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

const now = () => Date.parse('2026-11-24T15:00:00Z');
const run = async (argv: string[]) => {
  const c = captureIo();
  await queryCommand([...argv, '--lake', lake], { ...c.io, log: silentLog }, { now });
  return { stdout: c.stdout(), stderr: c.stderr() };
};

describe('query notes rows cut at a bound of the query', () => {
  it('failed_logins_and_lockouts takes max_rows and says how many it did not show, whatever the format', async () => {
    for (const format of ['table', 'csv', 'json']) {
      const { stdout, stderr } = await run([
        'failed_logins_and_lockouts',
        '--param',
        'max_rows=2',
        '--format',
        format,
      ]);
      if (format === 'json') expect(JSON.parse(stdout)).toHaveLength(2);
      expect(stderr).toBe(
        'note: showing 2 of 3 rows: max_rows stops it there (--param max_rows=3 shows them all)\n',
      );
    }
    expect((await run(['failed_logins_and_lockouts'])).stderr).toBe('');
  });

  it('latest_events says there may be more when it returned its fixed 200', async () => {
    const { stderr } = await run(['latest_events', '--from', '2026-11-18']);
    expect(stderr).toBe(
      'note: showing the first 200 rows, the most latest_events returns: there may be more\n',
    );
    expect((await run(['latest_events', '--from', '2026-11-19'])).stderr).toBe('');
  });

  it('suspicious_logins and failed_logins_by_ip count their rows: the note says of how many', () => {
    const rows = (n: number, total: number) => Array.from({ length: n }, () => ({ total_rows: total }));
    expect(cutRowsNote(loadQuery('suspicious_logins'), { rows: rows(2, 9) })).toBe(
      'note: showing 2 of 9 rows: max_rows stops it there (--param max_rows=9 shows them all)',
    );
    expect(cutRowsNote(loadQuery('suspicious_logins'), { rows: rows(1000, 20_000_000) })).toBe(
      'note: showing 1,000 of 20,000,000 rows: max_rows stops it there (--param max_rows=10000000 shows the most it can)',
    );
    expect(cutRowsNote(loadQuery('failed_logins_by_ip'), { rows: rows(1000, 1200) })).toBe(
      'note: showing 1,000 of 1,200 rows: failed_logins_by_ip lists at most 1,000',
    );
    expect(cutRowsNote(loadQuery('suspicious_logins'), { rows: rows(9, 9) })).toBeUndefined();
    // A query that can keep either end says which it kept (review F-RESPOND2 5).
    expect(cutRowsNote(loadQuery('admin_changes'), { rows: rows(2, 9) }, { keep_rows: 'oldest' })).toBe(
      'note: showing 2 of 9 rows: max_rows stops it there, keeping the first in time (--param keep_rows=newest keeps the last) (--param max_rows=9 shows them all)',
    );
    expect(cutRowsNote(loadQuery('admin_changes'), { rows: rows(2, 9) }, { keep_rows: 'newest' })).toBe(
      'note: showing 2 of 9 rows: max_rows stops it there, keeping the last in time (--param max_rows=9 shows them all)',
    );
    expect(cutRowsNote(loadQuery('admin_changes'), { rows: rows(2, 9) }, { keep_rows: 'gravest' })).toBe(
      "note: showing 2 of 9 rows: max_rows stops it there, keeping each actor's gravest first (--param max_rows=9 shows them all)",
    );
  });

  it('finds the fixed LIMIT of latest_events only', () => {
    expect(QUERY_NAMES.filter((name) => fixedLimit(loadQuery(name)) !== undefined)).toEqual([
      'latest_events',
    ]);
  });
});

describe("query --help's note on max_rows", () => {
  it('names every catalog query that takes max_rows (review: user_activity was left out)', () => {
    const prose = queryHelp.replace(/\s+/g, ' ');
    const note = prose.slice(prose.indexOf('showing N of M rows:'), prose.indexOf('take --param max_rows'));
    const takers = QUERY_NAMES.filter((name) => loadQuery(name).params.includes('max_rows'));
    expect(takers).toContain('user_activity');
    for (const name of takers) expect(note, name).toContain(name);
  });
});
