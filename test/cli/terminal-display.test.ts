import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { missingToolTest } from '../support/missing-tool.ts';
import { noWaits } from '../support/no-waits.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';

/**
 * What an operator sees in a real terminal: the package's command run in a tmux pane of a fixed
 * width (Debian's `tmux`, which .ci/run installs), and the pane read back as the screen shows it.
 * Without tmux a local run says so loudly; in CI (CI set) a missing tmux fails.
 */
const exec = promisify(execFile);
const TMUX = ['/usr/bin/tmux', '/usr/local/bin/tmux'].find((path) => existsSync(path));
const BIN = resolve('bin/domo-activity-lake.js');
const credentials = { DOMO_CLIENT_ID: 'tty-client', DOMO_CLIENT_SECRET: 'tty-secret' };

let dir: string;
let lake: string;
let session = 0;
/** Precedes the pane's dead flag after its captured screen. */
const DEAD_MARK = '@@pane-dead=';
/** Stops a pane's command after it writes a given text, until the screen is read (see the file). */
const HOLD_PRELOAD = pathToFileURL(resolve('test/support/hold-pane-output.mjs')).href;

type Tmux = (...argv: string[]) => Promise<{ stdout: string }>;
const quoted = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** The pane's screen as it shows it, and whether its command is over (shell dead, or `[exit n]` drawn). */
async function readPane(tmux: Tmux, name: string) {
  // -J joins the lines the terminal wrapped: a line wider than the pane shows as one.
  const { stdout } = await tmux(
    ...['capture-pane', '-p', '-J', '-t', name, '-S', '-', '-E', '-'],
    ...[';', 'display-message', '-p', '-t', name, `${DEAD_MARK}#{pane_dead}`],
  );
  const dead = stdout.includes(`${DEAD_MARK}1`);
  const screen = stdout
    .slice(0, stdout.lastIndexOf(DEAD_MARK))
    .replace(/\s+$/, '')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => !line.startsWith('Pane is dead ('));
  return { screen, dead, over: dead || /\[exit \d+\]/.test(stdout) };
}

/**
 * The screen of a pane whose command stops after writing text that matches `pattern` to its
 * terminal (test/support/hold-pane-output.mjs), read once that text is on it; the command then goes
 * on. A screen that never shows it within 10 s of the stop is taken as it is, for the test to say so.
 */
function paneHold(tmux: Tmux, socket: string, name: string, pattern: RegExp) {
  const channel = `${name}-hold`;
  let stoppedAt: number | undefined;
  const hold = {
    env: {
      NODE_OPTIONS: `--import=${HOLD_PRELOAD}`,
      PANE_HOLD: pattern.source,
      PANE_HOLD_TMUX: TMUX as string,
      PANE_HOLD_SOCKET: socket,
      PANE_HOLD_CHANNEL: channel,
      PANE_HOLD_REPORT: join(dir, `${channel}-shown-ms`),
    },
    screen: undefined as string[] | undefined,
    /** Milliseconds the line stayed on after the release, until a write without it; undefined if none came. */
    async shownMs(): Promise<number | undefined> {
      const text = await readFile(hold.env.PANE_HOLD_REPORT, 'utf8').catch(() => undefined);
      return text === undefined ? undefined : Number(text);
    },
    /** Waits for the stop in the background, once the pane's server runs. */
    listen() {
      // Rejected when the server exits with nobody signalling: the command never wrote the text.
      tmux('wait-for', `${channel}-held`).then(
        () => {
          stoppedAt = Date.now();
        },
        () => undefined,
      );
    },
    /** Keeps `screen` and lets the command go on, once it has stopped and `screen` shows the text. */
    async offer(screen: string[]) {
      if (stoppedAt === undefined || hold.screen !== undefined) return;
      if (!screen.some((line) => pattern.test(line)) && Date.now() - stoppedAt < 10_000) return;
      hold.screen = screen;
      await tmux('wait-for', '-S', `${channel}-go`);
    },
  };
  return hold;
}

