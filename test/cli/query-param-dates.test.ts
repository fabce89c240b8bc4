import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-dates-'));
  await writeFixtureLake(lake, {
    events: [
      event('2026-11-18 10:00:00', { user_id: '1', user_name: 'Ada' }),
      event('2026-11-09 10:00:00', { user_id: '3', user_name: 'Old' }),
    ],
  });
});
afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

// The default period: 2026-11-17 to 2026-11-24.
const now = () => Date.parse('2026-11-24T15:00:00Z');
const run = (argv: string[]) => {
  const c = captureIo();
  return queryCommand(argv, { ...c.io, log: silentLog }, { now });
};

describe('query --param with a timestamp of the period', () => {
  it('reads the days a start timestamp set alone asks for, not only the default period', async () => {
    const result = await run([
      'most_active_users',
      '--lake',
      lake,
      '--format',
      'json',
      '--param',
      'from_ts=2026-11-09 00:00:00.000',
    ]);
    expect(result?.params).toMatchObject({ from_ts: '2026-11-09 00:00:00.000', from_dt: '2026-11-09' });
    expect(result?.result.rows.map((row) => row.user_name).sort()).toEqual(['Ada', 'Old']);
  });

  it('refuses a date that would cut what its timestamp asks for, as a usage error', async () => {
    const refused = run([
      'most_active_users',
      '--lake',
      lake,
      '--param',
      'from_ts=2026-11-09 00:00:00.000',
      '--param',
      'from_dt=2026-11-17',
    ]);
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow(
      'from_dt=2026-11-17 leaves out rows from_ts=2026-11-09 00:00:00.000',
    );
  });
});
