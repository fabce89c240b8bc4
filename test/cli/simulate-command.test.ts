import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateCommand } from '../../functions/cli/commands/simulate.ts';
import { main } from '../../functions/cli/main.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-simulate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The ingest command `simulate` prints for `flags`, from `ingest` on. */
async function printedIngest(flags: string[]): Promise<string> {
  const { io, stdout } = captureIo();
  await simulateCommand(
    ['--days', '1', '--users', '3', '--port', '0', ...flags],
    { ...io, log: silentLog },
    async () => {},
    () => false,
  );
  return /npx domo-activity-lake (ingest .*)\n/.exec(stdout())?.[1] ?? `no ingest command in: ${stdout()}`;
}

describe('simulate: the printed ingest command and the time zone of docString times', () => {
  it('passes --doc-time-zone when docString times are in a zone other than UTC', async () => {
    expect(
      await printedIngest(['--time-format', 'docString', '--doc-time-zone', 'America/New_York']),
    ).toMatch(/ --backfill-days 2 --doc-time-zone America\/New_York$/);
    expect(
      await printedIngest([
        '--to',
        '2026-11-20T10:30:00Z',
        '--time-format',
        'docString',
        '--doc-time-zone',
        'Asia/Calcutta',
      ]),
    ).toMatch(/ --to 2026-11-20T11:00:00Z --doc-time-zone Asia\/Kolkata$/);
  });

  it('leaves it out where the zone changes no time: UTC (under any name), epochMs and iso', async () => {
    for (const flags of [
      ['--time-format', 'docString'],
      ['--time-format', 'docString', '--doc-time-zone', 'Etc/GMT'],
      ['--time-format', 'epochMs', '--doc-time-zone', 'America/New_York'],
      ['--time-format', 'iso', '--doc-time-zone', 'America/New_York'],
    ]) {
      expect(await printedIngest(flags)).not.toContain('--doc-time-zone');
    }
  });

  it('prints a command that pulls every docString entry into their hours, none quarantined', async () => {
    const { io, stdout } = captureIo();
    let ingestOut = '';
    await simulateCommand(
      [
        '--days',
        '2',
        '--users',
        '3',
        '--port',
        '0',
        '--time-format',
        'docString',
        '--doc-time-zone',
        'America/New_York',
      ],
      { ...io, log: silentLog },
      async () => {
        const words = /npx domo-activity-lake (ingest .*)\n/.exec(stdout())?.[1]?.split(' ') ?? [];
        const lake = words.indexOf('--lake');
        expect(lake).toBeGreaterThan(0);
        words[lake + 1] = join(dir, 'sim-lake');
        const run = captureIo({ DOMO_CLIENT_ID: 'sim-client', DOMO_CLIENT_SECRET: 'sim-secret' });
        expect(await main(words, run.io), run.stderr()).toBe(0);
        ingestOut = run.stdout();
      },
    );
    expect(ingestOut).toMatch(/events written: [1-9]\d*/);
    expect(ingestOut).toMatch(/quarantined: 0\n/);
  });
});
