/**
 * README.md and docs/cli.md ("The demo") show what `npm run demo` printed. The README's copy was
 * once hand-edited (its alert count 25 -> 28) while docs/cli.md kept the old run: a reader checks
 * their own run against figures no run printed. Here the two copies are held to each other and to
 * their own sums, and their figures to a demo run at the minute the docs say theirs began: the
 * simulator is seeded, so at that minute it simulates the same weeks (the figures move with the
 * time of the run, 10 minutes later by some 4 %). A transcript edited by hand fails here; one
 * pasted from a run, with the minute it began (`date -u` before `npm run demo`), passes as it is.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';
import { demoLake } from '../support/demo-lake.ts';

const doc = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The code block that opens with the demo's first line, as its lines. */
function transcriptOf(path: string): string[] {
  const text = doc(path);
  const start = text.indexOf('```\nSimulated Domo: ');
  if (start < 0) throw new Error(`${path} holds no demo transcript (a block opening "Simulated Domo: ")`);
  return text.slice(start + 4, text.indexOf('\n```', start + 4)).split('\n');
}

const readme = transcriptOf('README.md');
const full = transcriptOf('docs/cli.md');

/** The number a line of the transcript gives, found by `pattern`'s first group. */
function figure(lines: readonly string[], pattern: RegExp): number {
  const found = lines.map((line) => pattern.exec(line)).find((m) => m !== null);
  if (!found?.[1]) throw new Error(`no line of the transcript matches ${pattern}`);
  return Number(found[1]);
}

/** The alert rows: a time, two spaces, the kind. */
const alertRows = (lines: readonly string[]) =>
  lines.filter((line) => /^ {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}/.test(line));
const ALERTS = /^alerts from .+ UTC: (\d+)$/;

/** The ingest's "watermark: was none, now 2026-12-07 16:00 UTC" as its day and its hour's start. */
function watermarkOf(lines: readonly string[]): { day: string; hourMs: number } {
  const line = lines.find((l) => l.startsWith('  watermark: was none, now ')) ?? '';
  const [, day, hour] = /now (\d{4}-\d\d-\d\d) (\d\d:00) UTC$/.exec(line) ?? [];
  return { day: `${day}`, hourMs: Date.parse(`${day}T${hour}:00Z`) };
}

/** When the run shown began: docs/cli.md's "the run shown, begun at 16:20 UTC," after its watermark. */
function runStart(): number {
  const prose = doc('docs/cli.md').replace(/\s+/g, ' ');
  const minute = / the run shown, begun at (\d\d:\d\d) UTC,/.exec(prose)?.[1];
  const { day, hourMs } = watermarkOf(full);
  const onDay = Date.parse(`${day}T${minute}:00Z`);
  // A run begun in the first minutes after midnight has its watermark on the day before.
  const startMs = onDay < hourMs ? onDay + DAY_MS : onDay;
  if (Number.isNaN(startMs))
    throw new Error(
      'docs/cli.md does not say when the run shown began: write "the run shown, begun at HH:MM UTC," (date -u just before npm run demo)',
    );
  return startMs;
}

/** The week the alerts line is of: "alerts from 2026-11-30 00:00 to 2026-12-07 00:00 UTC: 26". */
function alertsWeek(): { since: string; until: string } {
  const header = full.find((line) => ALERTS.test(line)) ?? '';
  const [, since, until] = /^alerts from (\S+) 00:00 to (\S+) 00:00 /.exec(header) ?? [];
  return { since: `${since}`, until: `${until}` };
}

