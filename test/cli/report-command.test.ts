import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeLocalReport, interruptedBy } from '../../functions/cli/commands/report.ts';
import type { CommandEngine } from '../../functions/cli/engine-target.ts';
import { main } from '../../functions/cli/main.ts';
import { reportKey, reportSentKey } from '../../functions/core/lake/layout.ts';
import type { QueryRunOptions } from '../../functions/core/ports.ts';
import type { WeeklyReportModel } from '../../functions/core/report/report-model.ts';
import { reportSubject } from '../../functions/core/report/report-subject.ts';
import { fullHealth, sampleModel } from '../core/report/model-fixture.ts';
import { NOW, sharedKnownLake } from '../report/known-lake.ts';
import { captureIo } from '../support/capture-io.ts';
import { textWords } from '../support/text-part.ts';

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-report-'));
  lake = (await sharedKnownLake()).lakeDir;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const args = (out: string, ...more: string[]) => [
  'report',
  '--lake',
  lake,
  '--out',
  out,
  '--instance',
  'acme',
  '--time-zone',
  'America/Denver',
  ...more,
];

describe('report command', () => {
  /**
   * Two report runs into one directory that the tests below only read, each ~1 CPU-s of queries: a
   * first run (the files a person opens, the send-once records), its files read before a second run,
   * a resend told that security alerts run on the instance, replaces them.
   */
  let out: string;
  const marker = () => join(out, ...reportSentKey('acme', '2026-W47').split('/'));
  let first: {
    stdout: string;
    stderr: string;
    code: number;
    files: { html: string; text: string; eml: string; json: string };
    marker: string;
  };
  let resend: {
    stdout: string;
    stderr: string;
    code: number;
    text: string;
    html: string;
    json: string;
    marker: string;
  };
  beforeAll(async () => {
    out = join(dir, 'out');
    const { io, stdout, stderr } = captureIo();
    const to = [
      '--mail-to',
      'sec@example.com',
      '--mail-to',
      'ops@example.com, "Doe, Jane" <jane@example.com>',
    ];
    const code = await main(args(out, '--week', '2026-W47', ...to), io);
    const read = (name: string) => readFile(join(out, name), 'utf8');
    first = {
      code,
      stdout: stdout(),
      stderr: stderr(),
      files: {
        html: await read('report.html'),
        text: await read('report.txt'),
        eml: await read('report.eml'),
        json: await read('report.json'),
      },
      marker: await readFile(marker(), 'utf8'),
    };
    // A second run is a deliberate resend: it claims the week again and writes the report again.
    // (With --json it prints the model instead of the summary: one report run proves both.)
    const again = captureIo();
    const againCode = await main(
      args(
        out,
        '--week',
        '2026-W47',
        '--json',
        '--alerts-enabled',
        '--failures-before-login',
        '6',
        '--lag-hours',
        '12',
      ),
      again.io,
    );
    resend = {
      code: againCode,
      stdout: again.stdout(),
      stderr: again.stderr(),
      text: await read('report.txt'),
      html: await read('report.html'),
      json: await read('report.json'),
      marker: await readFile(marker(), 'utf8'),
    };
  });

  it('writes report.html, report.txt, report.eml and report.json for a week and says what to open', async () => {
    expect(first.code, first.stderr).toBe(0);
    const { html, text, eml } = first.files;
    const model = JSON.parse(first.files.json);
    expect(model).toMatchObject({ instance: 'acme', timeZone: 'America/Denver', status: 'partial' });
    expect(model.week.isoWeek).toBe('2026-W47');
    expect(html).toContain('Domo activity, 2026-W47');
    // The demo lake's 2 suspicious logins make 4 rows: one per login and reason.
    expect(text).toContain('SUSPICIOUS LOGINS (2 LOGINS, 4 FINDINGS)');
    // Unless told that security alerts run on the instance, the report does not speak of them.
    expect(model).not.toHaveProperty('securityAlerts');
    expect(text).not.toContain('Security alerts');
    expect(eml).toMatch(/^From: Domo activity <domo-activity@example\.com>\r\n/);
    expect(eml).toContain('To: sec@example.com, ops@example.com, "Doe, Jane" <jane@example.com>\r\n');
    // Headers may be folded (CRLF + space); unfolded, the subject carries the headline figures
    // (without the change in events: the week is partial).
    expect(eml.replace(/\r\n /g, ' ')).toMatch(
      /\r\nSubject: Domo activity 2026-W47 \(acme\) \[partial: 98\.8% of hours\]: 2 suspicious logins \(4 findings\), 1 lockout, [\d,]+ events\r\n/,
    );
    expect(first.stdout).toContain(`open ${join(out, 'report.html')}\n`);
    expect(first.stdout).toMatch(
      /^report 2026-W47 \(acme\), Mon 16 Nov to Sun 22 Nov 2026, America\/Denver: partial\n/,
    );
  });

  it("runs the Lambda's send-once path: archive and sent-marker under <out>/reports/, the lake only read", async () => {
    const sent = JSON.parse(first.marker);
    expect(sent).toMatchObject({ state: 'sent', isoWeek: '2026-W47', instance: 'acme' });
    expect(existsSync(join(out, ...reportKey('acme', '2026-W47', 'html').split('/')))).toBe(true);
    // The resend (beforeAll) claimed the week again and wrote the report again.
    expect(resend.code, resend.stderr).toBe(0);
    const resent = JSON.parse(resend.marker);
    expect(resent).toMatchObject({ state: 'sent' });
    expect(resent.attemptId).not.toBe(sent.attemptId);
    expect(existsSync(join(lake, 'reports'))).toBe(false);
    const model = JSON.parse(resend.stdout);
    expect(model.week.isoWeek).toBe('2026-W47');
    expect(model.status).toBe('partial');
  });

  it('refuses a malformed week and a bad zone with a usage error, a missing lake as a wrong target', async () => {
    const missing = captureIo();
    expect(await main(['report', '--lake', join(dir, 'nope'), '--out', join(dir, 'x')], missing.io)).toBe(1);
    expect(missing.stderr()).toMatch(/there is no lake at .*nope \(no such directory\)/);
    const week = captureIo();
    expect(await main(args(join(dir, 'x'), '--week', 'W47'), week.io)).toBe(2);
    expect(week.stderr()).toMatch(
      /--week "W47": week "W47" is not written as an ISO week: write YYYY-Www, e.g. 2026-W47/,
    );
    const zone = captureIo();
    const moon = args(join(dir, 'x')).map((word) => (word === 'America/Denver' ? 'Moon/Base' : word));
    expect(await main(moon, zone.io)).toBe(2);
    expect(zone.stderr()).toMatch(
      /--time-zone "Moon\/Base": time zone "Moon\/Base" is not a known IANA zone/,
    );
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('refuses malformed mail addresses with a usage error naming the flag, before writing anything', async () => {
    for (const [flag, value, reason] of [
      ['--mail-to', 'security', 'not an email address'],
      ['--mail-to', 'jane doe@example.com', 'not an email address'],
      ['--mail-to', '', 'no address given'],
      ['--mail-to', 'a@example.com,,b@example.com', 'the list has an empty entry'],
      ['--mail-from', 'reports', 'not an email address'],
    ] as const) {
      const bad = captureIo();
      expect(await main(args(join(dir, 'x'), '--week', '2026-W47', flag, value), bad.io)).toBe(2);
      expect(bad.stderr()).toContain(`error: ${flag} ${JSON.stringify(value)}: ${reason}`);
    }
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('refuses a week that has not started with a usage error naming --week and the latest week it can report', async () => {
    // Wednesday of 2026-W48 in Denver: W48 is the current week (a preview), W47 the last full one.
    const future = captureIo();
    const io = { ...future.io, clock: { now: () => NOW } };
    expect(await main(args(join(dir, 'x'), '--week', '2026-W49'), io)).toBe(2);
    expect(future.stderr()).toContain(
      'error: --week "2026-W49": week 2026-W49 (America/Denver) has not started yet: the latest week that can be reported is the current one, 2026-W48 (reported as a preview until it ends); leave --week out for the last full week, 2026-W47',
    );
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('says why the security alerts can list other logins when told they run on the instance', async () => {
    // The resend (beforeAll) was told so with --alerts-enabled.
    expect(resend.code, resend.stderr).toBe(0);
    const model = JSON.parse(resend.json);
    expect(model.securityAlerts).toEqual({ historyDays: 30, alertHistoryDays: 30 });
    const sentence =
      'Security alerts judge each hour against the 30 days before that hour, not the week against the 30 days before the week, so they can list logins this report does not, or the reverse';
    expect(textWords(resend.text)).toContain(sentence);
    expect(resend.html).toContain(sentence);
  });

  // Review R-SECOND5 M1: the section ran with 4 failures whatever the alerts' setting.
  it("runs with the alerts' failuresBeforeLogin and the lag alarm's threshold it is given, else their defaults", async () => {
    expect(JSON.parse(first.files.json)).toMatchObject({ failuresBeforeLogin: 4, ingestLagHours: 3 });
    expect(JSON.parse(resend.json)).toMatchObject({ failuresBeforeLogin: 6, ingestLagHours: 12 });
    expect(textWords(resend.text)).toContain('A user signing in after 6 or more failed logins of theirs');
    const bad = captureIo();
    expect(await main(args(join(dir, 'x'), '--failures-before-login', '1'), bad.io)).toBe(2);
    expect(bad.stderr()).toMatch(/--failures-before-login "1".*2/);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('still reports the current week, as a preview', async () => {
    const current = captureIo();
    const io = { ...current.io, clock: { now: () => NOW } };
    const out = join(dir, 'current');
    expect(await main(args(out, '--week', '2026-W48', '--json'), io), current.stderr()).toBe(0);
    const model = JSON.parse(current.stdout());
    expect(model.week.isoWeek).toBe('2026-W48');
    // The known lake holds nothing after W47, so the week is empty; made before its end, it is a preview.
    expect(model.status).toBe('empty');
    expect(model.generatedAt).toBe(new Date(NOW).toISOString());
    expect(Date.parse(model.generatedAt)).toBeLessThan(Date.parse(model.week.endUtc));
  });

  it('says nobody could be judged for bulk data movement in a week the lake begins in', async () => {
    // The known lake begins in W42's last days: the 30 days before it hold nothing.
    const first = captureIo();
    const io = { ...first.io, clock: { now: () => NOW } };
    expect(await main(args(join(dir, 'first'), '--week', '2026-W42', '--json'), io), first.stderr()).toBe(0);
    expect(JSON.parse(first.stdout()).bulkDataNoHistory).toBe(true);
  });
});

describe('the report command summary', () => {
  const paths = {
    html: '/o/report.html',
    txt: '/o/report.txt',
    eml: '/o/report.eml',
    json: '/o/report.json',
  };
  const summaryOf = (model: WeeklyReportModel) =>
    describeLocalReport({ model, subject: reportSubject(model), paths, htmlBytes: 1 });

  it('shows the change in events only where the subject does: not for a partial week or a preview', () => {
    expect(summaryOf(sampleModel())).toContain('\n  12,345 events (+8%), 38 active users,');
    const partial = sampleModel({
      status: 'partial',
      health: fullHealth({ coveredHours: 144, coveragePct: 85.7 }),
    });
    const preview = sampleModel({ status: 'in-progress' });
    for (const model of [partial, preview]) {
      expect(summaryOf(model)).toContain('\n  12,345 events, 38 active users,');
      expect(summaryOf(model)).not.toContain('(+8%)');
    }
  });

  it('counts the logins the place checks could not judge beside the suspicious ones', () => {
    const model = sampleModel({
      suspiciousLogins: [],
      health: fullHealth({ logins: 49, unplacedLogins: 49 }),
    });
    expect(summaryOf(model)).toContain(
      '  0 suspicious logins (49 logins not placed: run enrich for the week); coverage',
    );
    const placed = sampleModel({ health: fullHealth({ logins: 49, unplacedLogins: 0 }) });
    expect(summaryOf(placed)).not.toContain('not placed');
  });

  it('says, as the subject does, how many users were too new to judge', () => {
    // Review R-OPS: `0 suspicious logins; coverage 168 of 168 hours` under a subject saying
    // `0 suspicious logins (26 of 40 users not judged)`.
    const model = sampleModel({
      suspiciousLogins: [],
      loginHistory: { users: 40, shortHistoryUsers: 26, minHistoryLogins: 5, historyDays: 90 },
    });
    const summary = summaryOf(model);
    expect(summary).toContain('\n  0 suspicious logins (26 of 40 users not judged); coverage');
    expect(summary).toMatch(
      /\n {2}subject: .*: 0 suspicious logins \(26 of 40 users not judged\), .*[\d,]+ events/,
    );
  });
});

describe("the report command's interruptible engine", () => {
  it("passes the report's per-query time limit on with the interrupt's signal", async () => {
    const seen: QueryRunOptions[] = [];
    const answer = async (options: QueryRunOptions = {}) => {
      seen.push(options);
      return { columns: [], rows: [] };
    };
    const engine = {
      run: (_name: string, _params: unknown, options?: QueryRunOptions) => answer(options),
      runSql: (_sql: string, _params: unknown, _label?: string, options?: QueryRunOptions) => answer(options),
    } as unknown as CommandEngine;
    const interrupt = new AbortController();
    const wrapped = interruptedBy(engine, interrupt.signal);
    await wrapped.run('period_totals', {}, { timeoutMs: 120_000 });
    await wrapped.runSql?.('SELECT 1', [], 'coverage', { timeoutMs: 90_000 });
    expect(seen.map((o) => o.timeoutMs)).toEqual([120_000, 90_000]);
    interrupt.abort();
    expect(seen.every((o) => o.signal?.aborted)).toBe(true);
  });
});
