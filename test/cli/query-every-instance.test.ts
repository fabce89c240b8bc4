import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

// A lake of two instances: latest_events lists both, the other queries read one.
let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-every-instance-'));
  await writeFixtureLake(lake, {
    instance: 'acme',
    events: [event('2026-11-20 09:00:00', { user_name: 'Ada' })],
  });
  await writeFixtureLake(lake, {
    instance: 'beta',
    events: [event('2026-11-21 09:00:00', { user_name: 'Bo' })],
  });
});
afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

const now = () => Date.parse('2026-11-24T15:00:00Z');
const run = async (argv: string[]) => {
  const c = captureIo();
  const outcome = await queryCommand(argv, { ...c.io, log: silentLog }, { now }).then(
    (result) => ({ result, error: undefined }),
    (error: Error) => ({ result: undefined, error }),
  );
  return { ...c, ...outcome };
};

it('latest_events lists every instance of a lake of several, with no --instance asked for', async () => {
  const { result, error, stdout } = await run(['latest_events', '--lake', lake, '--from', '2026-11-01']);
  expect(error).toBeUndefined();
  expect(result?.result.rows.map((row) => [row.instance, row.user_name])).toEqual([
    ['beta', 'Bo'],
    ['acme', 'Ada'],
  ]);
  expect(stdout().split('\n')[0]).toMatch(/^latest_events \(all instances\) /);
});

it('refuses --instance for latest_events rather than ignore it (exit 2)', async () => {
  const { error } = await run(['latest_events', '--lake', lake, '--instance', 'acme']);
  expect(error?.name).toBe('UsageError');
  expect(error?.message).toBe(
    'latest_events takes no --instance: it lists every instance of the lake, each row naming its own; leave --instance out (it takes: from_dt)',
  );
});

it('still asks which instance for a query of one', async () => {
  const { error } = await run(['most_active_users', '--lake', lake]);
  expect(error?.message).toMatch(/holds instances acme, beta: pass --instance <name>/);
  const { result } = await run(['most_active_users', '--lake', lake, '--instance', 'beta']);
  expect(result?.result.rows.map((row) => row.user_name)).toEqual(['Bo']);
});

it('names the instance in a last column of CSV and JSON of a lake of several (review R-MULTI L6)', async () => {
  const base = ['most_active_users', '--lake', lake, '--from', '2026-11-01', '--to', '2026-11-23'];
  const csv = await run([...base, '--instance', 'beta', '--format', 'csv']);
  const [header, row] = csv.stdout().split('\r\n');
  expect(header?.split(',').at(-1)).toBe('instance');
  expect(row?.split(',').at(-1)).toBe('beta');
  const json = await run([...base, '--instance', 'acme', '--format', 'json']);
  const rows = JSON.parse(json.stdout()) as Record<string, unknown>[];
  expect(rows.map((r) => [r.user_name, r.instance])).toEqual([['Ada', 'acme']]);
  expect(Object.keys(rows[0] ?? {}).at(-1)).toBe('instance');
  // The table's title names it already; latest_events has its own column.
  const table = await run([...base, '--instance', 'acme']);
  expect(table.stdout().split('\n')[2]).toMatch(/^user_id +user_name .*last_seen$/);
});