/**
 * Runs `args` in a detached pane `width` columns wide; returns the screen once it has exited, and
 * (`watch`) every screen seen while it ran (read every 50 ms). `keysWhen` types `keys` into the pane
 * (as tmux send-keys names them: C-c is Ctrl-C) the first time a screen passes its test. `hold`
 * stops the command right after it first writes text matching it to its terminal, and returns the
 * screen read then (`held`): a screen that lasts less than a reading takes on a loaded machine (over
 * a second) is read for sure. The pane's shell prints `[exit <status>]` after the command; a shell
 * that dies instead (of a Ctrl-C, as a script does) leaves the pane dead (`dead`), its screen kept.
 * tmux's own `Pane is dead (signal <n>, …)` line is not waited for: it was sometimes drawn only
 * ~20 s after the pane died. Unwatched, the shell then signals a tmux channel and the screen is read
 * once that is done, not every 50 ms (each reading starts a tmux client): the file's 14 panes take
 * ~1 s less.
 */
async function inPane(
  width: number,
  args: readonly string[],
  env: Record<string, string> = {},
  {
    piped = false,
    watch = false,
    keysWhen,
    hold: holdPattern,
  }: {
    piped?: boolean;
    watch?: boolean;
    keysWhen?: { test: (screen: string[]) => boolean; keys: string };
    hold?: RegExp;
  } = {},
) {
  const name = `dal-${process.pid}-${session++}`;
  const socket = join(dir, name);
  // The pane's shell signals it after printing its [exit] line (a stored signal if nobody waits yet).
  const finished = `${name}-finished`;
  // A tmux server per pane, its socket in the test's directory: a server shared by the panes exits
  // as its last session is killed, and the next pane's new-session (of this file, or of another
  // suite running at the same time) could reach it while it was exiting ("server exited
  // unexpectedly").
  const tmux: Tmux = (...argv) => exec(TMUX as string, ['-S', socket, ...argv]);
  const hold = holdPattern && paneHold(tmux, socket, name, holdPattern);
  const exports = Object.entries({ ...env, ...hold?.env }).map(
    ([key, value]) => `export ${key}=${quoted(value)};`,
  );
  const command = [
    ...exports,
    // Quoted as the arguments are: the checkout's path may hold a space.
    quoted(process.execPath),
    quoted(BIN),
    ...args.map(quoted),
    // Piped, its output is no terminal's: what a `| less` or `> file` gets.
    ...(piped ? ['| cat'] : []),
    `; echo "[exit $?]"; '${TMUX}' -S '${socket}' wait-for -S ${finished}; sleep 600`,
  ].join(' ');
  await tmux(
    ...['new-session', '-d', '-s', name, '-x', String(width), '-y', '50', command],
    ...[';', 'set-option', '-t', name, 'remain-on-exit', 'on'],
  );
  hold?.listen();
  const seen: string[][] = [];
  let typed = false;
  try {
    // Until the signal; then the loop below reads the screen (again, should the server not have
    // drawn the [exit] line yet when it took the signal).
    if (!watch && !keysWhen && !hold) {
      await exec(TMUX as string, ['-S', socket, 'wait-for', finished], { timeout: 60_000 }).catch(() => {
        throw new Error(`${args.join(' ')} did not finish in its pane within 60 s`);
      });
    }
    for (let waited = 0; waited < 60_000; waited += 50) {
      const { screen, dead, over } = await readPane(tmux, name);
      if (over) return { screen, seen, dead, held: hold?.screen, heldShownMs: await hold?.shownMs() };
      seen.push(screen);
      await hold?.offer(screen);
      if (!typed && keysWhen?.test(screen)) {
        await tmux('send-keys', '-t', name, keysWhen.keys);
        typed = true;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${args.join(' ')} did not finish in its pane within 60 s`);
  } finally {
    await tmux('kill-session', '-t', name).catch(() => undefined);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tty-'));
  lake = join(dir, 'lake');
  const now = Date.now();
  const source = new MemoryAuditSource();
  for (let t = now - 2 * 24 * HOUR_MS; t < now; t += 30 * 60_000) source.add(viewEntry(t, t / 60_000));
  // One alert for the alerts table: a lockout without failed logins before it.
  const locked = viewEntry(now - 3 * HOUR_MS, 1);
  source.add({
    ...locked,
    entry: { ...(locked.entry as object), actionType: 'LOCKED_OUT', eventText: 'User locked out' },
  });
  const store = new FsObjectStore(lake);
  const deps = quietIngestDeps(source, store, now);
  const summary = await runIngest(deps, { ...defaultIngestConfig('main'), backfillDays: 1 }, {});
  await recordLastRun(store, summary, now);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the terminal display under tmux', () => {
  if (!TMUX) {
    missingToolTest('tmux', 'the terminal display');
    return;
  }

  // Every test runs concurrently (own pane, own tmux server, own lake or a read-only one): the panes'
  // commands are CPU-bound, and one at a time the watched ones (demo, ingest progress, Ctrl-C) left a
  // core idle for ~2 s. On a loaded machine the screen readings are further apart (up to 1.5 s with
  // three busy loops beside the file, against ~0.1 s): a screen a test must see is held until read
  // (`hold`), not caught by sampling. The demo, the longest, is declared first so it starts first.
  it.concurrent('the demo prints each step as it ends, and says what a long step is doing on one cut line', async ({
    expect,
  }) => {
    // The smallest demo that still has every step (one day of two people: ~0.6 CPU-s less than two days
    // of six). Its query catalog is on screen for under a second: the demo stops as it draws that
    // step's line until the screen is read (`hold`), else a loaded machine's readings could miss it.
    const args = ['demo', '--lake', join(dir, 'demo', 'lake'), '--days', '1', '--users', '2'];
    const catalog = /^demo: running the query catalog/;
    const {
      screen,
      seen,
      held: frame,
      heldShownMs,
    } = await inPane(60, args, {}, { watch: true, hold: catalog });
    expect(frame, "the query catalog's line was never drawn").toBeDefined();
    // And it stays while the queries run (~0.7 s idle): a line drawn only once they are over, or
    // cleared at once, would be replaced within a few milliseconds (R2).
    expect(heldShownMs).toBeGreaterThanOrEqual(100);
    const held = frame ?? [];
    const shows = (lines: string[], pattern: RegExp) => lines.some((line) => pattern.test(line));
    const statusLines = (lines: string[]) => lines.filter((line) => /^demo( ingest)?: /.test(line));
    // While the report's queries run: the simulator's line is on screen, not held back to the end,
    // the lake's check too, and one line (of the 60 columns) says the queries run.
    expect(shows(held, /^Simulated Domo: \d+/) && !shows(held, /^Done in /), held.join('\n')).toBe(true);
    expect(shows(held, /^ {2}OK$/), held.join('\n')).toBe(true);
    expect(statusLines(held), held.join('\n')).toEqual([expect.stringMatching(catalog)]);
    for (const lines of seen) {
      expect(statusLines(lines).length).toBeLessThanOrEqual(1);
      for (const line of statusLines(lines)) expect(line.length).toBeLessThan(60);
    }
    // Cleared at the end: only what the steps printed is left.
    expect(statusLines(screen)).toEqual([]);
    expect(screen.at(-1)).toBe('[exit 0]');
  });

  it.concurrent('status is one table row per instance on a wide terminal', async ({ expect }) => {
    const { screen } = await inPane(160, ['status', '--lake', lake]);
    expect(screen).toContainEqual(expect.stringMatching(/^instance\s+state\s+watermark\s+behind\s+last run/));
    expect(screen).toContainEqual(expect.stringMatching(/^main\s+ok\s+\d\d-\d\d \d\d:00\s/));
    expect(screen.at(-1)).toBe('[exit 0]');
  });

  it.concurrent('status never wraps on an 80-column terminal: each instance becomes a block of labelled lines', async ({
    expect,
  }) => {
    const { screen } = await inPane(80, ['status', '--lake', lake]);
    for (const line of screen) expect(line.length, line).toBeLessThan(80);
    expect(screen).toContainEqual(expect.stringMatching(/^instance\s+main$/));
    expect(screen).toContainEqual(expect.stringMatching(/^watermark\s+\d\d-\d\d \d\d:00$/));
    // No report function ever wrote to this lake: nothing is due.
    expect(screen).toContainEqual(expect.stringMatching(/^next report\s+not enabled$/));
    expect(screen).toContain('every instance is within its lag threshold');
  });

  it.concurrent('status wraps a long note between words on a 60-column terminal, the rest under its instance', async ({
    expect,
  }) => {
    // A lake filled by a range only: its note (range-only, no lag to check) is over 250 columns.
    const ranged = join(dir, 'range-only');
    // The hour before last: the last one is not closed in the first 15 minutes of an hour.
    const toMs = Math.floor((Date.now() - HOUR_MS) / HOUR_MS) * HOUR_MS;
    const source = new MemoryAuditSource();
    source.add(viewEntry(toMs - HOUR_MS / 2, 1));
    const deps = {
      ...noWaits,
      source,
      store: new FsObjectStore(ranged),
      clock: Date,
      log: silentLog,
      metrics: { count() {} },
    };
    await runIngest(deps, defaultIngestConfig('main'), {
      range: { fromMs: toMs - HOUR_MS, toMs },
    });
    const { screen } = await inPane(60, ['status', '--lake', ranged]);
    const start = screen.findIndex((line) => line.startsWith('main: range-only lake: hours'));
    const end = screen.findIndex((line, i) => i > start && !line.startsWith('      '));
    const note = screen.slice(start, end);
    // Lines after the first hang under the text after `main: `; none is cut or wider than the pane.
    expect(note.length).toBeGreaterThan(3);
    for (const line of note) expect(line.length, line).toBeLessThanOrEqual(60);
    expect(note.join(' ').replace(/ +/g, ' ')).toMatch(
      /no scheduled ingest has run here \(no checkpoint\), so there is no lag to check\. If one is deployed, it has never saved an hour: see docs\/operations\.md, section "<instance>-NoSuccessfulRun"$/,
    );
    expect(screen.at(-1)).toBe('[exit 0]');
  });

  // A row of suspicious_logins, in short: wider than 100 columns, its long evidence last.
  const evidence =
    'login at 11:08 UTC; 0 of 20 logins in the previous 30 days were within 2 hours of this time of day';
  const query = () => [
    'query',
    '--lake',
    lake,
    '--sql',
    `SELECT 'Ada Lovelace' AS user_name, TIMESTAMP '2026-11-24 11:08:23.367' AS event_time, 7922 AS asn, -27.67402376910017::DOUBLE AS change_pct, '${evidence}' AS evidence`,
  ];

  it.concurrent('query shows every cell whole on a wide terminal and when piped, doubles rounded', async ({
    expect,
  }) => {
    for (const [width, piped] of [
      [200, false],
      [60, true],
    ] as const) {
      const { screen } = await inPane(width, query(), {}, { piped });
      expect(screen).toContainEqual(
        expect.stringMatching(/^user_name +event_time +asn +change_pct +evidence$/),
      );
      expect(screen).toContain(`Ada Lovelace  2026-11-24 11:08:23.367  7922      -27.67  ${evidence}`);
      expect(screen.at(-1)).toBe('[exit 0]');
    }
  });

  it.concurrent('query --all piped (| cat) prints its lines whole, no status line drawn into them', async ({
    expect,
  }) => {
    // The line for each query, drawn on stderr, would be on screen before `cat` wrote the line of
    // the query before: `query --all: running data_health on ...  ok    daily_activity: 7 rows`.
    const { screen } = await inPane(80, ['query', '--all', '--lake', lake], {}, { piped: true });
    expect(
      screen.filter((line) => line.includes('query --all:')),
      screen.join('\n'),
    ).toEqual([]);
    const outcomes = screen.filter((line) => /^ {2}ok {4}\w+: \d+ rows? in \d+ ms$/.test(line));
    expect(outcomes, screen.join('\n')).toHaveLength(QUERY_NAMES.length);
    expect(screen.at(-1)).toBe('[exit 0]');
  });

  it.concurrent('query never wraps a row into broken lines: the long last column wraps within it, or rows become blocks', async ({
    expect,
  }) => {
    const wrapped = await inPane(100, query());
    for (const line of wrapped.screen) expect(line.length, line).toBeLessThanOrEqual(100);
    const header = wrapped.screen.findIndex((line) => line.startsWith('user_name'));
    const at = wrapped.screen[header]?.indexOf('evidence') ?? -1;
    // The row's evidence starts in its column and goes on under it, whole.
    const row = wrapped.screen.slice(header + 2, header + 5);
    expect(row[0]).toMatch(/^Ada Lovelace +2026-11-24 11:08:23\.367 +7922 +-27\.67 {2}login at/);
    for (const line of row.slice(1)) expect(line.search(/\S/), line).toBe(at);
    expect(row.map((line) => line.slice(at)).join(' ')).toBe(evidence);

    const blocks = await inPane(60, query());
    for (const line of blocks.screen) expect(line.length, line).toBeLessThanOrEqual(60);
    expect(blocks.screen).toContain('user_name   Ada Lovelace');
    expect(blocks.screen).toContain('change_pct  -27.67');
    expect(blocks.screen).toContainEqual(expect.stringMatching(/^evidence {4}login at 11:08 UTC;/));
  });

  it.concurrent('alerts never wrap into broken lines: whole when wide, the evidence wrapped within its column, or blocks', async ({
    expect,
  }) => {
    const evidence = 'locked out; no failed login of this user in the hour before';
    const args = ['alerts', '--lake', lake, '--out', join(dir, 'alerts-out')];
    const wide = await inPane(200, args);
    expect(wide.screen).toContainEqual(
      expect.stringMatching(
        new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +lockout +User 1 \\(101\\) +${evidence}$`),
      ),
    );
    let narrow: string[] = [];
    for (const width of [80, 60]) {
      const { screen } = await inPane(width, args);
      for (const line of screen) expect(line.length, line).toBeLessThanOrEqual(width);
      expect(screen.join(' ').replace(/ +/g, ' ')).toContain(evidence);
      expect(screen.at(-1)).toBe('[exit 0]');
      narrow = screen;
    }
    // At 60 columns each alert is a block of labelled lines.
    expect(narrow).toContain('alert       lockout');
  });

  // Its two tests share the simulator (every answer slow, no other fault) and write their own lakes.
  describe.concurrent('ingest progress', () => {
    let sim: Simulator;
    beforeAll(async () => {
      const toMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
      const fromMs = toMs - 3 * 24 * HOUR_MS;
      sim = await startSimulator({
        events: generateInstance({ seed: 5, fromMs, toMs, users: 6, eventsPerUserDay: 20 }).events,
        clients: [{ clientId: 'tty-client', clientSecret: 'tty-secret', scopes: ['audit'] }],
        // Slow enough answers that the run lasts a few redraws of its progress line.
        faults: { rateSlow: 1, slowMs: 40 },
      });
    });
    afterAll(async () => {
      await sim.close();
    });

    it('redraws one line in place, fitted to a narrow pane with the time left, and clears it', async ({
      expect,
    }) => {
      const args = ['ingest', '--api-base', sim.url, '--backfill-days', '2', '--lake', join(dir, 'progress')];
      const progress = /^ingest main: .*hours \(\d+%\)/;
      // Held once drawn until the screen is read, as the demo's catalog line: sampling alone could
      // miss a short run's progress on a loaded machine.
      const { screen, seen, held } = await inPane(60, args, credentials, { watch: true, hold: progress });
      const progressLines = (lines: string[]) => lines.filter((line) => progress.test(line));
      expect(progressLines(held ?? []), (held ?? []).join('\n')).toHaveLength(1);
      const whileRunning = [held ?? [], ...seen].filter((lines) => progressLines(lines).length > 0);
      expect(whileRunning.length, 'the progress line was never on screen').toBeGreaterThan(0);
      for (const lines of whileRunning) {
        // Redrawn in place, within the width: never two progress lines, never a wrapped one, and
        // the parts left out to fit are never the estimate of the time left.
        expect(progressLines(lines)).toHaveLength(1);
        expect(progressLines(lines)[0]).toMatch(/, (ETA (--|\d[\d hmins]*[hmns])|done)$/);
        for (const line of lines) expect(line.length).toBeLessThan(60);
      }
      // Cleared at the end: the summary stands alone.
      expect(progressLines(screen)).toEqual([]);
      expect(screen).toContainEqual(expect.stringMatching(/^ {2}hours: (\d+) done of \1 planned$/));
      expect(screen.at(-1)).toBe('[exit 0]');
    });

    it('on Ctrl-C says what it kept and how to resume, then dies of SIGINT: the script running it stops too', async ({
      expect,
    }) => {
      const lake = join(dir, 'interrupted');
      const args = [
        'ingest',
        '--api-base',
        sim.url,
        '--backfill-days',
        '2',
        '--concurrency',
        '1',
        '--lake',
        lake,
      ];
      const { screen, dead } = await inPane(100, args, credentials, {
        keysWhen: {
          test: (lines) => lines.some((line) => /^ingest main: [1-9]\d*\/\d+ hours/.test(line)),
          keys: 'C-c',
        },
      });
      expect(screen).toContainEqual(
        expect.stringMatching(/^SIGINT: stopping; the hours in flight are dropped/),
      );
      expect(screen).toContainEqual(
        expect.stringMatching(
          /^ {2}interrupted \(SIGINT\): the [1-9]\d* hour\(s\) done are kept; run the same command again to resume$/,
        ),
      );
      // The pane's shell never reached its `echo "[exit $?]"`: it stopped on the Ctrl-C with the
      // command, as a shell does when its command dies of the signal (not when it exits 130).
      expect(screen).not.toContainEqual(expect.stringMatching(/^\[exit/));
      expect(dead).toBe(true);
    });
  });
});
