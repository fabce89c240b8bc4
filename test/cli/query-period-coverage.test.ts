import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { event, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

/** A lake that covers one day, 2026-11-17: every hour's manifest, and two events. */
let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-coverage-'));
  const hours = Array.from({ length: 24 }, (_, h) => manifest(`2026-11-17 ${String(h).padStart(2, '0')}:00`));
  await writeFixtureLake(lake, {
    events: [event('2026-11-17 09:00:00'), event('2026-11-17 10:00:00', { user_id: '2' })],
    coverage: hours,
  });
});
afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

const run = async (argv: string[]) => {
  const c = captureIo();
  await queryCommand(['period_totals', '--lake', lake, ...argv], { ...c.io, log: silentLog });
  return { stdout: c.stdout(), stderr: c.stderr() };
};

describe('query period_totals over hours the lake does not cover', () => {
  it("notes on stderr how many of the period's hours it covers: its totals count only those", async () => {
    const { stdout, stderr } = await run(['--from', '2026-11-16', '--to', '2026-11-18', '--format', 'csv']);
    // The rows stay bare for machines.
    expect(stdout).toBe(
      'events,active_users,logins,failed_logins,lockouts,distinct_objects\r\n2,2,0,0,0,1\r\n',
    );
    expect(stderr).toBe(
      "note: the lake covers 24 of the period's 48 hours: these totals count only those (query data_health with the same options shows the gaps)\n",
    );
  });

  it('says nothing when the lake covers every hour of the period', async () => {
    const { stdout, stderr } = await run(['--from', '2026-11-17', '--to', '2026-11-18']);
    expect(stdout).toContain(
      'period_totals (default) 2026-11-17 00:00:00.000 to 2026-11-18 00:00:00.000 UTC',
    );
    expect(stderr).toBe('');
  });
});