describe("the demo's transcript in README.md and docs/cli.md", () => {
  it("README's is docs/cli.md's run, abridged only where it says so", () => {
    // Every line README keeps is docs/cli.md's, in its order; only the "…  (N more: …)" line is its own.
    const kept = readme.filter((line) => !line.startsWith('  …  ('));
    let at = 0;
    for (const line of kept) {
      const next = full.indexOf(line, at);
      expect(
        next,
        `README's line is not docs/cli.md's (or out of its order): ${line}`,
      ).toBeGreaterThanOrEqual(0);
      at = next + 1;
    }
    expect(figure(readme, ALERTS)).toBe(alertRows(readme).length + figure(readme, /^ {2}… {2}\((\d+) more/));
  });

  it('adds up: the entries, the events verified and the alerts listed', () => {
    const simulated = figure(full, /^Simulated Domo: (\d+) activity entries/);
    const written = figure(full, /^ {2}events written: (\d+) /);
    const quarantined = figure(full, /, quarantined: (\d+)$/);
    const unsettled = figure(full, /^ {2}not settled yet: (\d+) entries/);
    expect(full).toContain(
      `  ${written} written + ${quarantined} quarantined + ${unsettled} not settled = all ${simulated} simulated`,
    );
    expect(figure(full, /^ {2}events: (\d+), duplicate ids/)).toBe(written);
    expect(figure(full, /^ {2}quarantined: (\d+)$/)).toBe(quarantined);
    expect(figure(full, ALERTS)).toBe(alertRows(full).length);
  });

  it("docs/contributing.md's first half hour reads the report week of the README's run", () => {
    // Once fixed dates of an older run: a newcomer read a week the demo had planted nothing in.
    const dates = (text: string) => / query data_movement .*?(--from \S+ --to \S+)/.exec(text)?.[1];
    const text = doc('docs/contributing.md');
    const firstHalfHour = text.slice(text.indexOf('## The first half hour'), text.indexOf('## The loop'));
    expect(dates(firstHalfHour)).toBe(dates(readme.join('\n')));
    expect(dates(firstHalfHour)).toBeDefined();
  });

  it("docs/cli.md's words about the run shown are that run's", () => {
    const text = doc('docs/cli.md');
    const section = text.slice(text.indexOf('## The demo'));
    const prose = section.slice(0, section.indexOf('```')).replace(/\s+/g, ' ');
    const privileged = alertRows(full).filter((line) => line.includes('  privileged change  ')).length;
    expect(prose).toContain(`UTC, took ${figure(full, /^Done in ([\d.]+) s\./).toFixed(1)} s`);
    expect(prose).toContain(`made ${figure(full, /^ {2}Domo requests: (\d+) /)} requests`);
    expect(prose).toContain(
      `${figure(full, /^ {2}not settled yet: (\d+) entries/)} entries in the run shown`,
    );
    expect(prose).toContain(`(${privileged} of the ${figure(full, ALERTS)} shown)`);
  });
});

describe("the demo's transcript against a demo run begun when the docs say", () => {
  const startMs = runStart();
  const clock = clockFrom(startMs);
  let dir: string;
  let lake: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'readme-demo-'));
    lake = join(dir, 'lake');
    // Built as `demo` builds it, the demo ended once its lake is whole (see demoLake).
    await demoLake(['--lake', lake, '--out', join(dir, 'demo-out')], captureIoAt(clock).io);
  }, 240_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('wrote and quarantined what the transcript says, up to its watermark', async () => {
    expect(doc('README.md').replace(/\s+/g, ' ')).toContain(
      `this run, begun at ${new Date(startMs).toISOString().slice(11, 16)} UTC,`,
    );
    const lastRun = JSON.parse(readFileSync(join(lake, 'state/instance=main/last-run.json'), 'utf8'));
    expect(lastRun).toMatchObject({
      watermark_ms: watermarkOf(full).hourMs,
      events_written: figure(full, /^ {2}events written: (\d+) /),
      quarantined: figure(full, /, quarantined: (\d+)$/),
    });
  });

  it("holds the report week's events the report line counts", async () => {
    // The report's count is the week's events as the hours' manifests count them (no DuckDB needed).
    const { since, until } = alertsWeek();
    const manifests = await readdir(join(lake, 'coverage'), { recursive: true });
    let events = 0;
    for (const path of manifests.filter((p) => p.endsWith('.json'))) {
      const manifest = JSON.parse(readFileSync(join(lake, 'coverage', path), 'utf8'));
      const start = manifest.window_start_ms as number;
      if (start >= Date.parse(since) && start < Date.parse(until)) events += manifest.event_count as number;
    }
    expect(events.toLocaleString('en-US')).toBe(/^ {2}([\d,]+) events \(/m.exec(full.join('\n'))?.[1]);
  });

  it('mails the subject the transcript and docs/report.md quote', async () => {
    // A subject item added (the grave privileged changes) left every quoted subject a run behind.
    const week = /^report (\S+) /m.exec(full.join('\n'))?.[1] ?? '';
    const { io, stdout, stderr } = captureIoAt(clock);
    const args = ['report', '--lake', lake, '--week', week, '--out', join(dir, 'report-out')];
    expect(await main(args, io), stderr()).toBe(0);
    const subject = /^ {2}subject: (.+)$/m.exec(stdout())?.[1];
    expect(full.find((line) => line.startsWith('  subject: '))).toBe(`  subject: ${subject}`);
    expect(doc('docs/report.md').replace(/\s+/g, ' ')).toContain(`\`${subject}\``);
  });

  it("raised the week's alerts the transcript lists, as many as it counts", async () => {
    const { since, until } = alertsWeek();
    const { io, stdout, stderr } = captureIoAt(clock);
    const args = ['alerts', '--lake', lake, '--since', since, '--until', until, '--format', 'json'];
    expect(await main(args, io), stderr()).toBe(0);
    const raised = (JSON.parse(stdout()) as { event_time: string; user_name: string | null }[]).map(
      (alert) => `${alert.event_time.slice(0, 16).replace('T', ' ')} ${alert.user_name ?? ''}`,
    );
    expect(raised).toHaveLength(figure(full, ALERTS));
    // Each row listed: its minute and its user (the "many users" of a spray has none).
    for (const row of alertRows(full)) {
      const [time, user] = [row.slice(2, 18), /^ {2}\S+ \S+ {2}.{32}(.+?) \(\d+\)/.exec(row)?.[1] ?? ''];
      expect(raised, row).toContain(`${time} ${user}`);
    }
  });
});
