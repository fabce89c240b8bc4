/**
 * After its table, `alerts` gives the catalog queries that take the most serious alert to its
 * events (alerts-next-steps.ts): the user's timeline, the doer's changes or exports, the user's
 * addresses and the alert's address, over the UTC days around it, each runnable as printed. Until
 * 2026-12-07 the table ended with the message's path, and the on-call copied the user's id and the
 * address out of the evidence by hand (review ALERTIR).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { nextStepCommands } from '../../functions/cli/alerts-next-steps.ts';
import { cliCommand } from '../../functions/cli/command-line.ts';
import { evaluateLocalAlerts, localDigFurther } from '../../functions/cli/commands/alerts.ts';
import { main } from '../../functions/cli/main.ts';
import { ALERT_KINDS } from '../../functions/core/alerts/alert.ts';
import { NEXT_STEPS_SECTION } from '../../functions/core/alerts/next-steps.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../functions/core/queries/alert-settings.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { alertOf, record } from '../core/alerts/support/alert-fixtures.ts';
import { oneHourAlertsLake } from '../support/alerts-cli-lake.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';

const HOUR = Date.parse('2026-11-10T23:00:00Z');
const clock = clockFrom(HOUR + 3 * HOUR_MS);

/** The words bash reads from a command line the CLI printed (paths quoted as it quotes them). */
const shellWords = (line: string): string[] =>
  execFileSync('bash', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' })
    .split('\0')
    .slice(0, -1);

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alerts-next-'));
  lake = join(dir, 'lake');
  // Ann is locked out from a client behind a proxy; the lockout is the run's only alert.
  const from = '10.0.0.9, 3.3.3.3';
  const user = { user_id: '4242', user_name: 'Ann Lee', ip_address: from };
  await oneHourAlertsLake(lake, HOUR, [
    record({ ...user, category: 'login_failed', event_time_ms: HOUR + 5 * 60_000 }),
    record({ ...user, category: 'login_failed', event_time_ms: HOUR + 6 * 60_000 }),
    record({ ...user, category: 'lockout', event_time_ms: HOUR + 7 * 60_000 }),
  ]);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('alerts: the queries after the table', () => {
  it.each([
    ['UTC', '2026-11-10 23:07 UTC'],
    ['Europe/Berlin', '2026-11-11 00:07 +01:00'],
  ])('names the most serious alert and gives queries that run as printed (%s)', async (zone, at) => {
    const { io, stdout, stderr } = captureIoAt(clock);
    const args = ['alerts', '--lake', lake, '--out', join(dir, `out-${zone.replace('/', '-')}`)];
    expect(await main([...args, '--time-zone', zone], io), stderr()).toBe(0);
    const text = stdout();
    expect(text.replace(/\s+/g, ' ')).toContain(
      `dig further: the most serious alert is the lockout of Ann Lee (4242) at ${at}; its events from the UTC day before it to the day after:`,
    );
    expect(text).toContain(`then see docs/operations.md, "${NEXT_STEPS_SECTION}"`);
    const prefix = `  ${cliCommand()} `;
    const commands = text.split('\n').filter((line) => line.startsWith(prefix));
    expect(commands.map((line) => shellWords(line.slice(prefix.length)).slice(0, 2).join(' '))).toEqual([
      'query user_activity',
      'query user_addresses',
      'query address_activity',
    ]);
    // The UTC days around the alert's (23:07 UTC on the 10th: the 11th in Berlin), the client entry
    // of the proxy's list, the table's zone for the timeline's local_time.
    expect(commands[0]).toContain('--param user_id=4242');
    expect(commands[0]).toContain('--from 2026-11-09 --to 2026-11-12');
    expect(commands[2]).toContain('--param address=3.3.3.3 ');
    // Every query that takes a zone gets the table's, so its local times read as the table's do.
    for (const line of commands) {
      const name = shellWords(line.slice(prefix.length))[1] ?? '';
      const zoned = loadQuery(name).params.includes('time_zone') && zone !== 'UTC';
      expect(line.includes(`--time-zone ${zone}`), line).toBe(zoned);
    }
    // The message says the same, its commands as the table's, for a reader away from the terminal.
    const message = readFileSync(join(dir, `out-${zone.replace('/', '-')}`, 'alerts.txt'), 'utf8');
    // A command's line, not a sentence wrapped at "query" (`The query below gives times in UTC`).
    const sent = message.split('\n').filter((line) => / query \w+ --param /.test(line));
    expect(sent.map((line) => line.slice(line.indexOf(' query ') + 1))).toEqual(
      commands.map((line) => line.slice(prefix.length)),
    );
    expect(message.replace(/\s+/g, ' ')).toContain(
      'Next steps: the most serious alert is the lockout of Ann Lee (4242)',
    );
    for (const line of commands) {
      const run = captureIoAt(clock);
      const words = shellWords(line.slice(prefix.length));
      expect(await main(words, run.io), `${line}\n${run.stderr()}`).toBe(0);
      // Each finds the lockout's events: Ann's, from the proxied client.
      expect(run.stdout(), line).toContain('3.3.3.3');
      expect(run.stdout(), line).not.toMatch(/\n0 rows in/);
    }
  });

  it("names the doer's own acts for a privileged change or a bulk export, and a spray's network", () => {
    const target = { lakeDir: '/lake', instance: 'acme', timeZone: 'UTC' };
    const at = { event_time_ms: Date.parse('2026-11-10T12:00:00Z'), user_id: '7', ip_address: '5.6.7.8' };
    const names = (fields: Parameters<typeof alertOf>[0]) =>
      nextStepCommands(alertOf({ ...at, ...fields }), target).map((words) => `${words[1]} ${words[3]}`);
    expect(names({ kind: 'privileged_change' })).toEqual([
      'user_activity user_id=7',
      'admin_changes doer_id=7',
      'user_addresses user_id=7',
      'address_activity address=5.6.7.8',
    ]);
    expect(names({ kind: 'bulk_export' })).toContain('data_movement doer_id=7');
    // A sign-in: the user's other sign-ins, judged as the alerts judge them.
    for (const kind of ['new_country', 'impossible_travel', 'login_after_failures'] as const) {
      expect(names({ kind }), kind).toEqual([
        'user_activity user_id=7',
        'suspicious_logins doer_id=7',
        'user_addresses user_id=7',
        'address_activity address=5.6.7.8',
      ]);
    }
    // A spray is about its address or network, not a user.
    expect(names({ kind: 'password_spray', spray_key: 'OWNER AS14061' })).toEqual([
      'address_activity asn=14061',
    ]);
    expect(names({ kind: 'password_spray', spray_key: 'NET 178.62.10.0/24' })).toEqual([
      'address_activity address=178.62.10.0/24',
    ]);
    // An address text naming no address gives no address query (address_activity would refuse it).
    expect(names({ kind: 'lockout', ip_address: 'unknown' })).toEqual([
      'user_activity user_id=7',
      'user_addresses user_id=7',
    ]);
    // Outside UTC, every query that takes a zone is given the table's.
    const berlin = { ...target, timeZone: 'Europe/Berlin' };
    for (const kind of ['privileged_change', 'new_country'] as const) {
      for (const words of nextStepCommands(alertOf({ ...at, kind }), berlin)) {
        const { params } = loadQuery(words[1] ?? '');
        const zoned = params.includes('time_zone');
        // Each --param a parameter the query takes.
        expect(params).toContain(words[3]?.split('=')[0]);
        expect(words.join(' ').endsWith('--time-zone Europe/Berlin'), words.join(' ')).toBe(zoned);
      }
    }
    // A lake in S3: the queries run on Athena.
    const s3 = nextStepCommands(alertOf({ ...at, kind: 'lockout' }), { ...target, lakeDir: undefined });
    expect(s3[0]).toContain('--athena');
    expect(s3[0]).not.toContain('--lake');
  });
});

describe("the next steps' suspicious_logins, judged as the alerts were", () => {
  /** Settings other than the defaults (the query's own): 14 days of history, 5 sign-ins, 800 km/h. */
  const judging = { historyDays: 14, minHistoryLogins: 5, maxSpeedKmh: 800 };
  const at = { event_time_ms: Date.parse('2026-11-10T12:00:00Z'), user_id: '7', ip_address: '5.6.7.8' };
  const target = { lakeDir: '/lake', instance: 'acme', timeZone: 'UTC' };
  const suspicious = (commands: string[][]) =>
    commands.find((words) => words[1] === 'suspicious_logins') ?? [];

  it("gives the query the run's settings that are not its defaults, none with the defaults", () => {
    const alert = alertOf({ ...at, kind: 'new_country' });
    const judged = suspicious(nextStepCommands(alert, { ...target, judging }));
    // The steps start on the 9th: the history is the 14 days before it.
    expect(judged.join(' ')).toContain(
      '--param doer_id=7 --param history_from_dt=2026-10-26 --param history_from_ts=2026-10-26 00:00:00.000 --param min_history_logins=5 --param max_speed_kmh=800 ',
    );
    for (const plain of [target, { ...target, judging: DEFAULT_ALERT_SETTINGS }]) {
      expect(suspicious(nextStepCommands(alert, plain)).join(' ')).not.toMatch(
        /history|max_speed|min_history/,
      );
    }
  });

  it("a local run's message gives them, and its command runs as printed", async () => {
    // Four failed logins of Ann in the hour before her sign-in: a login after failures.
    const local = join(dir, 'lake-judged');
    const user = { user_id: '4242', user_name: 'Ann Lee', ip_address: '3.3.3.3' };
    await oneHourAlertsLake(local, HOUR, [
      ...[5, 6, 7, 8].map((m) =>
        record({ ...user, category: 'login_failed', event_time_ms: HOUR + m * 60_000 }),
      ),
      record({ ...user, category: 'login', event_time_ms: HOUR + 10 * 60_000 }),
    ]);
    const outDir = join(dir, 'out-judged');
    const run = await evaluateLocalAlerts({
      lake: new FsObjectStore(local),
      instance: 'acme',
      outDir,
      clock,
      settings: judging,
      digFurther: localDigFurther(local),
    });
    expect(run.summary.raised.map((a) => a.kind)).toContain('login_after_failures');
    const message = readFileSync(join(outDir, 'alerts.txt'), 'utf8');
    const line = message.split('\n').find((l) => l.includes(' query suspicious_logins ')) ?? '';
    expect(line).toContain('--param min_history_logins=5 --param max_speed_kmh=800');
    expect(line).toContain("--param 'history_from_ts=2026-10-26 00:00:00.000'");
    const words = shellWords(line.slice(line.indexOf(' query ') + 1));
    const ran = captureIoAt(clock);
    expect(await main(words, ran.io), `${line}\n${ran.stderr()}`).toBe(0);
  });
});

describe("alerts --format json: from the mail's alert id to its events", () => {
  it('lists the events that raised each alert, which query --sql finds by id', async () => {
    const { io, stdout, stderr } = captureIoAt(clock);
    const args = ['alerts', '--lake', lake, '--format', 'json', '--out', join(dir, 'out-json')];
    expect(await main(args, io), stderr()).toBe(0);
    const [lockout] = JSON.parse(stdout()) as { id: string; kind: string; event_ids: string[] }[];
    expect(lockout?.kind).toBe('lockout');
    // A lockout is raised by the lockout event (its id is that event's).
    expect(lockout?.event_ids).toHaveLength(1);
    const ids = (lockout?.event_ids ?? []).map((id) => `'${id}'`).join(', ');
    const sql = `SELECT event_id, category FROM activity_log WHERE instance = 'acme' AND dt = '2026-11-10' AND event_id IN (${ids}) ORDER BY event_time`;
    const run = captureIoAt(clock);
    expect(
      await main(['query', '--lake', lake, '--sql', sql, '--format', 'json'], run.io),
      run.stderr(),
    ).toBe(0);
    const rows = JSON.parse(run.stdout()) as { category: string }[];
    expect(rows.map((row) => row.category)).toEqual(['lockout']);
  });
});

describe("docs/operations.md's first look for each kind", () => {
  const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
  const start = doc.indexOf(`\n## ${NEXT_STEPS_SECTION}\n`);
  const section = doc.slice(start, doc.indexOf('\n## ', start + 1));

  it('is the section the table names, with a row for every kind', () => {
    expect(start).toBeGreaterThan(0);
    const rows = section.split('\n').filter((line) => line.startsWith('| `'));
    for (const kind of ALERT_KINDS) {
      expect(
        rows.some((row) => (row.split('|')[1] ?? '').includes(`\`${kind}\``)),
        kind,
      ).toBe(true);
    }
  });

  it('names only queries of the catalog, with parameters they take', () => {
    // The commands: the lines of its code block, and its inline code.
    const blocks = [...section.matchAll(/```\w*\n([\s\S]*?)```/g)].map((block) => block[1] ?? '');
    const inline = [...section.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map(
      (c) => c[1] ?? '',
    );
    const named = [...blocks, ...inline].flatMap((code) => [
      ...code.matchAll(/\bquery (\w+)((?: --param \w+=\S*)*)/g),
    ]);
    expect(named.length).toBeGreaterThan(8);
    for (const [, name = '', params = ''] of named) {
      expect(QUERY_NAMES, name).toContain(name);
      for (const [, param = ''] of params.matchAll(/--param (\w+)=/g)) {
        expect(loadQuery(name).params, `${name} ${param}`).toContain(param);
      }
    }
  });
});
