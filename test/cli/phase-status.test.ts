import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { athenaInterrupts } from '../../functions/cli/athena-interrupts.ts';
import { duckDbInterrupts } from '../../functions/cli/duckdb-interrupts.ts';
import type { InterruptSource } from '../../functions/cli/interrupts.ts';
import { phaseStatus, showingWhile } from '../../functions/cli/phase-status.ts';
import { fakeSignals } from '../support/fake-signals.ts';

/** A stream that says it is a terminal `columns` wide, and what was written to it. */
function terminal(columns: number, isTTY = true) {
  const written: string[] = [];
  const stream = Object.assign(new PassThrough(), { isTTY, columns }) as unknown as NodeJS.WriteStream;
  (stream as unknown as PassThrough).on('data', (chunk) => written.push(String(chunk)));
  return { stream, written };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the line a long step shows on a terminal', () => {
  it('shows what the step does, then the seconds it has taken each second, and clears it at the end', () => {
    vi.useFakeTimers();
    const { stream, written } = terminal(80);
    let now = 0;
    const status = phaseStatus(stream, { now: () => now });
    status.start('demo: verifying the lake');
    now = 1_000;
    vi.advanceTimersByTime(1_000);
    now = 2_400;
    vi.advanceTimersByTime(1_000);
    status.stop();
    expect(written).toEqual([
      '\rdemo: verifying the lake...\x1b[K',
      '\rdemo: verifying the lake... 1 s\x1b[K',
      '\rdemo: verifying the lake... 2 s\x1b[K',
      '\r\x1b[K',
    ]);
    // Stopped: no more redraws, and a second stop writes nothing.
    vi.advanceTimersByTime(5_000);
    status.stop();
    expect(written).toHaveLength(4);
  });

  it('replaces one step by the next, cut to the width of the terminal so it never wraps', () => {
    const { stream, written } = terminal(20);
    const status = phaseStatus(stream, { now: () => 0 });
    status.start('first');
    status.start("demo: running the query catalog with DuckDB for last week's report");
    status.stop();
    expect(written).toEqual(['\rfirst...\x1b[K', '\r\x1b[K', '\rdemo: running the q\x1b[K', '\r\x1b[K']);
  });

  it('redraws on a timer that never keeps the process alive', () => {
    const intervals = vi.spyOn(globalThis, 'setInterval');
    const status = phaseStatus(terminal(80).stream, { now: () => 0 });
    status.start('demo: verifying the lake');
    const timers = intervals.mock.results.map((result) => result.value as NodeJS.Timeout);
    // Asked while the step runs: a command that throws before stop() must still let node exit.
    const holdProcess = timers.map((timer) => timer.hasRef());
    status.stop();
    intervals.mockRestore();
    expect(holdProcess).toEqual([false]);
  });

  it('writes nothing when stderr is not a terminal (a pipe, a log file)', () => {
    const { stream, written } = terminal(80, false);
    const status = phaseStatus(stream);
    status.start('demo: verifying the lake');
    status.stop();
    expect(written).toEqual([]);
  });

  it('is off while the command prints to a pipe between its steps, on when that is a terminal too', async () => {
    // Piped (`demo | tee`, `query --all | cat`), the printed lines reach the screen through the
    // other program, after the next step's line is drawn, and land on it.
    const { stream, written } = terminal(80);
    const piped = phaseStatus(stream, { now: () => 0, printsTo: terminal(80, false).stream });
    piped.start('demo: verifying the lake');
    piped.stop();
    await showingWhile(stream, 'query --all: running data_health', async () => 1, new PassThrough());
    expect(written).toEqual([]);
    expect(piped.shown).toBe(false);

    const onTerminal = phaseStatus(stream, { now: () => 0, printsTo: terminal(80).stream });
    onTerminal.start('demo: verifying the lake');
    onTerminal.stop();
    await showingWhile(stream, 'query --all: running data_health', async () => 1, terminal(80).stream);
    // Without `printsTo` (a command that prints only once the line is cleared) stderr alone decides.
    await showingWhile(stream, 'query daily_activity', async () => 1);
    expect(written).toEqual([
      '\rdemo: verifying the lake...\x1b[K',
      '\r\x1b[K',
      '\rquery --all: running data_health...\x1b[K',
      '\r\x1b[K',
      '\rquery daily_activity...\x1b[K',
      '\r\x1b[K',
    ]);
    expect(onTerminal.shown).toBe(true);
  });
});

describe('a signal while a step shows its line', () => {
  // The command's lines on stderr, as a terminal shows them: the status line's \r redraws in place.
  const screen = (written: readonly string[]) =>
    written
      .join('')
      .split('\n')
      .map((line) => line.split('\r').at(-1)?.replaceAll('\x1b[K', ''));

  for (const [engine, interrupts, stopping] of [
    [
      'DuckDB',
      (stream: NodeJS.WriteStream, source: InterruptSource) =>
        duckDbInterrupts(stream, { what: 'your SQL', undone: 'nothing was printed' }, source),
      'SIGINT: stopping your SQL unless DuckDB has answered (Ctrl-C again quits at once)',
    ],
    [
      'Athena',
      (stream: NodeJS.WriteStream, source: InterruptSource) => athenaInterrupts(stream, source),
      'SIGINT: stopping the Athena query (Ctrl-C again quits at once)',
    ],
  ] as const) {
    it(`ends the line before the ${engine} stopping line and draws it no more`, async () => {
      vi.useFakeTimers();
      const { stream, written } = terminal(80);
      const signals = fakeSignals();
      const stop = interrupts(stream, signals.source);
      await showingWhile(stream, 'query: running your SQL on DuckDB ./lake', async () => {
        vi.advanceTimersByTime(2_000);
        signals.send('SIGINT');
        vi.advanceTimersByTime(3_000);
        signals.send('SIGINT');
        vi.advanceTimersByTime(3_000);
      });
      stop.dispose();
      const lines = screen(written);
      expect(lines[0]).toBe(stopping);
      expect(lines[1]).toMatch(/^quitting now/);
      expect(lines.slice(2)).toEqual(['']);
      expect(written.join('')).not.toMatch(/ [3-9] s/);
    });
  }
});
