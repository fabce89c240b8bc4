import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatProgress, terminalProgress } from '../../functions/cli/progress.ts';

const at = Date.parse('2026-10-01T05:00:00Z');

function tty() {
  const written: string[] = [];
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
  stream.on('data', (c) => written.push(String(c)));
  return { stream: stream as unknown as NodeJS.WriteStream, written };
}

describe('the progress line', () => {
  it('shows everything on a terminal exactly as wide as the full line', () => {
    const p = { windowsDone: 3, windowsPlanned: 10, storedBeforeMs: at, eventsWritten: 1200 };
    const rates = { elapsedMs: 30_000, requests: 60 };
    const full = formatProgress('ingest main', p, rates);
    expect(full).toBe(
      'ingest main: 3/10 hours (30%), 1,200 events, 2.0 req/s, ETA 1 min 10 s, done up to 2026-10-01 05:00Z',
    );
    expect(formatProgress('ingest main', p, rates, full.length)).toBe(full);
  });

  it('draws the last hour at once, however soon after the previous redraw', () => {
    const { stream, written } = tty();
    let now = 0;
    const progress = terminalProgress('enrich main', stream, undefined, () => now);
    now = 1000;
    progress.update({ windowsDone: 1, windowsPlanned: 2, storedBeforeMs: at });
    now = 1050;
    progress.update({ windowsDone: 2, windowsPlanned: 2, storedBeforeMs: at + 3_600_000 });
    expect(written).toHaveLength(2);
    expect(written[1]).toMatch(/^\renrich main: 2\/2 hours \(100%\), done/);
  });

  it('writes nothing when it is done before it drew anything', () => {
    const { stream, written } = tty();
    const progress = terminalProgress('enrich main', stream, undefined, () => 0);
    progress.done();
    expect(written).toEqual([]);
  });
});
