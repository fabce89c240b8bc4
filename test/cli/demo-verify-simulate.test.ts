import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { cliCommand, cliCommandAnywhere, shellWord } from '../../functions/cli/command-line.ts';
import { demoCommand, unsettledLines, unsettledOf } from '../../functions/cli/commands/demo.ts';
import { simulateCommand } from '../../functions/cli/commands/simulate.ts';
import { DEMO_LOCK } from '../../functions/cli/demo-lake.ts';
import { main } from '../../functions/cli/main.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';
import { readLake } from '../support/lake-contents.ts';

/**
 * "Now" for the demos that count what they simulated: a Wednesday noon, whatever the day. The
 * company is quiet at weekends (a fifth of the weekday activity): a one-day demo run on a Sunday
 * simulated 19 events where the first test asks for over 100.
 */
const weekdayClock = clockFrom(Date.parse('2026-10-07T12:00:00Z'));
let dir: string;
/**
 * A one-day demo lake of 12 people, made once: the rerun and `verify` tests work on it. The default
 * 40 people cost ~3x the CPU (2.6 against 0.8 CPU-s a run) and prove nothing more here.
 */
let demoLake: string;
let firstDemo: Awaited<ReturnType<typeof demoCommand>>;
/** What the first demo printed. */
let firstStdout: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-demo-'));
  demoLake = join(dir, 'demo-lake');
  const first = captureIoAt(weekdayClock);
  firstDemo = await demoCommand(['--lake', demoLake, '--days', '1', '--users', '12'], {
    ...first.io,
    log: silentLog,
  });
  firstStdout = first.stdout();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * A demo of eight days just after a week ended, printing to a terminal 80 columns wide, made once: the
 * report test below and the 80-column test (test/cli/eighty-columns.test.ts's subject, run here to share
 * this run, ~2 CPU-s) read what it printed and wrote. Eight days reach back over the whole of the week
 * (the report week) and a day of history before it (what suspicious logins are judged against).
 */
const weeklyClock = { now: () => Date.parse('2026-10-05T01:00:00Z') };
let weekly: {
  lake: string;
  out: string;
  code: number;
  stdout: string;
  stderr: string;
  /** What each write to stdout said, and how far the run had got when it was made. */
  writes: { text: string; lake: boolean; report: boolean; alerts: boolean }[];
  /** The lake's files (size and time of change) as the ingest's line was written. */
  lakeAtIngest: Record<string, string>;
};

/** Every file under `root` but the demo's lock, with its size and time of last change. */
function filesOf(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const path of readdirSync(root, { recursive: true, encoding: 'utf8' }).sort()) {
    const stat = statSync(join(root, path));
    if (stat.isFile() && path !== DEMO_LOCK) files[path] = `${stat.size} ${stat.mtimeMs}`;
  }
  return files;
}
beforeAll(async () => {
  const lake = join(dir, 'report-demo', 'lake');
  const out = join(dir, 'report-demo', 'out');
  const { io, stdout, stderr } = captureIo();
  const writes: (typeof weekly)['writes'] = [];
  let lakeAtIngest: Record<string, string> = {};
  const recording = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        if (String(chunk).startsWith('ingest ')) lakeAtIngest = filesOf(lake);
        writes.push({
          text: String(chunk),
          lake: existsSync(join(lake, 'activity_log')),
          report: existsSync(join(out, 'report.html')),
          alerts: existsSync(join(out, 'alerts.eml')),
        });
        io.stdout.write(chunk, done);
      },
    }),
    { isTTY: true, columns: 80 },
  );
  const code = await main(['demo', '--lake', lake, '--days', '8', '--users', '6'], {
    ...io,
    stdout: recording,
    clock: weeklyClock,
  });
  weekly = { lake, out, code, stdout: stdout(), stderr: stderr(), writes, lakeAtIngest };
});

/**
 * One small demo read by two tests, each about a property the other does not touch (a run is
 * ~0.5 CPU-s): its "now" over a year before any run of the test, where a simulated Domo on the
 * system clock would hold those days past its retention and serve none of them; and no geo
 * database, which it must report as ingest does.
 */
