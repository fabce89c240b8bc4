import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileMailer } from '../../functions/adapters/file-mailer.ts';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { MESSAGE_OWNER_FILE } from '../../functions/cli/alerts-message-files.ts';
import { cliCommandAnywhere, shellWord } from '../../functions/cli/command-line.ts';
import {
  alertsCommand,
  alertsTable,
  describeLocalAlerts,
  type LocalAlerts,
} from '../../functions/cli/commands/alerts.ts';
import { main } from '../../functions/cli/main.ts';
import { runAlerts } from '../../functions/core/alerts/run-alerts.ts';
import { advanceCheckpoint } from '../../functions/core/lake/checkpoint.ts';
import { writeCoverage } from '../../functions/core/lake/coverage.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../functions/core/queries/alert-settings.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { alertOf, RecordingChannel, record } from '../core/alerts/support/alert-fixtures.ts';
import { manifest } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';
import { captureIoAt } from '../support/clock-from.ts';
import { asText } from '../support/text-part.ts';

/** The words bash reads from a command line the CLI printed (paths quoted as it quotes them). */
const shellWords = (line: string): string[] =>
  execFileSync('bash', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' })
    .split('\0')
    .slice(0, -1);

/**
 * The `alerts` command's own paths: its terminal table, the run on a lake no scheduled ingest has
 * written yet, which hours a run covers (a lake longer than one Lambda run, --since outside the
 * lake, a lake the deployed function already alerts on), the message files in --out, wrong lakes
 * and the usage errors, on small hand-made lakes. The run over a simulated lake, compared with the
 * SQL, is in test/core/alerts/alerts-match-sql.test.ts.
 */
let dir: string;
/**
 * A lake with one instance, `acme`, that only `ingest --from --to` wrote (no checkpoint): 2026-10-01
 * 10:00-12:00 and 14:00-15:00 covered, a lockout at 10:05 and 14:05; 12:00 holds a lockout at
 * 12:05 but no manifest (a pull that stopped before it finished the hour), 13:00 nothing.
 */
let rangeLake: string;
/** A lake of instance `acme` whose only hour has events but no coverage manifest, and no checkpoint. */
let uncoveredLake: string;
/**
 * First hour and newest hour of `longLake`, further apart than one Lambda run evaluates: a sign-in
 * in the first, a lockout in the newest, and the ingest checkpoint right after it.
 */
const FIRST = Date.parse('2026-08-01T00:00:00Z');
const NEWEST = Date.parse('2026-11-13T04:00:00Z');
let longLake: string;
/** Three hours of sign-ins only: a run over it finds nothing. */
let quietLake: string;
/** A lockout at FIRST, which the deployed alerts function already evaluated, archived and sent. */
let deployedLake: string;

/** A disk lake of instance `acme` holding these hours, complete up to `watermarkMs`. */
async function writeLake(root: string, hours: [number, EventRecord[]][], watermarkMs: number) {
  const store = new FsObjectStore(root);
  for (const [hour, events] of hours) await store.put(activityKey('acme', hour), encodeNdjsonGzip(events));
  await advanceCheckpoint(store, 'acme', {
    watermarkMs,
    runId: 'fixture',
    codeVersion: 'test',
    now: watermarkMs,
  });
  return store;
}

const signIn = (ms: number) => record({ category: 'login', event_time_ms: ms });
const lockout = (ms: number) => record({ category: 'lockout', event_time_ms: ms });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-alerts-'));
  rangeLake = join(dir, 'lake');
  const range = new FsObjectStore(rangeLake);
  for (const hour of ['10', '11', '14'])
    await writeCoverage(range, 'acme', manifest(`2026-10-01 ${hour}:00`));
  for (const hour of ['10', '12', '14']) {
    const ms = Date.parse(`2026-10-01T${hour}:00:00Z`);
    await range.put(activityKey('acme', ms), encodeNdjsonGzip([lockout(ms + 5 * 60_000)]));
  }
  uncoveredLake = join(dir, 'uncovered-lake');
  const uncoveredHour = Date.parse('2026-10-01T12:00:00Z');
  await new FsObjectStore(uncoveredLake).put(
    activityKey('acme', uncoveredHour),
    encodeNdjsonGzip([lockout(uncoveredHour + 60_000)]),
  );
  longLake = join(dir, 'long-lake');
  await writeLake(
    longLake,
    [
      [FIRST, [signIn(FIRST + 60_000)]],
      [NEWEST, [lockout(NEWEST + 5 * 60_000)]],
    ],
    NEWEST + HOUR_MS,
  );
  quietLake = join(dir, 'quiet-lake');
  await writeLake(
    quietLake,
    [0, 1, 2].map((h) => [FIRST + h * HOUR_MS, [signIn(FIRST + h * HOUR_MS + 60_000)]]),
    FIRST + 3 * HOUR_MS,
  );
  deployedLake = join(dir, 'deployed-lake');
  const deployed = await writeLake(deployedLake, [[FIRST, [lockout(FIRST + 60_000)]]], FIRST + 2 * HOUR_MS);
  const channel = new RecordingChannel();
  await runAlerts(
    { store: deployed, clock: { now: () => FIRST + 2 * HOUR_MS }, log: silentLog, channels: [channel] },
    { instance: 'acme', settings: DEFAULT_ALERT_SETTINGS, runId: 'lambda' },
  );
  // The function's own state is in the lake, as on a deployed bucket.
  expect(channel.delivered.map((a) => a.kind)).toEqual(['lockout']);
  expect(await readdir(deployedLake)).toEqual(expect.arrayContaining(['alerts', 'alerts-state']));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const alert = alertOf;

describe('alerts table', () => {
  it('shows local time, kind, user and evidence in aligned columns, on one line each', () => {
    const table = alertsTable(
      [
        alert({}),
        alert({
          kind: 'new_country',
          user_name: null,
          user_id: null,
          evidence: 'first login from\tFrance\nin 30 days',
        }),
      ],
      'Europe/Paris',
    );
    const lines = table.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^time \(Europe\/Paris\) +alert +user +evidence$/);
    expect(lines[1]).toMatch(
      /^2026-11-02 09:15 \+01:00 +lockout +Ada Lovelace \(u1\) +locked out after 7 failed logins$/,
    );
    expect(lines[2]).toMatch(/ login from a new country +unknown user +first login from France in 30 days$/);
    // Columns line up: every row's evidence starts where the header's does.
    const evidenceAt = (lines[0] as string).indexOf('evidence');
    expect(lines.slice(1).every((line) => line.slice(evidenceAt - 1, evidenceAt) === ' ')).toBe(true);
  });

  it('tells two alerts apart by their offsets where the clocks go back (01:30 twice in New York)', () => {
    const at = (iso: string) => ({ event_time_ms: Date.parse(iso), event_time: iso.replace('T', ' ') });
    const table = alertsTable(
      [alert(at('2026-11-01T05:30:00.000Z')), alert(at('2026-11-01T06:30:00.000Z'))],
      'America/New_York',
    );
    const times = table
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.slice(0, '2026-11-01 01:30 -04:00'.length));
    expect(times).toEqual(['2026-11-01 01:30 -04:00', '2026-11-01 01:30 -05:00']);
    // UTC names its own offset.
    expect(alertsTable([alert(at('2026-11-01T05:30:00.000Z'))], 'UTC')).toMatch(
      /^2026-11-01 05:30 +lockout /m,
    );
  });

  it("cuts a user's name to the mail's 48 columns, keeping the id, so the evidence stays in view", () => {
    const long = `Regional Sales Operations Manager ${'x'.repeat(500)}`;
    const lines = alertsTable(
      [
        alert({ user_name: long, user_id: '501' }),
        alert({ user_name: '山田'.repeat(40), user_id: '502' }),
        alert({ user_name: null, user_id: '503' }),
      ],
      'UTC',
    )
      .trimEnd()
      .split('\n');
    const evidenceAt = (lines[0] as string).indexOf('evidence');
    expect(lines[1]).toContain(`Regional Sales Operations Manager ${'x'.repeat(7)}… (501)  locked out`);
    expect(lines[1]?.indexOf('locked out')).toBe(evidenceAt);
    expect(lines[1]).not.toContain('x'.repeat(8));
    // By terminal columns: 20 wide characters, the ellipsis and " (502)" make 47 (a 21st would
    // cross 48), padded to the column.
    expect(lines[2]).toContain(`${'山田'.repeat(10)}… (502)   locked out`);
    expect(lines[2]?.indexOf('locked out')).toBe(evidenceAt - 20);
    expect(lines[3]).toMatch(/ user 503 +locked out/);
  });

  const evidence =
    'first login from network owner AS16509 (Amazon.com, Inc.) in 21 days of history; 2 owners known; network 18.231.24.0/24';
  const wide = [alert({}), alert({ kind: 'new_network', evidence })];

  it('keeps every line within a terminal narrower than the table: the evidence wraps within its column', () => {
    const lines = alertsTable(wide, 'UTC', 100).trimEnd().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(100);
    const evidenceAt = (lines[0] as string).indexOf('evidence');
    // The lockout's evidence wraps too: the second alert starts where its row does.
    const second = lines.findIndex((line) => line.includes('login from a new network owner'));
    expect(lines[second]).toMatch(
      /^2026-11-02 08:15 +login from a new network owner +Ada Lovelace \(u1\) +first login from/,
    );
    // The rest of the evidence goes on under its column, whole, never under the time.
    const rest = lines.slice(second + 1).map((line) => line.slice(0, evidenceAt));
    expect(rest.every((start) => start.trim() === '')).toBe(true);
    expect(
      lines
        .slice(second)
        .map((line) => line.slice(evidenceAt))
        .join(' '),
    ).toBe(evidence);
    // Whole lines on a pipe or a file (no width).
    const piped = alertsTable(wide, 'UTC').trimEnd().split('\n');
    expect(piped).toHaveLength(3);
    expect(piped[2]?.endsWith(`Ada Lovelace (u1)  ${evidence}`), piped[2]).toBe(true);
  });

  it('lists each alert as a block of labelled lines on a terminal too narrow for the columns', () => {
    const lines = alertsTable(wide, 'UTC', 60).trimEnd().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(60);
    expect(lines.slice(0, 5)).toEqual([
      'time (UTC)  2026-11-02 08:15',
      'alert       lockout',
      'user        Ada Lovelace (u1)',
      'evidence    locked out after 7 failed logins',
      '',
    ]);
    expect(lines[6]).toBe('alert       login from a new network owner');
  });

  it("fits the demo's summary to the terminal as well, indented under its heading", () => {
    const result = { summary: { raised: wide } } as unknown as LocalAlerts;
    const since = Date.parse('2026-11-02T00:00:00Z');
    const narrow = describeLocalAlerts(result, 'UTC', since, 60).split('\n');
    expect(narrow.slice(0, 3)).toEqual([
      'alerts since 2026-11-02 00:00 UTC: 2',
      '  time (UTC)  2026-11-02 08:15',
      '  alert       lockout',
    ]);
    for (const line of narrow) expect(line.length, line).toBeLessThanOrEqual(60);
    // A pipe or a file: one whole line per alert, then the note on the new-network owner alert's history.
    const whole = describeLocalAlerts(result, 'UTC', since).split('\n');
    expect(whole).toHaveLength(5);
    expect(whole[4]).toMatch(/^ {2}note: /);
  });

  it('names each user with their id, as the mail does: two users of one display name stay two', () => {
    const lines = alertsTable(
      [
        alert({ user_id: '7', user_name: 'Maria Admin' }),
        alert({ user_id: '666', user_name: 'Maria Admin' }),
      ],
      'UTC',
    ).split('\n');
    expect(lines[1]).toMatch(/ Maria Admin \(7\) +locked out/);
    expect(lines[2]).toMatch(/ Maria Admin \(666\) +locked out/);
  });

  it('says so when there is none', () => {
    expect(alertsTable([], 'UTC')).toBe('no alerts\n');
  });
});

