import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { retentionWarning } from '../../functions/cli/commands/ingest.ts';
import { formatEta, formatProgress, terminalProgress } from '../../functions/cli/progress.ts';

const at = Date.UTC(2026, 9, 1, 5);

describe('progress of a long ingest', () => {
  it('shows hours done of planned, events, the request rate and the time left at the pace so far', () => {
    const line = formatProgress(
      'ingest main',
      { windowsDone: 120, windowsPlanned: 2160, eventsWritten: 48_210, storedBeforeMs: at },
      { elapsedMs: 60_000, requests: 300 },
    );
    // 120 hours a minute: 2,040 left take 17 minutes.
    expect(line).toBe(
      'ingest main: 120/2,160 hours (5%), 48,210 events, 5.0 req/s, ETA 17 min 00 s, done up to 2026-10-01 05:00Z',
    );
  });

  it('fits a narrow terminal by leaving out the least useful parts first, keeping the time left', () => {
    const p = { windowsDone: 115, windowsPlanned: 695, eventsWritten: 7_431, storedBeforeMs: at };
    const rates = { elapsedMs: 30_000, requests: 315 };
    // Each width is a terminal's columns less the one a redraw in place must leave free.
    const inColumns = (columns: number) => formatProgress('demo ingest', p, rates, columns - 1);
    expect(inColumns(110)).toBe(
      'demo ingest: 115/695 hours (16%), 7,431 events, 10.5 req/s, ETA 2 min 31 s, done up to 2026-10-01 05:00Z',
    );
    // Shorter words first, then the request rate: the stored hour stays on an 80-column terminal.
    expect(inColumns(100)).toBe(
      'demo ingest: 115/695 hours (16%), 7,431 events, 10.5 req/s, ETA 2m31s, done up to 10-01 05:00Z',
    );
    expect(inColumns(90)).toBe(
      'demo ingest: 115/695 hours (16%), 7,431 events, ETA 2m31s, done up to 10-01 05:00Z',
    );
    expect(inColumns(80)).toBe('demo ingest: 115/695 (16%), 7,431 ev, ETA 2m31s, done up to 10-01 05:00Z');
    expect(inColumns(72)).toBe('demo ingest: 115/695 hours (16%), 7,431 events, 10.5 req/s, ETA 2m31s');
    expect(inColumns(60)).toBe('demo ingest: 115/695 hours (16%), 7,431 events, ETA 2m31s');
    expect(inColumns(50)).toBe('demo ingest: 115/695 hours (16%), ETA 2m31s');
    expect(inColumns(40)).toBe('demo ingest: 115/695 (16%), ETA 2m31s');
    expect(inColumns(30)).toBe('115/695 (16%), ETA 2m31s');
    for (let columns = 26; columns <= 120; columns++) {
      expect(inColumns(columns).length).toBeLessThan(columns);
      expect(inColumns(columns)).toMatch(/ETA \d/);
    }
    // Narrower than the shortest line: cut, never wrapped.
    expect(inColumns(12)).toBe('115/695 (16');
    expect(formatEta(4_020_000, true)).toBe('1h07m');
    expect(formatEta(42_000, true)).toBe('42s');
  });

  it('keeps where the stored hours reach on an 80-column terminal, for a backfill of a year too', () => {
    const stored = Date.UTC(2026, 10, 10, 23);
    const rates = { elapsedMs: 260_000, requests: 988 };
    const line = (done: number, planned: number, events: number) =>
      formatProgress(
        'ingest main',
        { windowsDone: done, windowsPlanned: planned, eventsWritten: events, storedBeforeMs: stored },
        rates,
        79,
      );
    expect(line(1, 528, 0)).toBe(
      'ingest main: 1/528 hours (0%), 0 events, ETA 38h03m, done up to 11-10 23:00Z',
    );
    expect(line(1234, 8784, 123_456)).toBe(
      'ingest main: 1,234/8,784 (14%), 123,456 ev, ETA 26m31s, done up to 11-10 23:00Z',
    );
  });

  it('shows only hours and the time left for a command that reads no events from Domo (enrich)', () => {
    const p = { windowsDone: 3, windowsPlanned: 24, storedBeforeMs: at };
    expect(formatProgress('enrich main', p, { elapsedMs: 3_000 })).toBe(
      'enrich main: 3/24 hours (12%), ETA 21 s, done up to 2026-10-01 05:00Z',
    );
  });

  it('says nothing of the time left before the first hour is done, and "done" at the end', () => {
    const p = { windowsDone: 0, windowsPlanned: 10, eventsWritten: 0, storedBeforeMs: at };
    expect(formatProgress('x', p, { elapsedMs: 0, requests: 0 })).toContain('0.0 req/s, ETA --,');
    expect(formatProgress('x', { ...p, windowsDone: 10 }, { elapsedMs: 1000, requests: 4 })).toContain(
      '4.0 req/s, done,',
    );
    expect(formatEta(42_000)).toBe('42 s');
    expect(formatEta(185_000)).toBe('3 min 05 s');
    expect(formatEta(4_020_000)).toBe('1 h 07 min');
  });

  it('draws on a terminal only, redrawing one line that fits the terminal width', () => {
    const written: string[] = [];
    const tty = Object.assign(new PassThrough(), {
      isTTY: true,
      columns: 40,
    }) as unknown as NodeJS.WriteStream;
    (tty as unknown as PassThrough).on('data', (c) => written.push(String(c)));
    let now = 0;
    const progress = terminalProgress(
      'ingest main',
      tty,
      () => 10,
      () => now,
    );
    now = 2000;
    progress.update({ windowsDone: 1, windowsPlanned: 4, eventsWritten: 7, storedBeforeMs: at });
    progress.done();
    expect(written[0]).toBe('\ringest main: 1/4 hours (25%), ETA 6s\x1b[K');
    expect(written[1]).toBe('\r\x1b[K');
    // Cleared for good (an interrupted run's windows still report as they wind down).
    now = 5000;
    progress.update({ windowsDone: 2, windowsPlanned: 4, eventsWritten: 9, storedBeforeMs: at });
    progress.done();
    expect(written).toHaveLength(2);

    const pipe = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const off = terminalProgress('x', pipe);
    off.update({ windowsDone: 1, windowsPlanned: 4, eventsWritten: 7, storedBeforeMs: at });
    off.done();
    expect((pipe as unknown as PassThrough).read()).toBeNull();
  });

  it('times its redraws by the monotonic clock, which a wall clock set back cannot stop', () => {
    const written: string[] = [];
    const tty = Object.assign(new PassThrough(), {
      isTTY: true,
      columns: 80,
    }) as unknown as NodeJS.WriteStream;
    (tty as unknown as PassThrough).on('data', (c) => written.push(String(c)));
    // The default clock is the monotonic one: it alone moves here, a second between the updates.
    let monotonic = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => monotonic);
    try {
      const progress = terminalProgress('ingest main', tty);
      progress.update({ windowsDone: 1, windowsPlanned: 4, eventsWritten: 7, storedBeforeMs: at });
      monotonic += 1000;
      progress.update({ windowsDone: 2, windowsPlanned: 4, eventsWritten: 9, storedBeforeMs: at });
    } finally {
      clock.mockRestore();
    }
    expect(written.filter((line) => line.includes('hours'))).toHaveLength(2);
  });
});

describe('--from before Domo keeps activity', () => {
  it('warns how many planned hours will most likely come back empty', () => {
    const now = Date.UTC(2026, 10, 30);
    const warning = retentionWarning({ fromMs: Date.UTC(2020, 0, 1), toMs: Date.UTC(2026, 10, 1) }, now);
    expect(warning).toMatch(
      /^warning: --from 2020-01-01 is before Domo's retention \(about 365 days, i\.e\. from 2025-11-30\): 51,840 of the 59,904 planned hours will most likely come back empty\n$/,
    );
    expect(
      retentionWarning({ fromMs: Date.UTC(2026, 9, 1), toMs: Date.UTC(2026, 9, 2) }, now),
    ).toBeUndefined();
  });
});
