/**
 * `alerts --spray-users`: the password spray threshold (distinct users failing from one IP within
 * --burst-minutes) for a local run, checked against the setting's limits, and repeated in the
 * command the message gives to list the alerts again.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommandAnywhere, shellWord } from '../../functions/cli/command-line.ts';
import { alertsHelp, alertsTable } from '../../functions/cli/commands/alerts.ts';
import { main } from '../../functions/cli/main.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { alertOf, record } from '../core/alerts/support/alert-fixtures.ts';
import { alertKindsListed, oneHourAlertsLake } from '../support/alerts-cli-lake.ts';
import { captureIo } from '../support/capture-io.ts';

const HOUR = Date.parse('2026-11-10T10:00:00Z');
let dir: string;
let lake: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-spray-'));
  lake = join(dir, 'lake');
  // Six users, one failed login each, from one address within six minutes: a spray of six.
  const failures = Array.from({ length: 6 }, (_, i) =>
    record({
      category: 'login_failed',
      event_time_ms: HOUR + (5 + i) * 60_000,
      user_id: `u${i}`,
      user_name: `User ${i}`,
      ip_address: '203.0.113.7',
    }),
  );
  await oneHourAlertsLake(lake, HOUR, failures);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const clock = { now: () => HOUR + 3 * HOUR_MS };
const kinds = (args: string[], out: string) => alertKindsListed(lake, clock.now(), args, out);

describe('alerts --spray-users', () => {
  it('sets how many users failing from one IP make a password spray', async () => {
    // Six users are under the default of 10.
    expect(await kinds([], join(dir, 'out-default'))).not.toContain('password_spray');
    expect(await kinds(['--spray-users', '6'], join(dir, 'out-6'))).toEqual(['password_spray']);
    expect(await kinds(['--spray-users', '7'], join(dir, 'out-7'))).not.toContain('password_spray');
  });

  it('is given again in the command the message offers to list the alerts it only counts', async () => {
    const out = join(dir, 'out-relist');
    await kinds(['--spray-users', '6', '--mail-older-than', '1'], out);
    const txt = await readFile(join(out, 'alerts.txt'), 'utf8');
    expect(txt).toContain(
      `${cliCommandAnywhere()} alerts --lake ${shellWord(lake)} --instance acme --spray-users 6\n`,
    );
  });

  it.each([
    [
      '1',
      /--spray-users "1" must be a whole number from 2 to 1000 \(users failing to sign in from one address that make a password spray\)/,
    ],
    ['1001', /--spray-users "1001" must be a whole number from 2 to 1000/],
    ['ten', /--spray-users "ten" must be a whole number from 2 to 1000/],
  ])(
    'refuses --spray-users %s with a usage error naming the flag and its range (exit 2)',
    async (value, message) => {
      const { io, stderr } = captureIo();
      expect(await main(['alerts', '--lake', lake, '--spray-users', value], { ...io, clock })).toBe(2);
      expect(stderr()).toMatch(message);
      expect(stderr()).not.toMatch(/sprayUsers|alert setting/);
    },
  );

  it('is in the help, within 80 columns', () => {
    expect(alertsHelp).toMatch(
      /^ {2}--spray-users <n> +users failing from one IP within --burst-minutes that$/m,
    );
    expect(alertsHelp).toMatch(/make a password spray \(default 10, 2 to 1000\)$/m);
    expect(alertsHelp.split('\n').filter((line) => line.length > 80)).toEqual([]);
  });

  it('names a spray\'s users in the table as the mail does, "many users", not an unknown one', () => {
    const spray = alertOf({
      kind: 'password_spray',
      user_id: null,
      user_name: null,
      evidence:
        'failed logins of 10 users (10 failures) within 10 minutes (03:53 to 03:55 UTC) from IP 203.0.113.7',
    });
    const [, row] = alertsTable([spray], 'UTC').split('\n');
    expect(row).toMatch(/ password spray +many users +failed logins of 10 users /);
    expect(row).not.toMatch(/unknown user/);
  });
});
