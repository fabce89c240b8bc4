/**
 * Review F-QUERYCLI 2: without --to, `query user_activity` ended its period at 00:00 UTC today, so
 * a responder in an incident did not see the hours the lake already held of today, and nothing
 * said so. user_activity now reads to the end of the lake's last hour; the queries that keep whole
 * days say how many covered hours they left out, and the --to that reads them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { event, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

const ada = { user_id: '7', user_name: 'Ada' };
const hours = (day: string, count: number) =>
  Array.from({ length: count }, (_, h) => manifest(`${day} ${String(h).padStart(2, '0')}:00`));

/** The lake covers 2026-11-23 whole and 2026-11-24 to 06:00; "now" is 2026-11-24 07:30 UTC. */
let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-last-hour-'));
  await writeFixtureLake(lake, {
    events: [event('2026-11-23 10:00:00', ada), event('2026-11-24 05:10:00', ada)],
    coverage: [...hours('2026-11-23', 24), ...hours('2026-11-24', 6)],
  });
});
afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

const now = () => Date.parse('2026-11-24T07:30:00Z');
const run = async (argv: string[]) => {
  const c = captureIo();
  await queryCommand([...argv, '--lake', lake, '--format', 'json'], { ...c.io, log: silentLog }, { now });
  return {
    rows: JSON.parse(c.stdout()) as Record<string, unknown>[],
    stderr: c.stderr().replace(/\s+/g, ' '),
  };
};

describe('query without --to, with hours of today in the lake', () => {
  it("user_activity reads to the end of the lake's last hour, and says so", async () => {
    const { rows, stderr } = await run(['user_activity', '--param', 'user_id=7']);
    expect(rows.map((row) => row.event_time)).toEqual([
      '2026-11-23T10:00:00.000Z',
      '2026-11-24T05:10:00.000Z',
    ]);
    expect(stderr).toContain(
      "note: without --to the period ends where the lake's hours do, 2026-11-24 06:00:00.000 UTC: its 6 covered hours since 00:00 UTC today are read",
    );
  });

  it("address_activity reads to the end of the lake's last hour too: an incident's pivot", async () => {
    const { rows, stderr } = await run(['address_activity', '--param', 'address=203.0.113.7']);
    expect(rows.map((row) => row.event_time)).toEqual([
      '2026-11-23T10:00:00.000Z',
      '2026-11-24T05:10:00.000Z',
    ]);
    expect(stderr).toContain("note: without --to the period ends where the lake's hours do");
  });

  it("user_addresses reads to the end of the lake's last hour too: today's addresses count", async () => {
    const { rows, stderr } = await run(['user_addresses', '--param', 'user_id=7']);
    expect(rows.map((row) => [row.ip_address, row.events, row.last_time])).toEqual([
      ['203.0.113.7', 2, '2026-11-24T05:10:00.000Z'],
    ]);
    expect(stderr).toContain("note: without --to the period ends where the lake's hours do");
  });

  it('user_activity with a --from of today and no --to reads its hours to the last one', async () => {
    const { rows, stderr } = await run([
      'user_activity',
      '--param',
      'user_id=7',
      '--from',
      '2026-11-24T05:00:00Z',
    ]);
    expect(rows.map((row) => row.event_time)).toEqual(['2026-11-24T05:10:00.000Z']);
    expect(stderr).toContain(
      "note: without --to the period ends where the lake's hours do, 2026-11-24 06:00:00.000 UTC: its 1 covered hour since 05:00 UTC today are read",
    );
    // Past the lake's last hour: nothing to read, the coverage note says why.
    const late = await run(['user_activity', '--param', 'user_id=7', '--from', '2026-11-24T07:00:00Z']);
    expect(late.rows).toEqual([]);
    expect(late.stderr).toContain('note: the lake covers 0 of the period');
  });

  it('user_activity with --to reads to it, with no note', async () => {
    const { rows, stderr } = await run(['user_activity', '--param', 'user_id=7', '--to', '2026-11-24']);
    expect(rows.map((row) => row.event_time)).toEqual(['2026-11-23T10:00:00.000Z']);
    expect(stderr).not.toContain('covered hours');
  });

  it('a query of whole days keeps them, and names the hours left out and the --to that reads them', async () => {
    const { rows, stderr } = await run(['most_active_users']);
    expect(rows.map((row) => row.events)).toEqual([1]);
    expect(stderr).toContain(
      'note: the lake covers 6 hours after the period (to 2026-11-24 06:00:00.000 UTC) that were not read: give --to 2026-11-24T06:00:00Z to read them',
    );
    const asked = await run(['most_active_users', '--to', '2026-11-24T06:00:00Z']);
    expect(asked.rows.map((row) => row.events)).toEqual([2]);
  });
});