let pinnedDemo:
  | Promise<{ run: Awaited<ReturnType<typeof demoCommand>>; stdout: string; stderr: string }>
  | undefined;
const pinnedDemoWithoutGeo = () => {
  pinnedDemo ??= (async () => {
    const clock = { now: () => Date.parse('2024-06-03T12:00:00Z') };
    const { io, stdout, stderr } = captureIoAt(clock, { GEO_DB_PATH: join(dir, 'no-such-geo.bin') });
    const lake = join(dir, 'pinned-no-geo', 'lake');
    const args = ['--lake', lake, '--out', join(dir, 'pinned-no-geo', 'out'), '--days', '1', '--users', '3'];
    const run = await demoCommand(args, { ...io, log: silentLog });
    return { run, stdout: stdout(), stderr: stderr() };
  })();
  return pinnedDemo;
};

const silentIo = () => ({
  ...captureIoAt(weekdayClock).io,
  log: { debug() {}, info() {}, warn() {}, error() {} },
});

describe('demo', () => {
  it('simulates, ingests and verifies a lake on disk, and replaces its own lake on a rerun', async () => {
    const first = firstDemo;
    expect(first.verify.ok).toBe(true);
    expect(first.ingest.failures).toEqual([]);
    expect(first.ingest.eventsWritten).toBeGreaterThan(100);
    expect(first.ingest.quarantined).toBeGreaterThanOrEqual(0);
    expect(first.verify.events).toBe(first.ingest.eventsWritten);
    // Every simulated entry is an event, quarantined, or in an hour not settled yet (pulled next run).
    expect(first.simulatedEntries).toBe(
      first.ingest.eventsWritten + first.ingest.quarantined + first.unsettledEntries,
    );
    // And the transcript says so, right under the ingest's own counts.
    const { eventsWritten, quarantined } = first.ingest;
    expect(firstStdout).toContain(
      `\n  ${eventsWritten} written + ${quarantined} quarantined + ${first.unsettledEntries} not settled = all ${first.simulatedEntries} simulated\nverify main`,
    );

    // The run is recorded for `status`, as the scheduled ingest records its runs.
    const lastRun = JSON.parse(await readFile(join(demoLake, 'state/instance=main/last-run.json'), 'utf8'));
    expect(lastRun).toMatchObject({ outcome: 'ok', events_written: first.ingest.eventsWritten });

    // Some addresses come as proxies' forwarded-for lists, stored as sent and placed by their client.
    const { events } = await readLake(new FsObjectStore(demoLake), 'main');
    const lists = events.filter((e) => e.ip_address?.includes(','));
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.filter((e) => e.ip_country === null)).toEqual([]);

    // A smaller company the second time: had the first lake stayed, verify would count its events too.
    const again = await demoCommand(['--lake', demoLake, '--days', '1', '--users', '3'], silentIo());
    expect(again.verify.events).toBe(again.ingest.eventsWritten);
  });

  it("ends with last week's report in out/ next to the lake and tells where to open it", async () => {
    const { lake, out, writes, stdout, code, stderr } = weekly;
    expect(code, stderr).toBe(0);
    // Each step is printed as it ends, not the whole transcript at the end of the run.
    expect(writes.map(({ text }) => text.split(' ')[0])).toEqual([
      'Simulated',
      'ingest',
      'verify',
      'report',
      'alerts',
    ]);
    const [simulated, ingested, verified, reported, alerted] = writes;
    expect(simulated).toMatchObject({ lake: false });
    expect(ingested).toMatchObject({ lake: true, report: false });
    expect(verified).toMatchObject({ report: false });
    expect(reported).toMatchObject({ report: true, alerts: false });
    expect(alerted).toMatchObject({ alerts: true });
    // The steps after the ingest read the lake and write nothing into it: test/support/demo-lake.ts
    // ends the demo at the ingest's line for the tests that read the lake only.
    expect(Object.keys(weekly.lakeAtIngest).length).toBeGreaterThan(8 * 24);
    expect(filesOf(lake)).toEqual(weekly.lakeAtIngest);
    const model = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(model.week.isoWeek).toBe('2026-W40');
    expect(model.status).toBe('complete');
    expect(model.health.coveredHours).toBe(model.health.expectedHours);
    expect(model.totals.events.current).toBeGreaterThan(1000);
    expect(model.totals.lockouts.current).toBeGreaterThanOrEqual(1);
    expect(model.suspiciousLogins.length).toBeGreaterThanOrEqual(1);
    // The demo runs the alerts too: its report says why they can list other logins.
    expect(model.securityAlerts).toEqual({ historyDays: 30, alertHistoryDays: 30 });
    expect(await readFile(join(out, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(await readFile(join(out, 'report.eml'), 'utf8')).toContain('Content-Type: multipart/alternative;');
    expect(await readFile(join(out, 'report.txt'), 'utf8')).toContain(`Domo activity ${model.week.isoWeek}`);
    expect(stdout).toContain(`report ${model.week.isoWeek} (main)`);
    // Its sentences are wrapped to the terminal (checked below): read here with the lines joined.
    const flowing = stdout.replace(/\n +/g, ' ');
    expect(flowing).toContain(`Open ${join(out, 'report.html')} in a browser`);
    // The alerts since the week began, the planted lockout among them, as the alerts function sends them.
    expect(await readFile(join(out, 'alerts.eml'), 'utf8')).toContain('Subject: Security alerts (main): ');
    expect(await readFile(join(out, 'alerts.txt'), 'utf8')).toMatch(
      /lockout: .+\n {2}locked out after \d+ failed logins/,
    );
    expect(flowing).toMatch(/alerts since .* UTC: \d+/);
    // The report it suggests exploring says what the demo's own report says of the alerts.
    // The week before the demo's own, so the line runs as pasted (a <placeholder> would be a redirect).
    // Into a folder of its own, so it does not replace the report the demo just said to open. Its
    // 8 days begin inside the week before (W39, 47 of its 168 hours): the demo's own week then.
    // At 80 columns it is printed one option a line (see the test at 80 columns): read as pasted.
    const week = model.week.isoWeek;
    expect(stdout.replace(/ \\\n +/g, ' ')).toContain(
      `report --lake ${shellWord(lake)} --out ${shellWord(join(out, week))} --week ${week} --alerts-enabled\n`,
    );
  });

  it('never deletes a directory it did not create', async () => {
    const foreign = join(dir, 'precious');
    await mkdir(foreign, { recursive: true });
    await writeFile(join(foreign, 'keep.txt'), 'mine');
    const { io, stderr } = captureIo();
    expect(await main(['demo', '--lake', foreign, '--days', '1'], io)).toBe(2);
    expect(stderr()).toMatch(/precious is not empty and was not made by the demo \(it holds keep\.txt\)/);
    expect(await readFile(join(foreign, 'keep.txt'), 'utf8')).toBe('mine');

    // Nor a lake that ingest wrote: only the demo's own lake is replaced.
    const ingested = join(dir, 'ingested');
    await mkdir(join(ingested, 'state', 'instance=main'), { recursive: true });
    await writeFile(join(ingested, 'state', 'instance=main', 'checkpoint.json'), '{}');
    const lake = captureIo();
    expect(await main(['demo', '--lake', ingested, '--days', '1'], lake.io)).toBe(2);
    expect(lake.stderr()).toMatch(/ingested is not empty and was not made by the demo \(it holds state\/\)/);
    expect(await readFile(join(ingested, 'state', 'instance=main', 'checkpoint.json'), 'utf8')).toBe('{}');
  });

  // One demo for two properties, each checked on its own (--json changes only what it prints).
  it('builds its lake in a directory holding only file-manager files, and prints one JSON document with --json', async () => {
    const finder = join(dir, 'finder', 'lake');
    await mkdir(finder, { recursive: true });
    await writeFile(join(finder, '.DS_Store'), '');
    const args = [
      'demo',
      '--lake',
      finder,
      '--out',
      join(dir, 'finder', 'out'),
      '--days',
      '1',
      '--users',
      '3',
      '--json',
    ];
    const { io, stdout, stderr } = captureIoAt(weekdayClock);
    expect(await main(args, io), stderr()).toBe(0);
    // As in an empty directory.
    expect(existsSync(join(finder, 'state', 'instance=main', 'checkpoint.json'))).toBe(true);
    // One JSON document, the steps' lines left out.
    const result = JSON.parse(stdout());
    expect(result.simulatedEntries).toBe(
      result.ingest.eventsWritten + result.ingest.quarantined + result.unsettledEntries,
    );
    expect(result.verify.ok).toBe(true);
  });

  it('says, as ingest does, when its events were stored without geo columns', async () => {
    const { run, stdout, stderr } = await pinnedDemoWithoutGeo();
    // What `demo` exits 0 on.
    expect(run.verify.ok, stderr).toBe(true);
    expect(stdout).toMatch(
      /\n {2}warning: [\d,]+ event\(s\) with an IP address were stored without geo columns/,
    );
    expect(stdout).toContain(`GEO_DB_PATH (now ${join(dir, 'no-such-geo.bin')})`);
  });

  it('serves its simulated Domo at the "now" its ingest reads, not at the system clock', async () => {
    const { run } = await pinnedDemoWithoutGeo();
    expect(run.ingest.eventsWritten).toBeGreaterThan(0);
    expect(run.simulatedEntries).toBe(
      run.ingest.eventsWritten + run.ingest.quarantined + run.unsettledEntries,
    );
  });

  it('refuses a company without people before touching the lake', async () => {
    const { io, stderr } = captureIo();
    const lake = join(dir, 'no-people', 'lake');
    expect(await main(['demo', '--lake', lake, '--users', '0'], io)).toBe(2);
    expect(stderr()).toMatch(/--users/);
    expect(existsSync(lake)).toBe(false);
  });
});

describe('the demo at 80 columns (see test/cli/eighty-columns.test.ts)', () => {
  /** The lines wider than `width` that are not a single word (a path or a URL, left whole). */
  const tooWide = (text: string, width: number, whole: (line: string) => boolean = () => false): string[] =>
    text.split('\n').filter((line) => line.length > width && line.trim().includes(' ') && !whole(line));
  /** captureIo, its stdout a terminal `columns` wide. */
  const terminalIo = (columns: number) => {
    const captured = captureIo();
    Object.assign(captured.io.stdout, { isTTY: true, columns });
    return captured;
  };

  it('demo, verify and report wrap their sentences; the commands to copy stay whole', async () => {
    const { lake, stdout } = weekly;
    const command = (line: string) => line.startsWith(`  ${cliCommand()} `);
    expect(tooWide(stdout, 80, command)).toEqual([]);
    // The run's sentences did need wrapping: a continuation line of one is there.
    expect(stdout).toMatch(/\n {2,}\S.*\n/);
    expect(stdout).toContain(`\n  ${cliCommand()} query --list\n`);
    // The report command, wider than 80 columns on one line, comes one option a line, to paste as one.
    expect(stdout).toContain(`\n  ${cliCommand()} report \\\n    --lake ${shellWord(lake)} \\\n`);
    const verify = terminalIo(60);
    await main(['verify', '--lake', lake], verify.io);
    expect(tooWide(verify.stdout(), 60)).toEqual([]);
    expect(verify.stdout()).toMatch(/^verify main at /);
    const report = terminalIo(60);
    await main(['report', '--lake', lake, '--out', join(dir, 'out-60')], {
      ...report.io,
      clock: weeklyClock,
    });
    expect(tooWide(report.stdout(), 60)).toEqual([]);
    expect(report.stdout()).toMatch(/^report \d{4}-W\d{2} \(main\)/);
  });
});

describe("the demo's account of the simulated entries", () => {
  const watermark = Date.parse('2026-12-01T07:00:00Z');
  const ingest = { eventsWritten: 46_233, quarantined: 51, watermarkAfterMs: watermark };

  it('counts the entries from the watermark on as not settled yet, all of them without one', () => {
    const entries = [watermark - 1, watermark, watermark + 59 * 60_000].map((timeMs) => ({ timeMs }));
    expect(unsettledOf(entries, ingest)).toBe(2);
    expect(unsettledOf(entries, { watermarkAfterMs: null })).toBe(3);
  });

  it('adds written, quarantined and not settled up to the simulated entries', () => {
    expect(unsettledLines(46_349, 65, ingest)).toEqual([
      '  not settled yet: 65 entries from 07:00 UTC on; the next run takes them',
      '  46233 written + 51 quarantined + 65 not settled = all 46349 simulated',
    ]);
    // Nothing unsettled (a run just after the hour settled): no line for it, the sum still shown.
    expect(unsettledLines(46_284, 0, ingest)).toEqual([
      '  46233 written + 51 quarantined + 0 not settled = all 46284 simulated',
    ]);
  });

  it('says so when the counts do not add up, rather than hide the difference', () => {
    expect(unsettledLines(46_350, 65, ingest).at(-1)).toBe(
      '  warning: 46233 written + 51 quarantined + 65 not settled = 46349, not the 46350 simulated',
    );
  });
});

describe('verify', () => {
  it('reports gaps in a range and exits 1, and passes where the lake is complete', async () => {
    const lake = demoLake;
    // At the time the demo built it: a lake days old says its watermark is late.
    const ok = captureIoAt(weekdayClock);
    expect(await main(['verify', '--lake', lake], ok.io)).toBe(0);
    expect(ok.stdout()).toMatch(/hours covered: (\d+) of \1\n/);
    expect(ok.stdout()).toMatch(/\n {2}OK\n$/);

    const wider = captureIo();
    // Four days ago lies before the one-day demo's backfill (two days) whatever the time of day.
    const fourDaysAgo = new Date(Date.now() - 4 * 86_400_000).toISOString().slice(0, 10);
    expect(
      await main(
        ['verify', '--lake', lake, '--from', fourDaysAgo, '--to', `${fourDaysAgo}T06:00:00Z`, '--json'],
        wider.io,
      ),
    ).toBe(1);
    const report = JSON.parse(wider.stdout());
    expect(report.gaps).toHaveLength(1);
    expect(report.windowsCovered).toBe(0);
    expect(report.ok).toBe(false);
  });
});

describe('verify on a lake that is not there', () => {
  it('says so instead of reporting an empty success', async () => {
    const { io, stderr } = captureIo();
    expect(await main(['verify', '--lake', join(dir, 'no-such-lake')], io)).toBe(1);
    expect(stderr()).toMatch(/there is no lake at .*no-such-lake \(no such directory\): point --lake at/);
  });
});

/** Runs `body` while a server of this test holds a port of 127.0.0.1. */
async function withBusyPort(body: (port: number) => Promise<void>): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body((server.address() as AddressInfo).port);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('simulate', () => {
  it('exports its ground truth as NDJSON, even while another server holds the port asked', async () => {
    const file = join(dir, 'truth.ndjson');
    const { io, stdout } = captureIo();
    await withBusyPort(async (port) => {
      expect(
        await main(['simulate', '--days', '2', '--users', '5', '--port', String(port), '--export', file], io),
      ).toBe(0);
    });
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(stdout()).toMatch(new RegExp(`wrote ${lines.length} entries`));
    const first = JSON.parse(lines[0] ?? '{}');
    expect(first).toHaveProperty('timeMs');
    expect(first.served).toHaveProperty('actionType');
  });

  it('serves a share of events late when asked, and refuses a share that is not a fraction', async () => {
    const file = join(dir, 'late.ndjson');
    const { io } = captureIo();
    expect(
      await main(
        ['simulate', '--days', '1', '--users', '3', '--port', '0', '--late', '0.5', '--export', file],
        io,
      ),
    ).toBe(0);
    const bad = captureIo();
    expect(await main(['simulate', '--late', '2'], bad.io)).toBe(2);
    expect(bad.stderr()).toMatch(/--late must be a fraction from 0 to 1/);
  });

  it('prints the ingest command that pulls it: the days simulated and one more, paced by the client', async () => {
    const { io, stdout } = captureIo();
    await simulateCommand(
      ['--days', '2', '--users', '3', '--port', '0'],
      { ...io, log: silentLog },
      async () => {},
      () => false,
    );
    expect(stdout()).toContain(`    ${cliCommandAnywhere()} ingest \\\n`);
    expect(stdout()).toMatch(
      / ingest \\\n {6}--api-base http:\/\/127\.0\.0\.1:\d+ \\\n {6}--lake .*\/sim-lake'? \\\n {6}--backfill-days 3\n\(a fresh --lake, not the demo's \.\/lake\)\n/,
    );
  });

  it('ends at --to when given: prints that end and a range ingest of those hours, not a backfill from now', async () => {
    const { io, stdout } = captureIo();
    await simulateCommand(
      ['--to', '2026-11-20T10:30:00Z', '--days', '2', '--users', '3', '--port', '0'],
      { ...io, log: silentLog },
      async () => {},
      () => false,
    );
    expect(stdout()).toContain('2026-11-18T10:00:00.000Z .. 2026-11-20T10:30:00.000Z)');
    // The hour holding the last events is pulled whole: ingest ranges fall on whole hours.
    expect(stdout()).toMatch(
      / {6}--lake .*\/sim-lake'? \\\n {6}--from 2026-11-18T10:00:00Z \\\n {6}--to 2026-11-20T11:00:00Z\n/,
    );
    expect(stdout()).not.toMatch(/--backfill-days|\.\. now/);
  });

  it('suggests a --lake that does not exist yet: a fresh lake, as it says', async () => {
    const taken = new Set(['./sim-lake', './sim-lake-2']);
    const { io, stdout } = captureIo();
    await simulateCommand(
      ['--to', '2026-11-20T10:30:00Z', '--days', '2', '--users', '3', '--port', '0'],
      { ...io, log: silentLog },
      async () => {},
      (path) => taken.has(path),
    );
    expect(stdout()).toMatch(
      / --lake .*\/sim-lake-3'? \\\n {6}--from .* \\\n {6}--to .*\n\(a fresh --lake, not the demo's \.\/lake; \.\/sim-lake is there already\)\n/,
    );
  });

  it('refuses numbers out of range as usage errors naming the flag and the range (exit 2)', async () => {
    for (const [flag, value, range] of [
      ['--port', '70000', 'from 0 to 65535'],
      ['--port', '-1', 'from 0 to 65535'],
      ['--users', '0', 'from 1 to 1000'],
      ['--users', '1001', 'from 1 to 1000'],
      ['--days', '0', 'from 1 to 365'],
      ['--days', '-1', 'from 1 to 365'],
    ] as const) {
      const { io, stderr } = captureIo();
      // --export would serve on a free port whatever --port says: a bad one must still be refused.
      expect(await main(['simulate', flag, value, '--export', join(dir, 'never.ndjson')], io)).toBe(2);
      expect(stderr()).toContain(`${flag} "${value}" must be a whole number ${range}`);
    }
    expect(existsSync(join(dir, 'never.ndjson'))).toBe(false);
  });

  it('says which port is taken and what to pass instead (exit 2)', async () => {
    await withBusyPort(async (port) => {
      const { io, stderr } = captureIo();
      expect(await main(['simulate', '--days', '1', '--users', '3', '--port', String(port)], io)).toBe(2);
      expect(stderr()).toContain(
        `port ${port} on 127.0.0.1 is in use (another simulate?): pass --port <another>, or --port 0 for any free port`,
      );
    });
  });

  it('refuses unknown fault levels and time formats', async () => {
    const faults = captureIo();
    expect(await main(['simulate', '--faults', 'apocalyptic'], faults.io)).toBe(2);
    expect(faults.stderr()).toMatch(/--faults must be none, light or heavy/);
    const format = captureIo();
    expect(await main(['simulate', '--time-format', 'sundial'], format.io)).toBe(2);
    expect(format.stderr()).toMatch(/--time-format must be one of epochMs, docString, iso/);
  });
});
