import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoCommand, interruptedLine, WIND_DOWN_MS, within } from '../../functions/cli/commands/demo.ts';
import { DEMO_MARKER } from '../../functions/cli/demo-lake.ts';
import type { InterruptName, InterruptSource } from '../../functions/cli/interrupts.ts';
import { inspectLakeDirectory } from '../../functions/cli/lake-directory.ts';
import { main } from '../../functions/cli/main.ts';
import type { LastRun } from '../../functions/core/lake/last-run.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';
import { escaped } from '../support/escaped.ts';
import { fakeSignals } from '../support/fake-signals.ts';

/**
 * Ctrl-C during `demo`, through the command's interrupt seam: a terminal stand-in (stderr a TTY)
 * delivers the signal just after a step's line first shows `trigger`, as a user pressing Ctrl-C
 * while watching it. The stand-in's `quit`, which would end the process there, records it, and the
 * demo's next write to the terminal ends the demo ({@link ProcessEnded}); the test reads what the
 * terminal showed up to the signal's line.
 */
/**
 * What the stand-in's terminal throws on a write once `quit` was called: the process would have
 * ended there, so the demo's next line ends it instead of the report and alerts it would go on to
 * (up to ~0.7 CPU-s a test). What it left at that moment is read in `quit` itself.
 */
class ProcessEnded extends Error {}

/** `stream`, its writes refused with {@link ProcessEnded} once `ended()`; `seen` hears each first. */
function endingWith<S extends NodeJS.WritableStream>(
  stream: S,
  ended: () => boolean,
  seen: (chunk: string) => void = () => {},
): S {
  const write = stream.write.bind(stream) as (chunk: string) => boolean;
  stream.write = ((chunk: string) => {
    seen(String(chunk));
    if (ended()) throw new ProcessEnded('the process would have ended at its quit');
    return write(chunk);
  }) as S['write'];
  return stream;
}

/** Runs a demo to where its stand-in quit ended it ({@link ProcessEnded}), or to its end. */
const untilQuit = (demo: Promise<unknown>): Promise<void> =>
  demo.then(
    () => {},
    (error: unknown) => {
      if (!(error instanceof ProcessEnded)) throw error;
    },
  );

/** What clears a terminal's line: back to its start, then erase to its end. */
const CLEAR = '\r\x1b[K';
/** Holds the demo's clearing of an earlier lake until it is signalled (see the module). */
const HOLD_CLEARING = pathToFileURL(resolve('test/support/hold-demo-clearing.mjs')).href;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-demo-interrupt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * `trigger`: the text of the step's line the signal comes on, or a test of it. `onQuit` runs where
 * the process would end, to read what the demo left at that moment.
 */
async function interruptedDemo(
  lake: string,
  trigger: string | ((chunk: string) => boolean),
  onQuit: () => void = () => {},
  size: readonly string[] = ['--days', '1', '--users', '2'],
  /** Signals sent one after the other: 2 for a user pressing Ctrl-C twice. */
  signals = 1,
  /** Runs just after the signals were handled, before the demo's next step: a file landing then. */
  afterSignal: () => void = () => {},
) {
  let listener: ((name: InterruptName) => void) | undefined;
  const quits: InterruptName[] = [];
  const interrupts: InterruptSource = {
    listen(on) {
      listener = on;
      return () => {
        listener = undefined;
      };
    },
    quit: (name) => {
      onQuit();
      quits.push(name);
    },
  };
  const ended = () => quits.length > 0;
  const triggers = typeof trigger === 'string' ? (chunk: string) => chunk.includes(trigger) : trigger;
  const written: string[] = [];
  let sent = false;
  const terminal = new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
  const stderr = endingWith(
    Object.assign(terminal, { isTTY: true, columns: 80 }) as unknown as NodeJS.WriteStream,
    ended,
    (chunk) => {
      written.push(chunk);
      if (sent || !triggers(chunk)) return;
      sent = true;
      setImmediate(() => {
        for (let n = 0; n < signals; n++) listener?.('SIGINT');
        afterSignal();
      });
    },
  );
  // A terminal too: with stdout piped the demo shows no step lines (see phase-status.ts).
  const stdout = endingWith(
    Object.assign(new Writable({ write: (_chunk, _encoding, done) => done() }), { isTTY: true, columns: 80 }),
    ended,
  );
  // The smallest demo that has both steps the signals come in (a day of two people).
  await untilQuit(
    demoCommand(['--lake', lake, ...size], { stdout, stderr, env: {}, log: silentLog, interrupts }),
  );
  // What the terminal showed up to the signal's message, which is written whole.
  const message = written.findIndex((text) => text.startsWith('demo interrupted'));
  const lines = (written[message] ?? '').split('\n').slice(0, -1);
  return {
    quits,
    before: written.slice(0, message).join(''),
    lines,
    // The message as one line, unwrapped.
    message: lines.map((line) => line.trim()).join(' '),
    listening: listener !== undefined,
    /** How many times the signal's message was written. */
    messages: written.filter((text) => text.startsWith('demo interrupted')).length,
  };
}

