/**
 * `alerts --history-days`, `--min-history-logins` and `--max-speed-kmh`: the sign-in judging that
 * cdk.json's alerts.historyDays, minHistoryLogins and maxSpeedKmh set on the deployed function,
 * for a local run that reproduces its mail; checked against the same limits, and given again in
 * the command the message offers to list the alerts again.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { cliCommandAnywhere, shellWord } from '../../functions/cli/command-line.ts';
import { alertsHelp } from '../../functions/cli/commands/alerts.ts';
import { main } from '../../functions/cli/main.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../functions/core/time-units.ts';
import { record } from '../core/alerts/support/alert-fixtures.ts';
import { alertKindsListed, oneHourAlertsLake } from '../support/alerts-cli-lake.ts';
import { captureIo } from '../support/capture-io.ts';

const HOUR = Date.parse('2026-11-10T10:00:00Z');
const clock = { now: () => HOUR + 3 * HOUR_MS };
let dir: string;
/** One sign-in from Germany 40 days before the hour, then one from Brazil in it. */
let history: string;
/** Two sign-ins of one user 50 minutes apart, from Germany and from the Netherlands. */
let journey: string;

const signIn = (ms: number, country: string, ip: string) =>
  record({ category: 'login', event_time_ms: ms, ip_address: ip, ip_country: country });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-judging-'));
  history = join(dir, 'history');
  const before = HOUR - 40 * DAY_MS;
  await oneHourAlertsLake(history, HOUR, [signIn(HOUR + 20 * MINUTE_MS, 'BR', '198.51.100.9')]);
  await new FsObjectStore(history).put(
    activityKey('acme', before),
    encodeNdjsonGzip([signIn(before + 5 * MINUTE_MS, 'DE', '203.0.113.7')]),
  );
  journey = join(dir, 'journey');
  await oneHourAlertsLake(journey, HOUR, [
    signIn(HOUR + 5 * MINUTE_MS, 'DE', '203.0.113.7'),
    signIn(HOUR + 55 * MINUTE_MS, 'NL', '198.51.100.9'),
  ]);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const since = ['--since', new Date(HOUR).toISOString()];
const kinds = (lake: string, args: string[], out: string) =>
  alertKindsListed(lake, clock.now(), [...since, ...args], join(dir, out));

describe('alerts judges sign-ins as cdk.json sets the deployed function to', () => {
  it('--history-days and --min-history-logins decide whose new country counts', async () => {
    // One history sign-in is under the default 10, and 40 days back outside the default 30.
    expect(await kinds(history, [], 'h-default')).not.toContain('new_country');
    expect(await kinds(history, ['--min-history-logins', '1'], 'h-min')).not.toContain('new_country');
    expect(await kinds(history, ['--history-days', '45'], 'h-days')).not.toContain('new_country');
    const both = ['--history-days', '45', '--min-history-logins', '1'];
    expect(await kinds(history, both, 'h-both')).toContain('new_country');
  });

  it('--max-speed-kmh decides which journey is impossible', async () => {
    expect(await kinds(journey, [], 's-default')).not.toContain('impossible_travel');
    expect(await kinds(journey, ['--max-speed-kmh', '100'], 's-100')).toContain('impossible_travel');
  });

  it('is given again in the command the message offers to list the alerts it only counts', async () => {
    const out = join(dir, 'relist');
    const args = ['--max-speed-kmh', '100', '--history-days', '45', '--mail-older-than', '1'];
    await alertKindsListed(journey, clock.now(), args, out);
    const txt = await readFile(join(out, 'alerts.txt'), 'utf8');
    expect(txt).toContain(
      `${cliCommandAnywhere()} alerts --lake ${shellWord(journey)} --instance acme --history-days 45 --max-speed-kmh 100\n`,
    );
  });

  it.each([
    [
      '--history-days',
      '91',
      /--history-days "91" must be a whole number from 1 to 90 \(days of sign-in history/,
    ],
    ['--history-days', '0', /--history-days "0" must be a whole number from 1 to 90/],
    ['--min-history-logins', '10001', /--min-history-logins "10001" must be a whole number from 1 to 10000/],
    ['--max-speed-kmh', '99', /--max-speed-kmh "99" must be a whole number from 100 to 20000 \(fastest/],
    ['--max-speed-kmh', 'fast', /--max-speed-kmh "fast" must be a whole number from 100 to 20000/],
  ])(
    'refuses %s %s with a usage error naming the flag and its range (exit 2)',
    async (flag, value, message) => {
      const { io, stderr } = captureIo();
      expect(await main(['alerts', '--lake', journey, flag, value], { ...io, clock })).toBe(2);
      expect(stderr()).toMatch(message);
      expect(stderr()).not.toMatch(/historyDays|minHistoryLogins|maxSpeedKmh|alert setting/);
    },
  );

  it('lists them in the help, with their cdk.json keys, within 80 columns', () => {
    expect(alertsHelp).toMatch(/^ {2}--history-days <n> +days of sign-in history/m);
    expect(alertsHelp).toMatch(/^ {2}--min-history-logins <n>$/m);
    expect(alertsHelp).toMatch(/^ {2}--max-speed-kmh <n> +fastest plausible journey/m);
    const flat = alertsHelp.replace(/\s+/g, ' ');
    expect(flat).toContain("as cdk.json's alerts.historyDays (default 30, 1 to 90)");
    expect(flat).toContain('alerts.minHistoryLogins (default 10, 1 to 10000)');
    expect(flat).toContain('as alerts.maxSpeedKmh (default 1000, 100 to 20000)');
    expect(alertsHelp.split('\n').filter((line) => line.length > 80)).toEqual([]);
  });
});
