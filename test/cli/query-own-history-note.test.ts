/**
 * bulk_data_movement over a history the lake holds none of (a period in the lake's first days, or
 * before them) judges nobody: `0 rows` and nothing on stderr read as "nobody moved much", and a
 * hunter asking for last month missed the leaver's exports (review HUNTER 1).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { event, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

const chen = { user_id: '1', user_name: 'Chen' };
const exported = (time: string, id: string) =>
  event(time, { ...chen, action_type: 'EXPORTED', object_type: 'PAGE', object_id: id });

/** The lake covers 2026-11-09 and 2026-11-20 whole: Chen views on the 9th, exports 5 pages on the 20th. */
let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-own-history-note-'));
  await writeFixtureLake(lake, {
    events: [
      event('2026-11-09 10:00:00', chen),
      ...['1', '2', '3', '4', '5'].map((id) => exported(`2026-11-20 07:0${id}:00`, id)),
    ],
    coverage: ['2026-11-09', '2026-11-20'].flatMap((day) =>
      Array.from({ length: 24 }, (_, h) => manifest(`${day} ${String(h).padStart(2, '0')}:00`)),
    ),
  });
});
afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

const run = async (argv: string[]) => {
  const c = captureIo();
  await queryCommand(['bulk_data_movement', ...argv, '--lake', lake, '--format', 'json'], {
    ...c.io,
    log: silentLog,
  });
  return { rows: JSON.parse(c.stdout()) as { user_id: string }[], stderr: c.stderr() };
};

const NONE_HELD =
  'note: the lake holds none of the history before the period (2026-10-10 00:00:00.000 to 2026-11-09 00:00:00.000 UTC): bulk_data_movement judges each user against their own history, so it judged nobody';

describe('query bulk_data_movement notes a history the lake holds none of', () => {
  it('says nobody was judged, and where to look instead', async () => {
    // "Last month": the lake holds not one hour of the 30 days before 2026-11-09, its first day.
    const { rows, stderr } = await run(['--from', '2026-11-09', '--to', '2026-11-21']);
    expect(rows).toEqual([]);
    expect(stderr.replace(/\s+/g, ' ')).toContain(
      `${NONE_HELD}; give a --from the lake holds days before, or query data_movement for the period's moves`,
    );
  });

  it('says nothing of it when the lake holds some of the history', async () => {
    const { rows, stderr } = await run(['--from', '2026-11-20', '--to', '2026-11-21']);
    expect(rows.map((r) => r.user_id)).toEqual(['1']);
    expect(stderr).not.toContain('holds none of the history');
  });
});