describe('demo: Ctrl-C', () => {
  it('during the ingest ends its progress line, says the earlier output is stale, and quits', async () => {
    const lake = join(dir, 'during-ingest', 'lake');
    // An earlier run's output beside the lake: the line must say it is not this run's.
    await mkdir(join(dir, 'during-ingest', 'out'), { recursive: true });
    await writeFile(join(dir, 'during-ingest', 'out', 'report.html'), '<p>earlier</p>');
    const run = await interruptedDemo(lake, 'demo ingest: 1/');
    expect(run.quits).toEqual(['SIGINT']);
    expect(run.listening).toBe(false);
    const shown = `${join(dir, 'during-ingest')}/out`;
    // The progress line the signal came on is cleared, and the message stands on lines of its own.
    expect(run.before.endsWith(CLEAR)).toBe(true);
    expect(run.before.slice(0, -CLEAR.length).split('\r').at(-1)).toMatch(/^demo ingest: \d+\/\d+ hours/);
    expect(run.message).toBe(interruptedLine('SIGINT', { lake, out: shown }, 'building'));
    expect(run.message).toBe(
      `demo interrupted (SIGINT): ${lake} is incomplete (the next demo run replaces it); ${shown} holds nothing of this run: any report or alerts there are an earlier run's`,
    );
    // Wrapped between words for the 80 columns; a path wider than a line stays whole on its own.
    for (const line of run.lines) if (line.trim().includes(' ')) expect(line.length).toBeLessThanOrEqual(80);
    expect(run.lines.length).toBeGreaterThan(1);
  });

  it('during the ingest, records its run as stopped early before quitting, as ingest does, for status', async () => {
    const lake = join(dir, 'mid-ingest', 'lake');
    // Between its first hour stored and its last, as the reviewer's Ctrl-C came (at ~50 %): hours
    // stored before it and hours in flight at it. On the first drawing past the first hour: the
    // line is redrawn every 200 ms at most, so a later one would need a demo that takes that long
    // (a week of 40 people took ~1.5 s more of the test than a day of two), and whether it came
    // would hang on the machine's speed.
    const midway = (chunk: string) => {
      const [, done = '0', planned = '0'] = /demo ingest: (\d+)\/(\d+) hours/.exec(chunk) ?? [];
      return Number(done) > 0 && Number(done) < Number(planned);
    };
    const lastRunFile = join(lake, 'state', 'instance=main', 'last-run.json');
    let atQuit: LastRun | undefined;
    const run = await interruptedDemo(
      lake,
      midway,
      () => {
        atQuit = existsSync(lastRunFile)
          ? (JSON.parse(readFileSync(lastRunFile, 'utf8')) as LastRun)
          : undefined;
      },
      ['--days', '1', '--users', '2'],
    );
    expect(run.quits).toEqual(['SIGINT']);
    expect(run.message).toMatch(new RegExp(`^demo interrupted \\(SIGINT\\): ${escaped(lake)} is incomplete`));
    // Recorded by the time the process would have ended: the hours done, and that it stopped early.
    expect(atQuit?.outcome).toBe('stopped-early');
    expect(atQuit?.hours_done).toBeGreaterThan(0);
    expect(atQuit?.hours_done).toBeLessThan(2 * 24);
    expect(atQuit?.trigger).toBe('demo');
    // status says the demo stopped early and to run it again (`ingest` refuses a demo's lake), not
    // the lag alarm's runbook.
    const status = captureIo();
    expect(await main(['status', '--lake', lake], status.io)).toBe(1);
    const said = status.stdout().replace(/\s+/g, ' ');
    expect(said).toContain('main: ');
    expect(said).toContain(
      'the demo that built this lake stopped early (interrupted): run the demo again to build it whole',
    );
    expect(said).not.toContain('-Lag');
    expect(said).not.toContain('none recorded');
    // And the run is over as far as verify is concerned: its digest chain was sealed.
    const verify = captureIo();
    await main(['verify', '--lake', lake], verify.io);
    expect(verify.stdout()).not.toContain('ingest in progress');
  });

  it('during the ingest, quits without waiting for the record on a second signal', async () => {
    const lake = join(dir, 'twice', 'lake');
    const lastRunFile = join(lake, 'state', 'instance=main', 'last-run.json');
    const seen: boolean[] = [];
    const run = await interruptedDemo(
      lake,
      'demo ingest: ',
      () => seen.push(existsSync(lastRunFile)),
      ['--days', '1', '--users', '2'],
      2,
    );
    // The second quit at once, before the run was recorded; the first's wait then ended too.
    expect(run.quits).toEqual(['SIGINT', 'SIGINT']);
    expect(seen[0]).toBe(false);
    // One message said what the demo left, not two.
    expect(run.message).toMatch(new RegExp(`^demo interrupted \\(SIGINT\\): ${escaped(lake)} is incomplete`));
    expect(run.messages).toBe(1);
  });

  it("once the report step has begun, says the output may be partly this run's", async () => {
    // Typed with a `..`: the line names the out/ the demo writes, beside the resolved lake.
    const lake = `${join(dir, 'during-report', 'lake')}/sub/..`;
    // There before the run, with an earlier run's report: not this run's to remove.
    await mkdir(join(dir, 'during-report', 'out'), { recursive: true });
    await writeFile(join(dir, 'during-report', 'out', 'report.html'), '<p>earlier</p>');
    const run = await interruptedDemo(lake, 'running the query catalog');
    expect(run.quits).toEqual(['SIGINT']);
    expect(run.before.endsWith(CLEAR)).toBe(true);
    expect(run.message).toMatch(
      new RegExp(
        `^demo interrupted \\(SIGINT\\): ${escaped(lake)} is incomplete .*; ${escaped(join(dir, 'during-report', 'out'))} may hold part of this run's report and alerts, beside an earlier run's$`,
      ),
    );
    expect(run.message).toContain(`; ${join(dir, 'during-report', 'out')} may hold part of this run's`);
  });
});