describe('alerts command', () => {
  it('on a lake only ingest --from/--to wrote, judges its covered hours and names the others, skipped', async () => {
    const out = join(dir, 'out-range');
    const ingest = `npx --no domo-activity-lake ingest --lake ${shellWord(rangeLake)} --instance acme --from 2026-10-01T12:00:00Z --to 2026-10-01T14:00:00Z`;
    const skipped = [
      'skipped 2 hours the lake does not cover (never pulled whole), not judged: 2026-10-01 12:00 up to 2026-10-01 14:00 UTC',
      `to judge them, pull them with ${ingest} (add --api-base <url> if the lake was not pulled from Domo's API), then run alerts again`,
    ];
    const table = captureIo();
    expect(await main(['alerts', '--lake', rangeLake, '--out', out], table.io), table.stderr()).toBe(0);
    // The lake's only instance; 12:05 is in the lake, but its hour was never pulled whole.
    expect([...table.stdout().matchAll(/^2026-10-01 (\d\d:\d\d) +lockout /gm)].map((m) => m[1])).toEqual([
      '10:05',
      '14:05',
    ]);
    expect(table.stdout()).toContain(
      [
        'evaluated 3 of the 5 hours from 2026-10-01 10:00 up to 2026-10-01 15:00 UTC (the end of the last hour the lake covers: it has no ingest checkpoint)',
        ...skipped,
        `message: ${join(out, 'alerts.eml')}`,
      ].join('\n'),
    );
    // JSON on stdout alone: the skipped hours go to stderr, so a script is told too.
    const json = captureIo();
    expect(await main(['alerts', '--lake', rangeLake, '--format', 'json', '--out', out], json.io)).toBe(0);
    expect(JSON.parse(json.stdout()).map((a: { event_time: string }) => a.event_time)).toHaveLength(2);
    expect(json.stderr()).toBe(skipped.map((line) => `warning: ${line}\n`).join(''));
  });

  it('--format json gives event_time with its zone, as query does; the table keeps the wall time', async () => {
    // A bare `2026-10-01 10:05:00.000` is read as local time by Date, pandas or a spreadsheet.
    const out = join(dir, 'out-range-zone');
    const json = captureIo();
    expect(await main(['alerts', '--lake', rangeLake, '--format', 'json', '--out', out], json.io)).toBe(0);
    const times = JSON.parse(json.stdout()).map((a: { event_time: string }) => a.event_time);
    expect(times).toEqual(['2026-10-01T10:05:00.000Z', '2026-10-01T14:05:00.000Z']);
    expect(times.map(Date.parse)).toEqual([Date.UTC(2026, 9, 1, 10, 5), Date.UTC(2026, 9, 1, 14, 5)]);
    const table = captureIo();
    expect(await main(['alerts', '--lake', rangeLake, '--out', out], table.io)).toBe(0);
    expect(table.stdout()).toMatch(/^2026-10-01 10:05 +lockout /m);
  });

  it('on a lake only ingest --from/--to wrote, names the hours asked for before its first covered hour and after its last (review R-AHEAD2)', async () => {
    // Asked for hours the lake was never pulled for, the run printed `[]` and nothing else: read as
    // an all-clear. 20:30: the last hour an ingest can pull (settled 15 minutes) ends at 20:00.
    const clock = { now: () => Date.parse('2026-10-01T20:30:00Z') };
    const out = join(dir, 'out-range-edges');
    const ingest = `npx --no domo-activity-lake ingest --lake ${shellWord(rangeLake)} --instance acme --from 2026-10-01T08:00:00Z --to 2026-10-01T20:00:00Z`;
    const skipped = [
      'skipped 9 hours the lake does not cover (never pulled whole), not judged: 2026-10-01 08:00 up to 2026-10-01 10:00, 2026-10-01 12:00 up to 2026-10-01 14:00, 2026-10-01 15:00 up to 2026-10-01 20:00 UTC',
      `to judge them, pull them with ${ingest} (the covered hours between are pulled again, merged, never twice; add --api-base <url> if the lake was not pulled from Domo's API), then run alerts again; --until is later than 2026-10-01T20:00:00Z, the end of the last hour an ingest can pull now: the hours after it have not closed, and were neither judged nor pulled`,
    ];
    const span = ['--since', '2026-10-01T08:00:00Z', '--until', '2026-10-02T00:00:00Z'];
    const json = captureIoAt(clock);
    expect(
      await main(['alerts', '--lake', rangeLake, ...span, '--format', 'json', '--out', out], json.io),
    ).toBe(0);
    expect(JSON.parse(json.stdout())).toHaveLength(2);
    expect(json.stderr()).toBe(skipped.map((line) => `warning: ${line}\n`).join(''));
    const table = captureIoAt(clock);
    expect(await main(['alerts', '--lake', rangeLake, ...span, '--out', out], table.io)).toBe(0);
    expect(table.stdout()).toContain(
      [
        'evaluated 3 of the 12 hours from 2026-10-01 08:00 up to 2026-10-01 20:00 UTC (the end of the last hour an ingest can pull now: --until is later, its hours not closed yet)',
        ...skipped,
      ].join('\n'),
    );
    // From after the last covered hour, without --until: none of the hours asked for is covered,
    // and a script reading the empty list is told so on stderr.
    const after = captureIoAt(clock);
    const args = ['alerts', '--lake', rangeLake, '--since', '2026-10-01T16:00:00Z', '--format', 'json'];
    expect(await main([...args, '--out', out], after.io)).toBe(0);
    expect(after.stdout()).toBe('[]\n');
    expect(after.stderr()).toBe(
      'warning: evaluated no hour: none from 2026-10-01 16:00 UTC is covered (the lake has no ingest checkpoint, and the last hour it covers ends at 2026-10-01 15:00)\n',
    );
  });

  it('on a lake with neither a checkpoint nor a covered hour, fails saying why and what to run', async () => {
    for (const format of ['table', 'json']) {
      const { io, stdout, stderr } = captureIo();
      const args = ['alerts', '--lake', uncoveredLake, '--format', format, '--out', join(dir, 'out')];
      expect(await main(args, io)).toBe(1);
      expect(stdout()).toBe('');
      const ingest = `npx --no domo-activity-lake ingest --lake ${shellWord(uncoveredLake)} --instance acme`;
      expect(stderr()).toContain(
        `error: instance acme in ${uncoveredLake} has no ingest checkpoint and no hour pulled whole (no coverage manifest), so no hour could be evaluated (alerts judge the hours up to the checkpoint, which an ingest without --from/--to writes, as the scheduled Lambda does, or else the hours the lake covers): pull the hours to look at with ${ingest} --from '<hour>' --to '<hour>', or follow the API with ${ingest}, whose first run pulls the last --backfill-days days (90 by default) before it writes the checkpoint (add --backfill-days <n> to pull fewer); add --api-base <url> if the lake was not pulled from Domo's API; then run alerts again`,
      );
    }
  });

  it('evaluates every hour of a lake longer than one Lambda run, the newest included', async () => {
    expect((NEWEST - FIRST) / HOUR_MS).toBeGreaterThan(DEFAULT_ALERT_SETTINGS.maxHoursPerRun);
    const { io, stdout, stderr } = captureIo();
    expect(await main(['alerts', '--lake', longLake, '--out', join(dir, 'out-long')], io), stderr()).toBe(0);
    expect(stdout()).toMatch(/^2026-11-13 04:05 +lockout +User One /m);
    expect(stdout()).toContain(
      "evaluated 2501 hours, from 2026-08-01 00:00 up to 2026-11-13 05:00 UTC (the lake's ingest checkpoint)",
    );
  });

  it("starts a --since before the lake at the lake's first hour and still reaches its newest", async () => {
    const { io, stdout, stderr } = captureIo();
    const args = ['alerts', '--lake', longLake, '--since', '2020-01-01', '--out', join(dir, 'out-since')];
    expect(await main(args, io), stderr()).toBe(0);
    expect(stdout()).toMatch(/^2026-11-13 04:05 +lockout /m);
    // Not from 2020: the years before the lake would cost two reads an hour and hold nothing.
    expect(stdout()).toContain('evaluated 2501 hours, from 2026-08-01 00:00 up to 2026-11-13 05:00 UTC');
  });

  it('lists nothing before --since, even in the last hours before the checkpoint a first run rechecks', async () => {
    const { io, stdout, stderr } = captureIo();
    const args = [
      'alerts',
      '--lake',
      longLake,
      '--since',
      '2026-11-13T05:00:00Z',
      '--out',
      join(dir, 'out-late'),
    ];
    expect(await main(args, io), stderr()).toBe(0);
    expect(stdout()).toBe(
      "no alerts: no hour evaluated\nevaluated no hour: none from 2026-11-13 05:00 UTC is complete (the lake's ingest checkpoint is at 2026-11-13 05:00)\n",
    );
  });

  it('says on stderr, beside an empty JSON list, that it judged no hour past the checkpoint', async () => {
    const { io, stdout, stderr } = captureIo();
    const args = ['alerts', '--lake', longLake, '--since', '2026-11-13T05:00:00Z', '--format', 'json'];
    expect(await main([...args, '--out', join(dir, 'out-late-json')], io), stderr()).toBe(0);
    expect(JSON.parse(stdout())).toEqual([]);
    expect(stderr()).toBe(
      "warning: evaluated no hour: none from 2026-11-13 05:00 UTC is complete (the lake's ingest checkpoint is at 2026-11-13 05:00)\n",
    );
  });

  it('evaluates the whole hour of a --since inside it, listing only the alerts from the time asked', async () => {
    const run = async (since: string, out: string) => {
      const { io, stdout, stderr } = captureIo();
      const args = ['alerts', '--lake', deployedLake, '--since', since, '--out', join(dir, out)];
      expect(await main(args, io), stderr()).toBe(0);
      return stdout();
    };
    // The lockout is at 00:01: asked from 00:00:30 it is listed, from 00:01:30 it is not.
    expect(await run('2026-08-01T00:00:30Z', 'out-before')).toMatch(/^2026-08-01 00:01 +lockout /m);
    const after = await run('2026-08-01T00:01:30Z', 'out-after');
    expect(after).toMatch(/^no alerts\n/);
    expect(after).toContain('evaluated 2 hours, from 2026-08-01 00:00 up to 2026-08-01 02:00 UTC');
    expect(await run('2026-08-01T01:30:00Z', 'out-one-hour')).toContain(
      'evaluated 1 hour, from 2026-08-01 01:00 up to 2026-08-01 02:00 UTC',
    );
  });

  it('says under an unusual hour why the weekly report can list other logins, and not under a lockout alone', async () => {
    // 10 sign-ins at 09:01 on the days before, then one at 03:01: an unusual hour.
    const days = Array.from({ length: 10 }, (_, d) => FIRST + d * 24 * HOUR_MS + 9 * HOUR_MS);
    const late = FIRST + 10 * 24 * HOUR_MS + 3 * HOUR_MS;
    const hours: [number, EventRecord[]][] = [...days, late].map((h) => [h, [signIn(h + 60_000)]]);
    const unusualLake = join(dir, 'unusual-lake');
    await writeLake(unusualLake, hours, late + HOUR_MS);
    const { io, stdout, stderr } = captureIo();
    expect(
      await main(['alerts', '--lake', unusualLake, '--out', join(dir, 'out-unusual')], io),
      stderr(),
    ).toBe(0);
    expect(stdout()).toMatch(
      /^2026-08-11 03:01 +login at an unusual hour +User One \(u1\) +login at 03:01 UTC; 0 of 10 logins in 9 days of history were/m,
    );
    expect(stdout()).toContain(
      "\nnote: New-country, new-network-owner and unusual-hour alerts judge a login against the user's logins in the 30 days before its hour, the week's earlier logins included. The weekly report judges the whole week against the logins before the week starts, so it can list other logins than these alerts, or none of them.\nevaluated ",
    );
    const lockouts = captureIo();
    expect(
      await main(['alerts', '--lake', deployedLake, '--out', join(dir, 'out-lockout')], lockouts.io),
    ).toBe(0);
    expect(lockouts.stdout()).toMatch(/^2026-08-01 00:01 +lockout /m);
    expect(lockouts.stdout()).not.toContain('note:');
  });

  it('says a lake without any event up to its checkpoint has nothing to evaluate', async () => {
    const emptyLake = join(dir, 'empty-lake');
    await writeLake(emptyLake, [], FIRST + 24 * HOUR_MS);
    const { io, stdout, stderr } = captureIo();
    expect(await main(['alerts', '--lake', emptyLake, '--out', join(dir, 'out-empty')], io), stderr()).toBe(
      0,
    );
    expect(stdout()).toBe(
      'no alerts: no hour evaluated\nevaluated no hour: the lake holds no events up to its ingest checkpoint (2026-08-02 00:00 UTC)\n',
    );
  });

  it("evaluates --since as a first deploy would, whatever the deployed function's state in the lake", async () => {
    const { io, stdout, stderr } = captureIo();
    const args = [
      'alerts',
      '--lake',
      deployedLake,
      '--since',
      '2026-08-01',
      '--out',
      join(dir, 'out-deployed'),
    ];
    expect(await main(args, io), stderr()).toBe(0);
    expect(stdout()).toMatch(/^2026-08-01 00:01 +lockout /m);
    expect(stdout()).toContain('evaluated 2 hours, from 2026-08-01 00:00 up to 2026-08-01 02:00 UTC');
  });

  /** Runs `alerts` on `lake` into `out`; returns what it printed. */
  const alertsInto = async (lake: string, out: string, ...more: string[]) => {
    const { io, stdout, stderr } = captureIo();
    expect(await main(['alerts', '--lake', lake, '--out', out, ...more], io), stderr()).toBe(0);
    return stdout();
  };
  /** deployedLake's lockout is at 00:01: from 00:01:30 a run finds no alert. */
  const afterTheLockout = ['--since', '2026-08-01T00:01:30Z'];
  const names = ['alerts.eml', 'alerts.html', 'alerts.txt'];

  it('removes the message an earlier run on the same lake and instance wrote when it finds no alert, and nothing else', async () => {
    const out = join(dir, 'out-stale');
    expect(await alertsInto(deployedLake, out)).toContain(`message: ${join(out, 'alerts.eml')}\n`);
    // Beside the message, the lake and instance it is of.
    expect(JSON.parse(await readFile(join(out, 'alerts.lake.json'), 'utf8'))).toEqual({
      lake: deployedLake,
      instance: 'acme',
    });
    for (const name of ['report.eml', 'alerts.eml.old']) await writeFile(join(out, name), 'stale');
    expect(await alertsInto(deployedLake, out, ...afterTheLockout)).toBe(
      [
        'no alerts',
        "evaluated 2 hours, from 2026-08-01 00:00 up to 2026-08-01 02:00 UTC (the lake's ingest checkpoint)",
        `message: none; removed the earlier run's alerts.eml, alerts.html, alerts.txt from ${out}`,
        '',
      ].join('\n'),
    );
    expect((await readdir(out)).sort()).toEqual(['alerts.eml.old', 'report.eml']);

    // With JSON on stdout too, and when only some of them are left.
    await alertsInto(deployedLake, out);
    await rm(join(out, 'alerts.eml'));
    await rm(join(out, 'alerts.html'));
    const json = captureIo();
    const result = await alertsCommand(
      ['--lake', deployedLake, '--out', out, '--format', 'json', ...afterTheLockout],
      {
        ...json.io,
        log: silentLog,
      },
    );
    expect(json.stdout()).toBe('[]\n');
    expect(result.removed).toEqual([join(out, 'alerts.txt')]);
    expect((await readdir(out)).sort()).toEqual(['alerts.eml.old', 'report.eml']);
  });

  it('leaves alone the message of another lake or instance, or of no known run, saying whose it is', async () => {
    const out = join(dir, 'out-shared');
    await alertsInto(deployedLake, out);
    const message = await readFile(join(out, 'alerts.eml'), 'utf8');
    // The demo's out/ and ./out are shared by every lake's run: another lake's finds no alert.
    expect(await alertsInto(quietLake, out)).toContain(
      `\nmessage: none; left alone the alerts.eml, alerts.html, alerts.txt in ${out}: another run's message, of instance acme in ${deployedLake}\n`,
    );
    expect(await readFile(join(out, 'alerts.eml'), 'utf8')).toBe(message);
    expect((await readdir(out)).sort()).toEqual([...names, 'alerts.lake.json'].sort());

    // Files no run says are its own (an older version's, or copied there) are not this run's either.
    await rm(join(out, 'alerts.lake.json'));
    const result = await alertsCommand(['--lake', deployedLake, '--out', out, ...afterTheLockout], {
      ...captureIo().io,
      log: silentLog,
    });
    expect(result.kept).toEqual({ paths: names.map((name) => join(out, name)) });
    expect((await readdir(out)).sort()).toEqual(names);
    expect(await alertsInto(deployedLake, out, ...afterTheLockout)).toContain(
      `\nmessage: none; left alone the alerts.eml, alerts.html, alerts.txt in ${out}: no alerts.lake.json says they are this lake's; remove them yourself if they are stale\n`,
    );
  });

  it('replaces the message of an earlier run that had alerts', async () => {
    const out = join(dir, 'out-replaced');
    await mkdir(out);
    await writeFile(join(out, 'alerts.eml'), 'stale');
    const { io, stdout, stderr } = captureIo();
    expect(await main(['alerts', '--lake', deployedLake, '--out', out], io), stderr()).toBe(0);
    expect(stdout()).toContain(`message: ${join(out, 'alerts.eml')}\n`);
    expect(await readFile(join(out, 'alerts.eml'), 'utf8')).toContain('Subject: Security alerts (acme)');
  });

  it('refuses a file given as --out (exit 2), as report and demo do, instead of naming a message never written', async () => {
    const file = join(dir, 'out-is-a-file');
    await writeFile(file, 'not a folder');
    const { io, stdout, stderr } = captureIo();
    expect(await main(['alerts', '--lake', deployedLake, '--out', file], io)).toBe(2);
    expect(stderr()).toMatch(/--out .*out-is-a-file is a file, not a directory/);
    expect(stdout()).not.toContain('message:');
  });

  it('fails (exit 1) saying why when the message cannot be written, instead of naming it', async () => {
    const out = join(dir, 'out-unwritable');
    await mkdir(out);
    // A folder where the message's file goes: every write of it fails, as on a full or read-only disk.
    await mkdir(join(out, 'alerts.eml'));
    const { io, stdout, stderr } = captureIo();
    expect(await main(['alerts', '--lake', deployedLake, '--out', out], io)).toBe(1);
    expect(stderr()).toContain(`could not write the alerts message into ${out}: `);
    expect(stdout()).not.toContain('message:');
  });

  it('removes the --out it made when the message cannot be written (a full disk), as ingest its lake', async () => {
    const parent = join(dir, 'out-full-disk');
    const out = join(parent, 'out');
    // The mailer's write as on a full disk: its folder made, then the file refused.
    const send = vi.spyOn(FileMailer.prototype, 'send').mockImplementation(async function (this: FileMailer) {
      await mkdir(this.dir, { recursive: true });
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    try {
      const { io, stderr } = captureIo();
      expect(await main(['alerts', '--lake', deployedLake, '--out', out], io)).toBe(1);
      expect(stderr()).toContain(`could not write the alerts message into ${out}: `);
      expect(send).toHaveBeenCalled();
      expect(existsSync(parent)).toBe(false);
    } finally {
      send.mockRestore();
    }
  });

  it("keeps the earlier message's owner file when the new message cannot be written", async () => {
    const out = join(dir, 'out-unwritable-owned');
    await mkdir(out);
    await mkdir(join(out, 'alerts.eml'));
    await writeFile(join(out, 'alerts.html'), 'earlier');
    const owner = `${JSON.stringify({ lake: '/elsewhere', instance: 'acme' })}\n`;
    await writeFile(join(out, MESSAGE_OWNER_FILE), owner);
    const { io, stderr } = captureIo();
    expect(await main(['alerts', '--lake', deployedLake, '--out', out], io)).toBe(1);
    expect(stderr()).toContain(`could not write the alerts message into ${out}: `);
    // The earlier message is still there, so is whose it is.
    expect(await readFile(join(out, 'alerts.html'), 'utf8')).toBe('earlier');
    expect(await readFile(join(out, MESSAGE_OWNER_FILE), 'utf8')).toBe(owner);
  });

  it('--mail-older-than: the message says the older alerts are on the output and how to list them again, not that they are archived', async () => {
    const out = join(dir, 'out-older');
    const clock = { now: () => FIRST + 3 * HOUR_MS };
    const run = async (args: string[]) => {
      const { io, stdout, stderr } = captureIo();
      expect(await main(args, { ...io, clock }), stderr()).toBe(0);
      return stdout();
    };
    const since = ['--since', '2026-08-01', '--time-zone', 'Europe/Berlin'];
    const listed = await run([
      'alerts',
      '--lake',
      deployedLake,
      ...since,
      '--mail-older-than',
      '1',
      '--out',
      out,
    ]);
    // The lockout at 00:01 UTC is older than an hour: counted in the message, listed on the output.
    expect(listed).toMatch(/^2026-08-01 02:01 \+02:00 +lockout /m);
    const relist = `${cliCommandAnywhere()} alerts --lake ${shellWord(deployedLake)} --instance acme --since 2026-08-01T00:00:00Z --time-zone Europe/Berlin`;
    const txt = await readFile(join(out, 'alerts.txt'), 'utf8');
    // The sentence wrapped at the text part's width, the command on a line of its own, whole.
    expect(txt).toContain(
      `${asText('1 alert (1 lockout) is not listed here: it is about events before 2026-08-01 04:00 +02:00 Europe/Berlin. A local run archives nothing (it writes nothing to the lake): the command that wrote this message listed every alert, these included, on its output; to list them again, run:')}\n${relist}\n`,
    );
    expect(txt).not.toMatch(/archived|FROM alerts/);
    const eml = await readFile(join(out, 'alerts.eml'), 'utf8');
    expect(eml).toMatch(/^Subject: Security alerts \(acme\): 1 earlier lockout not listed$/m);
    // The command it gives does list it.
    expect(
      await run([
        ...shellWords(relist.slice(cliCommandAnywhere().length + 1)),
        '--out',
        join(dir, 'out-relist'),
      ]),
    ).toMatch(/^2026-08-01 02:01 \+02:00 +lockout /m);
  });

  it("gives the message's query to dig further as a command that runs it over the lake with DuckDB", async () => {
    const out = join(dir, 'out-dig');
    const { io, stderr } = captureIo();
    expect(
      await main(['alerts', '--lake', deployedLake, '--since', '2026-08-01', '--out', out], io),
      stderr(),
    ).toBe(0);
    const txt = await readFile(join(out, 'alerts.txt'), 'utf8');
    const intro = 'To dig further, run it with DuckDB over the lake:\n\n';
    expect(txt).toContain(intro);
    expect(txt).not.toContain('Athena');
    const printed = txt.slice(txt.indexOf(intro) + intro.length).trim();
    // A mail is read away from the checkout, where `npx --no` finds nothing: node and the bin's path.
    expect(printed.startsWith(`node ${shellWord(resolve('bin/domo-activity-lake.js'))} query --lake `)).toBe(
      true,
    );
    expect(printed).toContain(` query --lake ${shellWord(deployedLake)} --sql "SELECT `);
    // The words a shell reads from it, run as the CLI: the lockout's events are there.
    const words = shellWords(printed).slice(2);
    expect(words.slice(0, 3)).toEqual(['query', '--lake', deployedLake]);
    const query = captureIo();
    expect(await main(words, query.io), query.stderr()).toBe(0);
    expect(query.stdout()).toMatch(/^SQL on DuckDB /);
    expect(query.stdout()).toMatch(/ lockout /);
  });

  it.each([
    [['--format', 'csv'], /--format "csv" is not known: use table or json/],
    [['--burst-failures', 'many'], /--burst-failures "many" must be a whole number from 2 to 1000/],
    [['--burst-failures', '1'], /--burst-failures "1" must be a whole number from 2 to 1000 \(failed logins/],
    [['--burst-minutes', '60'], /--burst-minutes "60" must be a whole number from 1 to 30 \(minutes a burst/],
    [['--mail-older-than', '0'], /--mail-older-than "0" must be a whole number from 1 to 8784 \(hours after/],
    [['--instance', '../x'], /instance name "\.\.\/x" is not valid/],
  ])('refuses %j with a usage error naming the flag (exit 2)', async (args, message) => {
    const { io, stderr } = captureIo();
    expect(await main(['alerts', '--lake', rangeLake, ...args], io)).toBe(2);
    expect(stderr()).toMatch(message);
    expect(stderr()).not.toMatch(/alert setting|burstFailures|burstMinutes|mailOlderThanHours/);
  });

  it('refuses a --since in the future (exit 2) and leaves the last message alone', async () => {
    const out = join(dir, 'out-future');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'alerts.eml'), 'last run');
    const { io, stderr } = captureIo();
    const clock = { now: () => Date.parse('2026-11-13T06:00:00Z') };
    const args = ['alerts', '--lake', longLake, '--since', '2026-11-14', '--out', out];
    expect(await main(args, { ...io, clock })).toBe(2);
    expect(stderr()).toMatch(/--since "2026-11-14" is in the future: .* leave --since out/);
    expect(await readFile(join(out, 'alerts.eml'), 'utf8')).toBe('last run');
  });

  it('refuses a lake that is not there, a folder that holds none, and an instance it lacks (exit 1)', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const cases: [string[], RegExp][] = [
      [['--lake', join(dir, 'nowhere')], /there is no lake at .*nowhere \(no such directory\)/],
      [['--lake', empty], /empty is empty: no ingest or demo has written a lake there yet/],
      [['--lake', rangeLake, '--instance', 'main'], /holds no instance "main"; it holds: acme/],
    ];
    for (const [args, message] of cases) {
      const { io, stderr } = captureIo();
      expect(await main(['alerts', ...args], io)).toBe(1);
      expect(stderr()).toMatch(message);
    }
  });
});
