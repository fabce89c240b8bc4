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

// The period's own bounds are --from's and --to's (--param refuses them): a bound --param sets is
// one of the others, here trending_cards' previous period, by default from 2026-11-10.
describe('query --param with the timestamp of a bound', () => {
  it('reads the days a start timestamp set alone asks for, not only the default ones', async () => {
    const result = await run([
      'trending_cards',
      '--lake',
      lake,
      '--format',
      'json',
      '--param',
      'prev_from_ts=2026-11-09 00:00:00.000',
    ]);
    expect(result?.params).toMatchObject({
      prev_from_ts: '2026-11-09 00:00:00.000',
      prev_from_dt: '2026-11-09',
    });
    // Old's view on 2026-11-09 counts: the default's prev_from_dt, 2026-11-10, skipped its day.
    expect(result?.result.rows).toMatchObject([{ card_id: '100', views: 1, previous_views: 1 }]);
  });

  it('refuses a date that would cut what its timestamp asks for, as a usage error', async () => {
    const refused = run([
      'trending_cards',
      '--lake',
      lake,
      '--param',
      'prev_from_ts=2026-11-09 00:00:00.000',
      '--param',
      'prev_from_dt=2026-11-10',
    ]);
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow(
      'prev_from_dt=2026-11-10 leaves out rows prev_from_ts=2026-11-09 00:00:00.000',
    );
  });
});