describe('demo: Ctrl-C in the report step, the --out made by this run still empty', () => {
  it('removes the --out it made, and says so', async () => {
    const lake = join(dir, 'report-empty-out', 'lake');
    const out = join(dir, 'report-empty-out', 'out');
    const atQuit: { out?: boolean } = {};
    const run = await interruptedDemo(lake, 'running the query catalog', () => {
      atQuit.out = existsSync(out);
    });
    expect(run.quits).toEqual(['SIGINT']);
    // Gone where the process would have ended.
    expect(atQuit.out).toBe(false);
    expect(run.message).toBe(interruptedLine('SIGINT', { lake, out }, 'writing', 'removed'));
    expect(run.message).toContain(`; ${out} was made by this run and is removed again`);
  });

  it('says what became of it when a file lands there just after the signal', async () => {
    const lake = join(dir, 'report-late-file', 'lake');
    const out = join(dir, 'report-late-file', 'out');
    const atQuit: { out?: boolean } = {};
    let landed = false;
    const run = await interruptedDemo(
      lake,
      'running the query catalog',
      () => {
        atQuit.out = existsSync(out);
      },
      ['--days', '1', '--users', '2'],
      1,
      () => {
        // The report step's first file, written as the signal is handled: into the directory if
        // it is still there, never making it again.
        try {
          writeFileSync(join(out, 'report.html'), '<p>this run</p>', { flag: 'wx' });
          landed = true;
        } catch (error) {
          expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
        }
      },
    );
    expect(run.quits).toEqual(['SIGINT']);
    // The line says what the process leaves: removed only if it is gone, kept if it is there.
    expect(atQuit.out).toBe(landed);
    expect(run.message).toBe(
      interruptedLine('SIGINT', { lake, out }, 'writing', landed ? 'kept' : 'removed'),
    );
    expect(run.message).toContain(
      `; ${out} was made by this run and is ${landed ? "kept, as it holds part of this run's report" : 'removed again'}`,
    );
  });
});

describe('demo: Ctrl-C in the report step, the --out made by this run holding its report', () => {
  it('keeps the --out it made, and says why and what to do', async () => {
    const lake = join(dir, 'report-written-out', 'lake');
    const out = join(dir, 'report-written-out', 'out');
    const atQuit: { files?: string[] } = {};
    const run = await interruptedDemo(lake, "evaluating the week's security alerts", () => {
      atQuit.files = readdirSync(out).sort();
    });
    expect(run.quits).toEqual(['SIGINT']);
    expect(atQuit.files).toEqual(
      expect.arrayContaining(['report.eml', 'report.html', 'report.json', 'report.txt']),
    );
    expect(run.message).toBe(interruptedLine('SIGINT', { lake, out }, 'writing', 'kept'));
    expect(run.message).toContain(
      `; ${out} was made by this run and is kept, as it holds part of this run's report and alerts: remove it, or run the demo again to write them whole`,
    );
  });
});

/**
 * An earlier demo's lake at `lake`: its marker, a small folder and one of `files` empty files, whose
 * clearing takes a while.
 */
