import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { shellWord } from '../../functions/cli/command-line.ts';
import { CommandOutput, outputStatus } from '../../functions/cli/command-output.ts';
import { main } from '../../functions/cli/main.ts';
import { lastRunKey } from '../../functions/core/lake/last-run.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';
import { fakeSignals } from '../support/fake-signals.ts';
import { compareWithGroundTruth, readLake } from '../support/lake-contents.ts';

/**
 * Ctrl-C (SIGINT) or SIGTERM during `ingest`: in-process, a stand-in for the process's signals is
 * fired once the lake holds a few hours; as a process (the package's command), a real signal is
 * sent to it, and to a bash loop around it (test/cli/terminal-display.test.ts types a real Ctrl-C).
 */
const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = Date.parse('2026-10-02T00:00:00Z');
const HOUR = 3_600_000;
const credentials = { DOMO_CLIENT_ID: 'int-client', DOMO_CLIENT_SECRET: 'int-secret' };

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-interrupt-'));
  sim = await startSimulator({
    events: generateInstance({ seed: 7, fromMs, toMs, users: 4, eventsPerUserDay: 20 }).events,
    clients: [{ clientId: 'int-client', clientSecret: 'int-secret', scopes: ['audit'] }],
    // Every answer takes a moment, so the run is still going when the signal comes.
    faults: { rateSlow: 1, slowMs: 25 },
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** Resolves once the lake at `lake` holds `hours` coverage manifests (hours stored). */
async function hoursStored(lake: string, hours: number): Promise<void> {
  const count = async () =>
    (await readdir(join(lake, 'coverage', 'instance=main'), { recursive: true }).catch(() => [])).filter(
      (f) => String(f).endsWith('.json'),
    ).length;
  while ((await count()) < hours) await new Promise((resolve) => setTimeout(resolve, 5));
}

const args = (lake: string, from = '2026-10-01T00:00:00Z') => [
  'ingest',
  '--from',
  from,
  '--to',
  '2026-10-02T00:00:00Z',
  '--lake',
  lake,
  '--api-base',
  sim.url,
  '--concurrency',
  '1',
];

describe('ingest interrupted', () => {
  it('says what it kept and how to go on, returns 130, and the command it names finishes the range', async () => {
    const lake = join(dir, 'sigint');
    const signals = fakeSignals();
    const { io, stdout, stderr } = captureIo(credentials);
    const running = main(args(lake), { ...io, interrupts: signals.source });
    await hoursStored(lake, 3);
    signals.send('SIGINT');
    expect(await running, stderr()).toBe(130);

    expect(stderr()).toContain(
      'SIGINT: stopping; the hours in flight are dropped, those stored are kept (Ctrl-C again quits at once)\n',
    );
    const last = stdout().trimEnd().split('\n').at(-1) ?? '';
    expect(last).toMatch(
      /^ {2}interrupted \(SIGINT\): the (\d+) hour\(s\) done are kept; run the same command again to finish the range, or with --from (2026-10-01T\d\d:00:00Z) to skip the hours before it \(all stored\)$/,
    );
    const [, done, resumeFrom] = /the (\d+) hour.*--from (\S+)/.exec(last) ?? [];
    expect(Number(done)).toBeGreaterThanOrEqual(3);
    expect(Number(done)).toBeLessThan(24);
    expect(signals.quits).toEqual([]);

    // The rerun it suggests pulls the rest; nothing is lost or stored twice. The simulator answers
    // it at once: its slowness only kept the first run going until the signal came (~1 s of waits).
    const again = captureIo(credentials);
    sim.setFaults({ rateSlow: 0 });
    try {
      expect(await main(args(lake, resumeFrom), { ...again.io, interrupts: fakeSignals().source })).toBe(0);
    } finally {
      sim.setFaults({ rateSlow: 1 });
    }
    const comparison = compareWithGroundTruth(
      await readLake(new FsObjectStore(lake), 'main'),
      sim.groundTruth(),
      fromMs,
      toMs,
    );
    expect(comparison).toMatchObject({ lost: 0, duplicated: 0 });
    // The interrupted run wound down and sealed its digests: the chain verifies.
    const verify = captureIo();
    expect(await main(['verify', '--lake', lake, '--integrity'], verify.io), verify.stdout()).toBe(0);
  });

  it('exits 143 on SIGTERM, and quits at once, by the signal, on a second one', async () => {
    const lake = join(dir, 'sigterm');
    const signals = fakeSignals();
    const { io, stdout, stderr } = captureIo(credentials);
    const running = main(args(lake), { ...io, interrupts: signals.source });
    await hoursStored(lake, 1);
    signals.send('SIGTERM');
    signals.send('SIGTERM');
    expect(await running).toBe(143);
    expect(signals.quits).toEqual(['SIGTERM']);
    expect(stderr()).toContain(
      'quitting now: the hours stored so far are kept; run the same command again to resume\n',
    );
    expect(stdout()).toMatch(/interrupted \(SIGTERM\): the \d+ hour\(s\) done are kept/);
  });
});

/**
 * Holds the checkpoint run's write of its last-run note (the S3 write of an S3 lake) until
 * `release`: `waiting` resolves once the command is held there, its run done.
 */
function holdLastRunWrite() {
  let release = () => {};
  const gate = new Promise<void>((open) => {
    release = open;
  });
  let reached = () => {};
  const waiting = new Promise<void>((arrived) => {
    reached = arrived;
  });
  const put = FsObjectStore.prototype.put;
  vi.spyOn(FsObjectStore.prototype, 'put').mockImplementation(async function (
    this: FsObjectStore,
    ...call: Parameters<FsObjectStore['put']>
  ) {
    if (call[0] === lastRunKey('main')) {
      reached();
      await gate;
    }
    return put.apply(this, call);
  });
  return { waiting, release };
}

/** A checkpoint run (the one that records itself for `status`): a day's backfill up to `NOW`. */
const NOW = toMs + 2 * HOUR;
const checkpointArgs = (lake: string, concurrency = '1') => [
  'ingest',
  '--lake',
  lake,
  '--api-base',
  sim.url,
  '--concurrency',
  concurrency,
  '--backfill-days',
  '1',
];

/** A checkpoint ingest into `lake` with stand-in signals, whose last-run note waits to be released. */
function heldRun(lake: string, concurrency?: string) {
  const signals = fakeSignals();
  const held = holdLastRunWrite();
  const { io, stdout, stderr } = captureIo(credentials);
  const running = main(checkpointArgs(lake, concurrency), {
    ...io,
    interrupts: signals.source,
    clock: { now: () => NOW },
  });
  return { signals, held, stdout, stderr, running };
}

describe('ingest interrupted while it records the run and prints its summary', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('quits at once, saying so, on a second signal while the last-run note is being written', async () => {
    const lake = join(dir, 'second-while-recording');
    const { signals, held, stdout, stderr, running } = heldRun(lake);
    await hoursStored(lake, 2);
    signals.send('SIGINT');
    await held.waiting;
    signals.send('SIGINT');
    expect(signals.quits).toEqual(['SIGINT']);
    expect(stderr()).toContain(
      'quitting now: the hours stored so far are kept; run the same command again to resume\n',
    );
    // The stand-in does not end the process: the command goes on to its end.
    held.release();
    expect(await running, stderr()).toBe(130);
    expect(stdout()).toMatch(/interrupted \(SIGINT\): the \d+ hour\(s\) done are kept/);
  });

  it('still records the run and says what it kept when no second signal comes, then stops listening', async () => {
    const lake = join(dir, 'first-only');
    const { signals, held, stdout, stderr, running } = heldRun(lake);
    await hoursStored(lake, 2);
    signals.send('SIGINT');
    await held.waiting;
    // Still listening while the run is recorded; the summary comes after the record.
    expect(signals.listening()).toBe(true);
    expect(stdout()).toBe('');
    held.release();
    expect(await running, stderr()).toBe(130);
    expect(signals.quits).toEqual([]);
    expect(signals.listening()).toBe(false);
    expect(stdout().trimEnd().split('\n').at(-1)).toMatch(
      /^ {2}interrupted \(SIGINT\): the \d+ hour\(s\) done are kept; run the same command again to resume$/,
    );
    // The note for `status` was written, after the hold, and says the run stopped early.
    const note = JSON.parse(await readFile(join(lake, lastRunKey('main')), 'utf8'));
    expect(note).toMatchObject({ outcome: 'stopped-early', mode: 'checkpoint' });
  });

  it('ends by a first signal that comes only once the run is done, after its summary', async () => {
    const { signals, held, stdout, stderr, running } = heldRun(join(dir, 'first-while-recording'), '8');
    await held.waiting;
    signals.send('SIGTERM');
    held.release();
    expect(await running, stderr()).toBe(143);
    expect(stderr()).toContain('SIGTERM: stopping');
    expect(stdout()).toMatch(/hours: (\d+) done of \1 planned\n/);
    expect(stdout()).not.toContain('interrupted');
    expect(signals.quits).toEqual([]);
  });
});

/** What a write to a terminal that is gone (a hung-up tty) fails with. */
const eio = () => Object.assign(new Error('write EIO'), { code: 'EIO' });

/**
 * A closed terminal as the command sees it: its stdout (the entry point's {@link CommandOutput})
 * and its stderr fail every write, stderr by an 'error' event, which the entry point swallows.
 */
function deadTerminal() {
  const stdout = new CommandOutput(
    async () => {
      throw eio();
    },
    { isTTY: true, columns: 80 },
  );
  const failing = new Writable({ write: (_chunk, _encoding, done) => done(eio()) });
  failing.on('error', () => {});
  const stderr = Object.assign(failing, { isTTY: true, columns: 80 }) as unknown as NodeJS.WriteStream;
  return { stdout, stderr };
}

describe('ingest when its terminal closes (SIGHUP)', () => {
  it('winds down as on SIGTERM: records the run though nothing can be printed, and returns 129', async () => {
    const lake = join(dir, 'hangup');
    const signals = fakeSignals();
    const { stdout, stderr } = deadTerminal();
    const running = main(checkpointArgs(lake), {
      stdout,
      stderr,
      env: credentials,
      interrupts: signals.source,
      clock: { now: () => NOW },
    });
    await hoursStored(lake, 2);
    // A closed terminal hangs the job up twice: the kernel, then the shell passing its own on.
    signals.send('SIGHUP');
    signals.send('SIGHUP');
    expect(await running).toBe(129);
    // The entry point's status once stdout is flushed: still the signal's, which it ends by.
    expect(await outputStatus(stdout, 129, stderr)).toBe(129);
    expect(stdout.failure?.code).toBe('EIO');
    expect(signals.quits).toEqual([]);
    const note = JSON.parse(await readFile(join(lake, lastRunKey('main')), 'utf8'));
    expect(note).toMatchObject({ outcome: 'stopped-early', mode: 'checkpoint' });
  });
});

const BIN = resolve('bin/domo-activity-lake.js');

/** How `child` ended: its exit code, or the signal that ended it (Node's 'exit' event). */
const ended = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );

