/**
 * `report --alerts-history-days`, `--alerts-min-history-logins`, `--alerts-max-speed-kmh`: the
 * alerts' own sign-in judging (cdk.json's alerts.historyDays, minHistoryLogins, maxSpeedKmh), which
 * the deployed report's note states (REPORT_ALERTS_ENABLED `h/m/s`), for a local report that
 * reproduces the deployed one; checked against the limits synth checks the keys by.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportHelp } from '../../functions/cli/commands/report.ts';
import { main } from '../../functions/cli/main.ts';
import { sharedKnownLake } from '../report/known-lake.ts';
import { captureIo } from '../support/capture-io.ts';
import { textWords } from '../support/text-part.ts';

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-report-judging-'));
  lake = (await sharedKnownLake()).lakeDir;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const report = (out: string, ...more: string[]) => [
  'report',
  '--lake',
  lake,
  '--out',
  out,
  '--instance',
  'acme',
  '--week',
  '2026-W47',
  ...more,
];

describe("report states the alerts' judging it is given", () => {
  it('in the note and the model, as the deployed report does', async () => {
    const out = join(dir, 'out');
    const { io, stderr } = captureIo();
    const judging = ['--alerts-history-days', '60', '--alerts-min-history-logins', '5'];
    const code = await main(report(out, '--alerts-enabled', ...judging, '--alerts-max-speed-kmh', '900'), io);
    expect(code, stderr()).toBe(0);
    const model = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(model.securityAlerts).toEqual({
      historyDays: 30,
      alertHistoryDays: 60,
      minHistoryLogins: { alerts: 5, report: 10 },
      maxSpeedKmh: { alerts: 900, report: 1000 },
    });
    const text = textWords(await readFile(join(out, 'report.txt'), 'utf8'));
    expect(text).toContain('Security alerts judge each hour against the 60 days before that hour');
    expect(text).toContain('call a journey faster than 900 km/h impossible (this report: 1,000 km/h)');
  });

  it.each([
    [
      ['--alerts-history-days', '91'],
      /--alerts-history-days "91" must be a whole number from 1 to 90 \(days of/,
    ],
    [
      ['--alerts-min-history-logins', '0'],
      /--alerts-min-history-logins "0" must be a whole number from 1 to 10000/,
    ],
    [
      ['--alerts-max-speed-kmh', '20001'],
      /--alerts-max-speed-kmh "20001" must be a whole number from 100 to 20000/,
    ],
  ])('refuses %j with a usage error naming the option and its range (exit 2)', async (args, message) => {
    const { io, stderr } = captureIo();
    const out = join(dir, 'refused');
    expect(await main(report(out, '--alerts-enabled', ...args), io)).toBe(2);
    expect(stderr()).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses them without --alerts-enabled, which they would be dropped unsaid without', async () => {
    const { io, stderr } = captureIo();
    expect(await main(report(join(dir, 'refused'), '--alerts-max-speed-kmh', '900'), io)).toBe(2);
    expect(stderr()).toContain(
      '--alerts-max-speed-kmh is the judging of the security alerts, which the report states only when they run: add --alerts-enabled',
    );
  });

  it('lists them in the help, with their cdk.json keys and ranges', () => {
    expect(reportHelp).toMatch(/^ {2}--alerts-history-days <n>$/m);
    const flat = reportHelp.replace(/\s+/g, ' ');
    expect(flat).toContain('alerts.historyDays (default 30, 1 to 90)');
    expect(flat).toContain(
      '--alerts-min-history-logins <n> ...alerts.minHistoryLogins (default 10, 1 to 10000)',
    );
    expect(flat).toContain('--alerts-max-speed-kmh <n> ...alerts.maxSpeedKmh (default 1000, 100 to 20000)');
    expect(reportHelp.split('\n').filter((line) => line.length > 80)).toEqual([]);
  });
});
