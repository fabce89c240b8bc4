import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { portabilityWarnings } from '../../functions/cli/portable-sql.ts';
import { unboundedScanLine } from '../../functions/cli/unbounded-scan.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

/**
 * docs/operations.md "Offboarding a leaver" (helper OFFBOARD): the `--sql` a Domo admin copies from
 * the runbook, taken from the page as written, bounds every read and holds nothing the two engines
 * answer apart, and answers on a lake whose rows say what each step claims: the user by name, the
 * kinds of action they took, and the tokens they made with whoever deleted them.
 */
const docs = readFileSync(path.join(import.meta.dirname, '../../docs/operations.md'), 'utf8');
const section = docs.slice(
  docs.indexOf('\n## Offboarding a leaver\n'),
  docs.indexOf('\n## Handing over evidence\n'),
);
const [byName = '', kinds = '', tokens = ''] = [...section.matchAll(/--sql "([^"]*)"/g)].map(
  (m) => m[1] ?? '',
);

const LEAVER = '1457545519';
const chen = { user_id: LEAVER, user_name: 'Chen Novak' };
const admin = { user_id: '1111111111', user_name: 'Ada Admin' };
const token = (time: string, action: string, id: string, who: Record<string, string>) =>
  event(time, {
    ...who,
    action_type: action,
    object_type: 'ACCESS_TOKEN',
    object_id: id,
    object_name: `token ${id}`,
  });

const lake = useFixtureEngine('offboarding-', {
  instance: 'main',
  events: [
    event('2026-11-20 09:00:00', { ...chen, action_type: 'VIEWED', object_type: 'CARD', object_id: 'c1' }),
    event('2026-11-21 09:00:00', {
      ...chen,
      action_type: 'exported',
      object_type: 'DATA_SOURCE',
      object_id: 'd1',
    }),
    // An admin acting as the leaver: in the leaver's kinds (their name was used), as user_activity has it.
    event('2026-11-22 09:00:00', {
      ...chen,
      actor_id: admin.user_id,
      actor_name: admin.user_name,
      action_type: 'SHARED',
    }),
    // Two tokens of the leaver's: one an admin deleted, one still there; the admin's own is not theirs.
    token('2026-11-23 09:00:00', 'CREATED', 't1', chen),
    token('2026-11-24 09:00:00', 'DELETED', 't1', admin),
    token('2026-12-04 17:24:00', 'CREATED', 't2', chen),
    token('2026-12-01 09:00:00', 'CREATED', 't3', admin),
  ],
});
const run = async (sql: string) => (await lake.engine.runSql(sql, [])).rows;

describe('the offboarding runbook’s SQL, as docs/operations.md writes it', () => {
  it('is found on the page, bounded on dt, with nothing the engines answer apart', () => {
    for (const sql of [byName, kinds, tokens]) {
      expect(sql).toContain("instance = 'main'");
      expect(unboundedScanLine(sql)).toBe('');
      expect(portabilityWarnings(sql)).toEqual([]);
    }
  });

  it('finds the user by name', async () => {
    expect(await run(byName)).toEqual([{ user_id: LEAVER, user_name: 'Chen Novak' }]);
  });

  it('counts the kinds of action done in the user’s name, capitals whatever the spelling', async () => {
    const rows = await run(kinds);
    expect(rows.map((r) => [r.action, r.object_type, r.events])).toEqual(
      expect.arrayContaining([
        ['CREATED', 'ACCESS_TOKEN', 2],
        ['EXPORTED', 'DATA_SOURCE', 1],
        ['SHARED', 'CARD', 1],
        ['VIEWED', 'CARD', 1],
      ]),
    );
    expect(rows).toHaveLength(4);
  });

  it('lists the tokens the user made, each with its deletion by anyone, and no other token', async () => {
    expect(await run(tokens)).toEqual([
      {
        object_id: 't1',
        token: 'token t1',
        created: '2026-11-23 09:00:00.000',
        deleted: '2026-11-24 09:00:00.000',
        deleted_by: 'Ada Admin',
      },
      {
        object_id: 't2',
        token: 'token t2',
        created: '2026-12-04 17:24:00.000',
        deleted: null,
        deleted_by: null,
      },
    ]);
  });
});