/** `command` as a child whose stdout is collected. */
function started(command: string, argv: readonly string[], options: { detached?: boolean } = {}) {
  const child = spawn(command, argv, {
    env: { ...process.env, ...credentials },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  let out = '';
  child.stdout?.on('data', (chunk) => {
    out += String(chunk);
  });
  return { child, exit: ended(child), stdout: () => out };
}

// The two processes run side by side (own lakes, the simulator only read): each mostly waits on
// its start-up and the slowed answers, so one after the other they left the cores idle.
describe.concurrent('ingest interrupted, as a process', () => {
  it('dies of the signal once it has wound down, as a command that never caught it', async ({ expect }) => {
    const lake = join(dir, 'process');
    const ingest = started(process.execPath, [BIN, ...args(lake)]);
    await hoursStored(lake, 2);
    ingest.child.kill('SIGINT');
    // Not an exit of its own with the status 130: a parent (a shell) sees death by SIGINT.
    expect(await ingest.exit).toEqual({ code: null, signal: 'SIGINT' });
    expect(ingest.stdout()).toMatch(/ {2}interrupted \(SIGINT\): the \d+ hour\(s\) done are kept/);
  });

  it('on SIGHUP with its output gone, records the run, leaves no temp file and dies of the signal', async ({
    expect,
  }) => {
    const lake = join(dir, 'process-hangup');
    // Three days of empty hours before now: long enough to be running when the signal comes.
    const checkpoint = checkpointArgs(lake).map((word, i, all) =>
      all[i - 1] === '--backfill-days' ? '3' : word,
    );
    const ingest = started(process.execPath, [BIN, ...checkpoint]);
    await hoursStored(lake, 2);
    // The terminal closed: what the command writes now fails (EPIPE here, EIO on a tty).
    ingest.child.stdout?.destroy();
    ingest.child.stderr?.destroy();
    ingest.child.kill('SIGHUP');
    ingest.child.kill('SIGHUP');
    expect(await ingest.exit).toEqual({ code: null, signal: 'SIGHUP' });
    const note = JSON.parse(await readFile(join(lake, lastRunKey('main')), 'utf8'));
    expect(note).toMatchObject({ outcome: 'stopped-early', mode: 'checkpoint' });
    const files = await readdir(lake, { recursive: true });
    expect(files.filter((file) => String(file).endsWith('.tmp'))).toEqual([]);
  });

  it('stops a bash loop around it on Ctrl-C, where an exit of its own let the loop go on', async ({
    expect,
  }) => {
    const lakes = ['first', 'second'].map((name) => join(dir, `loop-${name}`));
    const ingest = args('LAKE')
      .map((word) => (word === 'LAKE' ? '"$lake"' : `'${word}'`))
      .join(' ');
    // Each lake quoted: a temporary directory with a space in it would split into two words,
    // the second a path relative to wherever bash runs.
    const loop = `for lake in ${lakes.map(shellWord).join(' ')}; do echo "pulling $lake"; '${process.execPath}' '${BIN}' ${ingest}; done; echo 'loop done'`;
    // A process group of its own, as a terminal's foreground job: Ctrl-C signals the whole group.
    const bash = started('bash', ['-c', loop], { detached: true });
    await hoursStored(lakes[0] as string, 2);
    process.kill(-(bash.child.pid as number), 'SIGINT');
    expect(await bash.exit).toEqual({ code: null, signal: 'SIGINT' });
    expect(bash.stdout()).toContain(`pulling ${lakes[0]}`);
    expect(bash.stdout()).not.toContain(`pulling ${lakes[1]}`);
    expect(bash.stdout()).not.toContain('loop done');
  });
});
