/**
 * `alerts --failures-before-login`: how many failed logins of a user in the hour before a sign-in
 * of theirs make it a `login_after_failures` alert, for a local run; checked against the setting's
 * limits and repeated in the command the message gives to list the alerts again.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommandAnywhere, shellWord } from '../../functions/cli/command-line.ts';
import { alertsHelp } from '../../functions/cli/commands/alerts.ts';
import { main } from '../../functions/cli/main.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { record } from '../core/alerts/support/alert-fixtures.ts';
import { alertKindsListed, oneHourAlertsLake } from '../support/alerts-cli-lake.ts';
import { captureIo } from '../support/capture-io.ts';

const HOUR = Date.parse('2026-11-10T10:00:00Z');
let dir: string;
let lake: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-after-failures-'));
  lake = join(dir, 'lake');
  // Three failed logins of one user, then their sign-in from the same address: under the default 4.
  const user = { user_id: 'u7', user_name: 'User Seven', ip_address: '203.0.113.7' };
  const events = [
    ...Array.from({ length: 3 }, (_, i) =>
      record({ ...user, category: 'login_failed', event_time_ms: HOUR + (5 + i) * 60_000 }),
    ),
    record({ ...user, category: 'login', event_time_ms: HOUR + 10 * 60_000 }),
  ];
  await oneHourAlertsLake(lake, HOUR, events);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const clock = { now: () => HOUR + 3 * HOUR_MS };
const kinds = (args: string[], out: string) => alertKindsListed(lake, clock.now(), args, out);

describe('alerts --failures-before-login', () => {
  it('sets how many failed logins before a sign-in make it an alert', async () => {
    expect(await kinds([], join(dir, 'out-default'))).not.toContain('login_after_failures');
    expect(await kinds(['--failures-before-login', '3'], join(dir, 'out-3'))).toEqual([
      'login_after_failures',
    ]);
  });

  it('is given again in the command the message offers to list the alerts it only counts', async () => {
    const out = join(dir, 'out-relist');
    await kinds(['--failures-before-login', '3', '--mail-older-than', '1'], out);
    const txt = await readFile(join(out, 'alerts.txt'), 'utf8');
    expect(txt).toContain(
      `${cliCommandAnywhere()} alerts --lake ${shellWord(lake)} --instance acme --failures-before-login 3\n`,
    );
  });

  it('refuses a value out of its range with a usage error naming the flag (exit 2)', async () => {
    const { io, stderr } = captureIo();
    expect(await main(['alerts', '--lake', lake, '--failures-before-login', '1'], { ...io, clock })).toBe(2);
    expect(stderr()).toMatch(/--failures-before-login "1" must be a whole number from 2 to 1000/);
  });

  it('is in the help, within 80 columns', () => {
    expect(alertsHelp).toMatch(/^ {2}--failures-before-login <n>$/m);
    expect(alertsHelp).toMatch(/\(default 4,\n +2 to 1000; a lockout in that hour always does\)$/m);
    expect(alertsHelp.split('\n').filter((line) => line.length > 80)).toEqual([]);
  });
});