async function earlierDemoLake(lake: string, files: number): Promise<void> {
  await mkdir(join(lake, 'coverage'), { recursive: true });
  await mkdir(join(lake, 'activity_log'), { recursive: true });
  await writeFile(join(lake, DEMO_MARKER), '');
  await writeFile(join(lake, 'coverage', 'one.json'), '{}');
  for (let at = 0; at < files; at += 500) {
    const batch = Array.from({ length: Math.min(500, files - at) }, (_, i) => at + i);
    await Promise.all(batch.map((n) => writeFile(join(lake, 'activity_log', `${n}.ndjson`), '')));
  }
}

describe('demo: Ctrl-C while it clears an earlier demo lake', () => {
  it('is heard before the earlier lake is touched, and says the next run finishes clearing it', async () => {
    const lake = join(dir, 'while-clearing', 'lake');
    await earlierDemoLake(lake, 3);
    let seen: string[] = [];
    const signals = fakeSignals((send) => {
      seen = readdirSync(lake).sort();
      send('SIGINT');
    });
    const { io, stderr } = captureIo();
    // Whether the output directory is there where the process would end.
    let outAtQuit: boolean | undefined;
    const interrupts = {
      ...signals.source,
      quit: (name: InterruptName) => {
        outAtQuit = existsSync(join(dir, 'while-clearing', 'out'));
        signals.source.quit(name);
      },
    };
    // The smallest demo, as in interruptedDemo, ended at its next line after the quit.
    const ended = () => signals.quits.length > 0;
    const demo = demoCommand(['--lake', lake, '--days', '1', '--users', '2'], {
      ...io,
      stdout: endingWith(io.stdout, ended),
      stderr: endingWith(io.stderr, ended),
      log: silentLog,
      interrupts,
    });
    await untilQuit(demo);
    expect(signals.quits).toEqual(['SIGINT']);
    expect(outAtQuit).toBe(false);
    expect(seen).toEqual([DEMO_MARKER, 'activity_log', 'coverage']);
    const shown = `${join(dir, 'while-clearing')}/out`;
    // The output directory did not exist: this run made it, for a report it did not reach.
    expect(interruptedLine('SIGINT', { lake, out: shown }, 'clearing', 'removed')).toBe(
      `demo interrupted (SIGINT): ${lake} holds part of an earlier demo's lake (the next demo run clears and replaces it); ${shown} was made by this run and is removed again`,
    );
    expect(stderr()).toContain(`${interruptedLine('SIGINT', { lake, out: shown }, 'clearing', 'removed')}\n`);
  });

  it('as a process: dies of the signal, saying so, and leaves a lake the next demo replaces', async () => {
    const lake = join(dir, 'process-clearing', 'lake');
    await earlierDemoLake(lake, 3);
    // The demo stops as it begins to remove activity_log/ and says so in this file (see the hook).
    const began = join(dir, 'process-clearing', 'clearing-began');
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', HOLD_CLEARING, resolve('bin/domo-activity-lake.js'), 'demo', '--lake', lake],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, DEMO_CLEARING_BEGAN: began },
      },
    );
    let err = '';
    child.stderr?.on('data', (chunk) => {
      err += String(chunk);
    });
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
    while (!existsSync(began)) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGINT');
    expect(await exit).toEqual({ code: null, signal: 'SIGINT' });
    expect(err.replace(/\s+/g, ' ')).toContain(
      `demo interrupted (SIGINT): ${lake} holds part of an earlier demo's lake`,
    );
    expect(await readdir(lake)).toContain(DEMO_MARKER);
    // What the next demo (and `ingest`, which refuses it) judge it by.
    expect((await inspectLakeDirectory(lake)).kind).toBe('demo-lake');
  });
});

describe("demo: the wait for the ingest's run to be recorded", () => {
  it('ends at its deadline when the recording hangs (a hung disk), and at once when it is done', async () => {
    // The deadline on fake timers, so no machine's speed makes it look early or late; a real
    // setImmediate, after every pending promise step, tells a wait that ended from one still waiting.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const state = (wait: Promise<void>) =>
      Promise.race([wait.then(() => 'ended'), new Promise((r) => setImmediate(r, 'waiting'))]);
    try {
      const hung = within(new Promise<void>(() => {}), 50);
      await vi.advanceTimersByTimeAsync(49);
      expect(await state(hung)).toBe('waiting');
      await vi.advanceTimersByTimeAsync(1);
      expect(await state(hung)).toBe('ended');
      expect(await state(within(Promise.resolve(), 10_000))).toBe('ended');
      expect(await state(within(Promise.reject(new Error('disk gone')), 10_000))).toBe('ended');
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    expect(WIND_DOWN_MS).toBeLessThanOrEqual(5_000);
  });
});
