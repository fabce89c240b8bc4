import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { cliCommand, shellWord } from '../../functions/cli/command-line.ts';
import { describe as describeRun, outOfWindowWarning } from '../../functions/cli/commands/ingest.ts';
import { DEMO_MARKER } from '../../functions/cli/demo-lake.ts';
import { main } from '../../functions/cli/main.ts';
import type { IngestSummary } from '../../functions/core/ingest/ingest-types.ts';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';
import { escaped } from '../support/escaped.ts';
import { compareWithGroundTruth, readLake } from '../support/lake-contents.ts';

const run = promisify(execFile);
const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = Date.parse('2026-10-03T00:00:00Z');
const credentials = { DOMO_CLIENT_ID: 'cli-client', DOMO_CLIENT_SECRET: 'cli-secret-XYZZY' };
/**
 * "Now" for the simulators and the in-process commands: two days after the range, whatever the
 * date the suite runs on (see clockFrom). The npm subprocess reads the system clock: past the
 * range's year it warns on stderr of Domo's retention, which that test does not read.
 */
const clock = clockFrom(toMs + 2 * DAY_MS);
const capture = (env: NodeJS.ProcessEnv = {}) => captureIoAt(clock, env);

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-ingest-'));
  sim = await startSimulator({
    events: generateInstance({ seed: 11, fromMs, toMs, users: 8, eventsPerUserDay: 20 }).events,
    clients: [{ clientId: 'cli-client', clientSecret: 'cli-secret-XYZZY', scopes: ['audit'] }],
    seed: 2,
    clock: clock.now,
    // Tokens expire under the run; the API's error answers are the integration tests' subject
    // (test/integration), where backoff is shortened: here the CLI's real backoff would only wait.
    faults: { tokenLifetimeSec: 1 },
    entryVariation: { twins: 0.05, malformed: 0.02 },
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const ingestArgs = (lake: string, to = '2026-10-03T00:00:00Z') => [
  'ingest',
  '--from',
  '2026-10-01T00:00:00Z',
  '--to',
  to,
  '--lake',
  lake,
  '--api-base',
  sim.url,
  '--requests-per-second',
  '1000',
];

describe('the ingest command', () => {
  it('honours the outside contract: npm run --silent cli -- ingest pulls exactly the range, reruns add nothing', async () => {
    const lake = join(dir, 'contract');
    const env = { ...process.env, ...credentials };
    // The suite's one npm subprocess: with --silent, stdout is the command's JSON and nothing of
    // npm's (no "> domo-activity-lake@ cli" banner lines), so it pipes into a parser as documented.
    const first = await run('npm', ['run', '--silent', 'cli', '--', ...ingestArgs(lake), '--json'], { env });
    expect(JSON.parse(first.stdout)).toMatchObject({ windowsDone: 48, windowsPlanned: 48, failures: [] });
    const days = await readdir(join(lake, 'activity_log', 'instance=main'));
    expect(days).toEqual(['dt=2026-10-01', 'dt=2026-10-02']);
    expect((await readdir(join(lake, 'activity_log', 'instance=main', 'dt=2026-10-01')))[0]).toMatch(
      /^2026-10-01T\d\d\.ndjson\.gz$/,
    );
    expect((await readdir(join(lake, 'quarantine', 'instance=main'))).length).toBeGreaterThan(0);
    const store = new FsObjectStore(lake);
    const comparison = compareWithGroundTruth(await readLake(store, 'main'), sim.groundTruth(), fromMs, toMs);
    expect(comparison).toMatchObject({ lost: 0, duplicated: 0, quarantineLost: 0 });

    // The rerun in-process: one subprocess proves the outside contract, the rest is the same code.
    const again = capture(credentials);
    expect(await main(ingestArgs(lake), again.io), again.stderr()).toBe(0);
    expect(again.stdout()).toMatch(/hours: 48 done of 48 planned/);
    expect(again.stdout()).toMatch(/events written: 0 /);
    expect(
      compareWithGroundTruth(await readLake(store, 'main'), sim.groundTruth(), fromMs, toMs).duplicated,
    ).toBe(0);
  });

  it('exits non-zero with a one-line reason that names the client but never the secret', async () => {
    const { io, stdout, stderr } = capture({
      DOMO_CLIENT_ID: 'cli-client',
      DOMO_CLIENT_SECRET: 'wrong-secret-QWERTY',
    });
    const code = await main(ingestArgs(join(dir, 'denied')), io);
    expect(code).toBe(1);
    const message = stderr().trim();
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^error: .*cli-client/);
    // The variables this run read the credentials from, not a secret it never read (review R-SRE L3).
    expect(message).toContain('rejected the credentials');
    expect(message).toMatch(/check DOMO_CLIENT_ID\/DOMO_CLIENT_SECRET[.;]/);
    expect(message).not.toContain('Secrets Manager');
    expect(`${stdout()}${stderr()}`).not.toMatch(/wrong-secret-QWERTY/);
  });

  it('explains missing credentials and bad options as usage errors', async () => {
    const missing = capture({});
    expect(await main(ingestArgs(join(dir, 'x')), missing.io)).toBe(2);
    expect(missing.stderr()).toMatch(/DOMO_CLIENT_ID and DOMO_CLIENT_SECRET are not set/);

    const badTime = capture(credentials);
    expect(
      await main(
        ['ingest', '--from', '2026-10-01T00:00:00', '--to', '2026-10-02', '--lake', dir],
        badTime.io,
      ),
    ).toBe(2);
    expect(badTime.stderr()).toMatch(/--from "2026-10-01T00:00:00" is not a valid UTC time/);

    const lonely = capture(credentials);
    expect(await main(['ingest', '--from', '2026-10-01'], lonely.io)).toBe(2);
    expect(lonely.stderr()).toMatch(/--from and --to go together/);

    const unknown = capture(credentials);
    expect(await main(['ingest', '--frm', '2026-10-01'], unknown.io)).toBe(2);
    expect(unknown.stderr()).toBe('error: unknown option --frm; did you mean --from? (see: ingest --help)\n');

    const notHour = capture(credentials);
    expect(
      await main(
        [
          'ingest',
          '--from',
          '2026-10-01T00:30:00Z',
          '--to',
          '2026-10-02',
          '--lake',
          join(dir, 'y'),
          '--api-base',
          sim.url,
        ],
        notHour.io,
      ),
    ).toBe(2);
    expect(notHour.stderr()).toMatch(/whole UTC hours/);

    const open = capture(credentials);
    expect(await main(['ingest', '--from', '2026-10-01', '--to', '2099-01-01', '--lake', dir], open.io)).toBe(
      2,
    );
    expect(open.stderr()).toMatch(
      /^error: --to 2099-01-01T00:00:00\.000Z is not closed yet: the newest hour/,
    );
  });
});

describe('ingest without its geo database', () => {
  const noGeo = (lake: string) => ({ ...credentials, GEO_DB_PATH: join(lake, 'missing-ip-geo.bin') });
  const placed = async (lake: string) =>
    (await readLake(new FsObjectStore(lake), 'main')).events.filter((e) => e.ip_address !== null);

  it('warns in its summary (no --verbose) why, what it means and the fix, and the fix works', async () => {
    const lake = join(dir, 'no-geo');
    const { io, stdout, stderr } = capture(noGeo(lake));
    expect(await main(ingestArgs(lake), io), stderr()).toBe(0);
    const lines = stdout().split('\n');
    const at = lines.findIndex((line) => line.startsWith('  warning: '));
    expect(lines.slice(at, at + 3)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^  warning: [\\d,]+ event\\(s\\) with an IP address were stored without geo columns: the geo database could not be loaded \\(cannot read the geo database ${escaped(lake)}/missing-ip-geo\\.bin \\(ENOENT: no such file or directory`,
        ),
      ),
      '    the country and network checks (suspicious logins, alerts) cannot judge these events until their geo columns are filled',
      `    fix: point GEO_DB_PATH (now ${lake}/missing-ip-geo.bin) at a readable geo database, or unset it to use the one built from the @ip-location-db packages; then run: ${cliCommand()} enrich --from 2026-10-01T00:00:00Z --to 2026-10-03T00:00:00Z --lake ${shellWord(lake)} --instance main`,
    ]);
    expect(`${stdout()}${stderr()}`).not.toContain(credentials.DOMO_CLIENT_SECRET);
    // The command line's fix only: nothing of the deployed function's (a redeploy, its asset).
    expect(`${stdout()}${stderr()}`).not.toMatch(/redeploy|asset/);
    const stored = await placed(lake);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((e) => e.geo_db_version === null)).toBe(true);

    // The command it names fills the columns (GEO_DB_PATH unset: the database of the packages).
    const command = (lines[at + 2] ?? '').split(`then run: ${cliCommand()} `)[1] ?? '';
    const enrich = capture({});
    // Read back as a shell would: a lake path with a space in it comes in single quotes.
    const words = (command.match(/'[^']*'|\S+/g) ?? []).map((word) => word.replace(/^'(.*)'$/, '$1'));
    expect(await main(words, enrich.io), enrich.stderr()).toBe(0);
    expect((await placed(lake)).every((e) => e.geo_db_version !== null)).toBe(true);
  });

  it('with --json, keeps stdout the summary (eventsUnplaced, geoUnavailable) and warns on stderr', async () => {
    const lake = join(dir, 'no-geo-json');
    const { io, stdout, stderr } = capture(noGeo(lake));
    expect(await main([...ingestArgs(lake), '--json'], io)).toBe(0);
    const summary = JSON.parse(stdout());
    expect(summary.eventsUnplaced).toBeGreaterThan(0);
    expect(summary.geoUnavailable).toMatch(/^cannot read the geo database .*missing-ip-geo\.bin/);
    expect(summary.unplacedRange).toEqual({ fromMs, toMs });
    expect(stderr()).toMatch(
      /^warning: [\d,]+ event\(s\) with an IP address were stored without geo columns/,
    );
  });

  it('says nothing of geo when the database loads', async () => {
    const lake = join(dir, 'placed');
    const { io, stdout } = capture(credentials);
    expect(await main(ingestArgs(lake), io)).toBe(0);
    expect(stdout()).not.toMatch(/warning|geo columns/);
  });
});

describe("the demo's lake", () => {
  it('is refused, since the next demo run would replace it with whatever was ingested into it', async () => {
    const demoLake = join(dir, 'demo-lake');
    await mkdir(demoLake);
    await writeFile(join(demoLake, DEMO_MARKER), '');
    const { io, stderr } = capture(credentials);
    expect(await main(ingestArgs(demoLake), io)).toBe(2);
    expect(stderr()).toMatch(
      /--lake .*demo-lake is the demo's lake: the next demo run replaces it, with anything ingested into it\. Pass another --lake \(e\.g\. \.\/domo-lake\), or remove .*demo-lake first/,
    );
    expect(await readdir(demoLake)).toEqual([DEMO_MARKER]);
  });
});

describe('a directory that is not a lake', () => {
  const threeHours = (lake: string) => ingestArgs(lake, '2026-10-01T03:00:00Z');

  it('is refused before anything is requested or written, naming what it holds and the fix', async () => {
    const project = join(dir, 'project');
    await mkdir(join(project, 'src'), { recursive: true });
    await mkdir(join(project, '.git'));
    await writeFile(join(project, 'notes.txt'), 'mine');
    const requests = sim.stats().requests;
    const { io, stderr } = capture(credentials);
    expect(await main(threeHours(project), io)).toBe(2);
    expect(stderr()).toMatch(
      /^error: --lake .*project is not empty and is not a lake \(it holds \.git\/, notes\.txt, src\/\): the lake's folders \(activity_log\/, coverage\/, quarantine\/, state\/, digest\/\) would be written among those\. Pass a new or empty directory \(e\.g\. --lake \.\/domo-lake\), or the root of an existing lake/,
    );
    expect((await readdir(project)).sort()).toEqual(['.git', 'notes.txt', 'src']);
    expect(sim.stats().requests).toBe(requests);
  });

  it('takes a directory with only file-manager files, and a lake with files of its owner beside it', async () => {
    const finder = join(dir, 'finder');
    await mkdir(finder);
    await writeFile(join(finder, '.DS_Store'), '');
    const first = capture(credentials);
    expect(await main(threeHours(finder), first.io), first.stderr()).toBe(0);
    expect(first.stdout()).toMatch(/hours: 3 done of 3 planned/);

    await writeFile(join(finder, 'README.txt'), 'the audit lake of acme');
    const again = capture(credentials);
    expect(await main(threeHours(finder), again.io), again.stderr()).toBe(0);
    expect(again.stdout()).toMatch(/hours: 3 done of 3 planned/);
  });
});

/** A simulator whose every answer takes 5 s: longer than any of these runs may take. */
const startSlowSimulator = (slowMs = 5_000) =>
  startSimulator({
    events: generateInstance({ seed: 3, fromMs, toMs, users: 2, eventsPerUserDay: 5 }).events,
    clients: [{ clientId: 'cli-client', clientSecret: 'cli-secret-XYZZY', scopes: ['audit'] }],
    faults: { rateSlow: 1, slowMs },
    clock: clock.now,
  });

describe('ingest --max-duration', () => {
  it('uses the whole duration given (no hidden reserve on top of it)', async () => {
    const { io, stdout } = capture(credentials);
    const args = ['ingest', '--api-base', sim.url, '--backfill-days', '1', '--max-duration', '45s'];
    expect(
      await main([...args, '--lake', join(dir, 'max-duration'), '--requests-per-second', '1000'], io),
    ).toBe(0);
    expect(stdout()).toMatch(/hours: (\d+) done of \1 planned/);
    expect(stdout()).not.toMatch(/hours: 0 done/);
  });

  it('ends on time when the wall clock is set back an hour during the run', async () => {
    // Answers slower than a request's own 30 s timeout: a run the deadline does not end lasts 30 s
    // or more, which a 20 s bound tells from the ~0.5 s this takes even on a loaded machine.
    const slow = await startSlowSimulator(60_000);
    const wall = Date.now.bind(Date);
    let calls = 0;
    // The first reading (the deadline's, on a wall clock) is true; NTP then sets the clock back.
    const setBack = vi.spyOn(Date, 'now').mockImplementation(() => wall() - (calls++ > 0 ? 3_600_000 : 0));
    try {
      const { io } = capture(credentials);
      const args = ['ingest', '--api-base', slow.url, '--backfill-days', '1', '--max-duration', '250ms'];
      const started = performance.now();
      expect(
        await main([...args, '--lake', join(dir, 'set-back'), '--requests-per-second', '1000'], io),
      ).toBe(1);
      expect(performance.now() - started).toBeLessThan(20_000);
    } finally {
      setBack.mockRestore();
      await slow.close();
    }
  });
});

describe('ingest that makes no progress', () => {
  it('exits 1 when the lake is behind and the run saves no hour before its deadline', async () => {
    // Every answer takes longer than the whole run may: no hour can finish.
    const slow = await startSlowSimulator();
    try {
      const { io, stderr } = capture(credentials);
      const args = ['ingest', '--api-base', slow.url, '--backfill-days', '1', '--max-duration', '250ms'];
      expect(
        await main([...args, '--lake', join(dir, 'no-progress'), '--requests-per-second', '1000'], io),
      ).toBe(1);
      expect(stderr().trim().split('\n').at(-1)).toMatch(
        /^error: ingest stopped: 1 failure, first at .*no progress: the lake is behind.*Domo served \d+ page\(s\) meanwhile, in the [1-9]\d* request\(s\) the run made \(retries and token requests included\).*: run again with --verbose to see each request and its answer; this run finished no hour/,
      );
    } finally {
      await slow.close();
    }
  });
});

describe('the command line', () => {
  it('lists commands, prints per-command help, and rejects unknown commands', async () => {
    const help = capture();
    expect(await main(['--help'], help.io)).toBe(0);
    for (const command of ['ingest', 'simulate', 'verify', 'query', 'report', 'demo']) {
      expect(help.stdout()).toMatch(new RegExp(`\\n  ${command} +\\S`));
    }
    const ingestHelp = capture();
    expect(await main(['ingest', '--help'], ingestHelp.io)).toBe(0);
    expect(ingestHelp.stdout()).toMatch(/--api-base/);
    const unknown = capture();
    expect(await main(['explode'], unknown.io)).toBe(2);
    expect(unknown.stderr()).toMatch(/unknown command "explode"/);
  });
});

describe('ingest reading time strings in the wrong zone', () => {
  it('warns that most entries fell outside their hour, naming the zone it read them in and the fix', async () => {
    const from = Date.parse('2026-10-01T10:00:00Z');
    const zoned = await startSimulator({
      events: generateInstance({
        seed: 5,
        fromMs: from,
        toMs: from + 3 * 3_600_000,
        users: 6,
        eventsPerUserDay: 200,
      }).events,
      clients: [{ clientId: 'cli-client', clientSecret: 'cli-secret-XYZZY', scopes: ['audit'] }],
      timeFormat: 'docString',
      docStringTimeZone: 'America/New_York',
      clock: clock.now,
    });
    try {
      const lake = join(dir, 'wrong-zone');
      const { io, stdout, stderr } = capture(credentials);
      const args = ['ingest', '--from', '2026-10-01T10:00:00Z', '--to', '2026-10-01T13:00:00Z'];
      expect(await main([...args, '--lake', lake, '--api-base', zoned.url], io), stderr()).toBe(0);
      const lines = stdout().split('\n');
      const at = lines.findIndex((line) => line.startsWith('  warning: '));
      expect(lines.slice(at, at + 2)).toEqual([
        expect.stringMatching(
          /^ {2}warning: [\d,]+ entries \(\d+% of those this run stored or set aside\) carry a time outside the hour Domo returned them for, and were quarantined$/,
        ),
        '    zone-less time strings are read in --doc-time-zone (now UTC): if Domo writes them in another zone, re-pull these hours with --from/--to and --doc-time-zone set to it (docs/ingest.md, "Reading entries")',
      ]);
    } finally {
      await zoned.close();
    }
  });
});

describe('the ingest summary', () => {
  it('measures entries outside their hour against the events the hours hold, not only new ones', () => {
    const base = { eventsWritten: 0, outOfWindow: 3, eventsStored: 5_000 } as unknown as IngestSummary;
    // A re-pull of stored hours with a few strays: nothing new written, no zone problem.
    expect(outOfWindowWarning(base, 'UTC')).toBeUndefined();
    expect(outOfWindowWarning({ ...base, outOfWindow: 2_857, eventsStored: 0 }, 'UTC')?.[0]).toMatch(
      /^warning: 2,857 entries \(100% of those this run stored or set aside\)/,
    );
  });

  it('accounts for every planned hour: done, failed, and not started when the run stopped', () => {
    const summary = {
      instance: 'main',
      mode: 'checkpoint',
      windowsPlanned: 122,
      windowsDone: 0,
      windowsFailed: 96,
      eventsWritten: 0,
      lateEvents: 0,
      quarantined: 0,
      outOfWindow: 0,
      requests: 3,
      watermarkBeforeMs: null,
      watermarkAfterMs: null,
      stoppedEarly: 'fatal-error',
      otherRuns: [],
    } as unknown as IngestSummary;
    expect(describeRun(summary, '/lake', 0)).toContain(
      '  hours: 0 done of 122 planned, 96 failed, 26 not started\n',
    );
    expect(describeRun({ ...summary, windowsDone: 26 }, '/lake', 0)).toContain(
      '  hours: 26 done of 122 planned, 96 failed\n',
    );
  });
});
