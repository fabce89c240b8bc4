/**
 * suspicious_logins' notes on the history its checks compare with (review: `0 rows` and nothing on
 * stderr for a week whose report said "27 of 40 users not judged"): how many of the period's users
 * had too little history, in the report's words, and that the lake holds none of it at all.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { judgesByHistory } from '../../functions/cli/history-notes.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { login, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

const ada = { user_id: '1', user_name: 'Ada', ip_country: 'US' };
const bo = { user_id: '2', user_name: 'Bo', ip_country: 'US' };

/**
 * The lake covers 2026-11-09 and 2026-11-10 whole (Ada signs in 10 times on the 10th, Bo once)
 * and 2026-11-20, where both sign in. Nothing before 2026-11-09.
 */
let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-history-notes-'));
  const history = Array.from({ length: 10 }, (_, h) =>
    login(`2026-11-10 ${String(h + 8).padStart(2, '0')}:00:00`, 'login', ada),
  );
  await writeFixtureLake(lake, {
    events: [
      ...history,
      login('2026-11-10 12:30:00', 'login', bo),
      login('2026-11-20 09:00:00', 'login', ada),
      login('2026-11-20 09:30:00', 'login', bo),
    ],
    coverage: ['2026-11-09', '2026-11-10', '2026-11-20'].flatMap((day) =>
      Array.from({ length: 24 }, (_, h) => manifest(`${day} ${String(h).padStart(2, '0')}:00`)),
    ),
  });
});
afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

const run = async (argv: string[]) => {
  const c = captureIo();
  await queryCommand(['suspicious_logins', ...argv, '--lake', lake], { ...c.io, log: silentLog });
  return { stdout: c.stdout(), stderr: c.stderr() };
};

describe('query suspicious_logins notes the history it judged by', () => {
  it('says how many users had too little history, in the report words, whatever the format', async () => {
    for (const format of ['table', 'csv', 'json']) {
      const { stderr } = await run(['--from', '2026-11-20', '--to', '2026-11-21', '--format', format]);
      expect(stderr).toBe(
        'note: 1 of 2 users who signed in had too little history (fewer than 10 logins in the 30 days before) to be judged by the new-country, new-network and unusual-hour checks.\n',
      );
    }
  });

  it('counts by the bar it ran with', async () => {
    const { stderr } = await run([
      '--from',
      '2026-11-20',
      '--to',
      '2026-11-21',
      '--param',
      'min_history_logins=1',
    ]);
    expect(stderr).toBe('');
  });

  it('says so when the lake holds none of the history', async () => {
    const none = await run(['--from', '2026-11-09', '--to', '2026-11-10', '--param', 'min_history_logins=1']);
    expect(none.stderr).toBe(
      'note: the lake holds none of the history before the period (2026-10-10 00:00:00.000 to 2026-11-09 00:00:00.000 UTC): the new-country, new-network and unusual-hour checks judged nobody. That history ends at --from for every sign-in of the period, not at each sign-in: alerts --since/--until judges each against the days just before it\n',
    );
  });

  // Review F-QUERYCLI 3: a wider window found fewer unusual sign-ins, and nothing said why.
  it('says a period longer than a week is judged against one history, and what judges each sign-in', async () => {
    const wide = await run(['--from', '2026-11-10', '--to', '2026-11-21', '--param', 'min_history_logins=1']);
    expect(wide.stderr.replace(/\s+/g, ' ')).toContain(
      'note: all 11 days of the period are judged against one history, 2026-10-11 00:00:00.000 to 2026-11-10 00:00:00.000 UTC, not each sign-in against its own 30 days before it: a wider period can find fewer unusual sign-ins; alerts --since/--until judges each sign-in against the days just before it',
    );
    const week = await run(['--from', '2026-11-14', '--to', '2026-11-21', '--param', 'min_history_logins=1']);
    expect(week.stderr).not.toContain('judged against one history');
  });

  it('is for suspicious_logins alone among the catalog queries', () => {
    expect(QUERY_NAMES.filter((name) => judgesByHistory(loadQuery(name)))).toEqual(['suspicious_logins']);
  });
});
