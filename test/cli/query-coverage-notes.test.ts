import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { RANKED_QUERIES } from '../../functions/cli/query-notes.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { event, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

const hours = (day: string, from = 0) =>
  Array.from({ length: 24 - from }, (_, h) => manifest(`${day} ${String(from + h).padStart(2, '0')}:00`));

/**
 * A lake that starts on 2026-11-17 at 06:00 (18 of that day's 24 hours) and covers 2026-11-18 and
 * 2026-11-19 whole. Card 100 is viewed twice on the 17th, 3 times on the 18th, 4 times on the 19th. Ada (1) and Bo (2) have as many events in each period,
 * Cy (3) fewer.
 */
let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-coverage-notes-'));
  const ada = { user_id: '1', user_name: 'Ada' };
  const bo = { user_id: '2', user_name: 'Bo' };
  const cy = { user_id: '3', user_name: 'Cy' };
  await writeFixtureLake(lake, {
    events: [
      event('2026-11-17 10:00:00', ada),
      event('2026-11-17 11:00:00', bo),
      event('2026-11-18 09:00:00', ada),
      event('2026-11-18 10:00:00', bo),
      event('2026-11-18 11:00:00', cy),
      event('2026-11-19 09:00:00', ada),
      event('2026-11-19 10:00:00', ada),
      event('2026-11-19 11:00:00', bo),
      event('2026-11-19 12:00:00', bo),
    ],
    coverage: [...hours('2026-11-17', 6), ...hours('2026-11-18'), ...hours('2026-11-19')],
  });
});
afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

const run = async (argv: string[]) => {
  const c = captureIo();
  const result = await queryCommand([...argv, '--lake', lake], { ...c.io, log: silentLog });
  return { stdout: c.stdout(), stderr: c.stderr(), result };
};

describe('query trending_cards against a previous period the lake covers in part', () => {
  const partly = ['trending_cards', '--from', '2026-11-18', '--to', '2026-11-19'];

  it('notes its hours covered and leaves the change out of the table, as the report does', async () => {
    const { stdout, stderr } = await run(partly);
    expect(stdout).toMatch(/card_id +card_name +views +previous_views +rank\n/);
    expect(stdout).not.toContain('change');
    expect(stderr).toBe(
      [
        "note: the lake covers 18 of the previous period's 24 hours (2026-11-17 00:00:00.000 to 2026-11-18 00:00:00.000 UTC): previous_views count only those",
        'note: no change shown (change, change_pct left out): the previous period is not wholly in the lake, so the two do not compare like with like',
        '',
      ].join('\n'),
    );
  });

  it('keeps the rows bare in CSV and JSON, saying on stderr that the change does not compare', async () => {
    const csv = await run([...partly, '--format', 'csv']);
    expect(csv.stdout).toBe(
      'card_id,card_name,views,previous_views,change,change_pct,rank\r\n100,Revenue,3,2,1,50,1\r\n',
    );
    expect(csv.stderr).toContain(
      'note: change, change_pct do not compare like with like: the previous period is not wholly in the lake\n',
    );
    const json = await run([...partly, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ change: 1, change_pct: 50 })]);
    expect(json.stderr).toBe(csv.stderr);
  });

  it('says the period itself is partial when it is, and shows no change then either', async () => {
    const { stdout, stderr } = await run(['trending_cards', '--from', '2026-11-19', '--to', '2026-11-21']);
    expect(stdout).not.toContain('change');
    expect(stderr).toContain(
      "note: the lake covers 24 of the period's 48 hours: its rows count only those (query data_health with the same options shows the gaps)",
    );
    expect(stderr).toContain("the lake covers 42 of the previous period's 48 hours");
    expect(stderr).toContain(
      'no change shown (change, change_pct left out): neither period is wholly in the lake',
    );
  });

  it('shows the change and says nothing when both periods are wholly in the lake', async () => {
    const { stdout, stderr } = await run(['trending_cards', '--from', '2026-11-19', '--to', '2026-11-20']);
    expect(stdout).toMatch(/card_id +card_name +views +previous_views +change +change_pct +rank\n/);
    expect(stdout).toMatch(/100 +Revenue +4 +3 +1 +33\.33 +1\n/);
    expect(stderr).toBe('');
  });
});

describe('catalog queries over a period the lake covers in part', () => {
  it.each(['most_active_users', 'popular_pages', 'failed_logins_by_ip'])(
    '%s notes the hours covered',
    async (name) => {
      const { stderr } = await run([name, '--from', '2026-11-17', '--to', '2026-11-19', '--format', 'json']);
      expect(stderr).toBe(
        "note: the lake covers 42 of the period's 48 hours: its rows count only those (query data_health with the same options shows the gaps)\n",
      );
    },
  );

  it('not data_health or daily_activity, whose rows count the hours covered themselves', async () => {
    for (const name of ['data_health', 'daily_activity']) {
      const { stderr } = await run([name, '--from', '2026-11-17', '--to', '2026-11-19']);
      expect(stderr).toBe('');
    }
  });
});

describe('ranked queries cut at their limit', () => {
  it('say when rows beyond the last shown tie with it, and show no more rows than the limit', async () => {
    const period = ['--from', '2026-11-19', '--to', '2026-11-20'];
    const { stdout, stderr, result } = await run([
      'most_active_users',
      ...period,
      '--limit',
      '1',
      '--format',
      'json',
    ]);
    expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ user_id: '1', events: 2 })]);
    expect(result?.result.rows).toHaveLength(1);
    expect(result?.params.limit).toBe('1');
    expect(stderr).toBe(
      'note: more users than the 1 shown have 2 events, as many as the last shown: ties are cut by user_id (a larger --limit shows them)\n',
    );
  });

  it('say nothing when the next row ranks lower', async () => {
    const period = ['--from', '2026-11-18', '--to', '2026-11-20'];
    const { stdout, stderr } = await run(['most_active_users', ...period, '--limit', '2', '--format', 'csv']);
    expect(stdout.split('\r\n').filter((l) => l !== '')).toHaveLength(3);
    expect(stderr).toBe('');
  });

  it('take the largest --limit, though they fetch one row more', async () => {
    const period = ['--from', '2026-11-18', '--to', '2026-11-20'];
    const { stdout, stderr, result } = await run([
      'most_active_users',
      ...period,
      '--limit',
      '10000',
      '--format',
      'csv',
    ]);
    expect(stderr).toBe('');
    expect(result?.params.limit).toBe('10000');
    expect(stdout.split('\r\n').filter((l) => l !== '').length).toBeGreaterThan(1);
  });

  it('covers every ranked query of the catalog', () => {
    // A query cut at its limit per kind of row tells each row how many its kind had (`kind_rows`):
    // the cut is in its rows, not for the note on ties to tell.
    const ranked = QUERY_NAMES.filter((name) => {
      const query = loadQuery(name);
      return query.params.includes('limit') && !query.columns.includes('kind_rows');
    });
    expect([...RANKED_QUERIES].sort()).toEqual(ranked);
  });
});
