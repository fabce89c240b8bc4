import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../../functions/cli/progress.ts';
import { waitingNotice } from '../../functions/cli/waiting-notice.ts';
import type { RetryEvent } from '../../functions/core/domo/http-request.ts';

/** A notice on a clock the test moves, and the lines it said. */
function noticeAt() {
  const clock = { ms: 0 };
  const notice = waitingNotice(() => clock.ms);
  const lines: string[] = [];
  const stop = notice.show((line) => lines.push(line), 3_600_000);
  return { clock, notice, lines, stop };
}

const throttled = (delayMs: number): RetryEvent => ({
  request: 'GET /v1/audit',
  attempt: 1,
  status: 429,
  reason: 'HTTP 429 Too Many Requests',
  delayMs,
  retryAfterMs: delayMs,
});

describe('what a run that is not --verbose says while Domo makes it wait', () => {
  it('says a long 429 wait, with the hours read so far', () => {
    const { notice, lines, stop } = noticeAt();
    notice.progressed({ windowsDone: 3, windowsPlanned: 24 });
    notice.retried(throttled(12_000));
    stop();
    expect(lines).toEqual([
      'Domo answers 429 (rate limited): waiting 12 s before retrying; 3 of 24 hours read',
    ]);
  });

  it('leaves a short retry unsaid, but says retries that go on for seconds', () => {
    const { clock, notice, lines, stop } = noticeAt();
    notice.retried({ request: 'GET /v1/audit', attempt: 1, status: 503, reason: 'HTTP 503', delayMs: 500 });
    expect(lines).toEqual([]);
    clock.ms = 11_000;
    notice.retried({ request: 'GET /v1/audit', attempt: 4, status: 503, reason: 'HTTP 503', delayMs: 4_000 });
    stop();
    expect(lines).toEqual(['Domo answers 503: waiting 4 s before retrying']);
  });

  it('says at most one line in twenty seconds however many retries come', () => {
    const { clock, notice, lines, stop } = noticeAt();
    for (let s = 0; s < 60; s++) {
      clock.ms = s * 1_000;
      notice.retried(throttled(30_000));
    }
    stop();
    expect(lines).toHaveLength(3);
  });

  it('says a timeout as Domo not answering', () => {
    const { notice, lines, stop } = noticeAt();
    notice.retried({ request: 'GET /v1/audit', attempt: 2, reason: 'timed out after 30 s', delayMs: 8_000 });
    stop();
    expect(lines).toEqual(['Domo did not answer (timed out after 30 s): waiting 8 s before retrying']);
  });

  it('says a request left unanswered, before its timeout', async () => {
    const { clock, notice, lines, stop } = noticeAt();
    let answer: (response: Response) => void = () => {};
    const hanging = notice.watched(() => new Promise<Response>((resolve) => (answer = resolve)));
    const request = hanging('http://127.0.0.1/v1/audit', {});
    clock.ms = 10_000;
    notice.check();
    expect(lines).toEqual([]);
    clock.ms = 21_000;
    notice.check();
    expect(lines).toEqual(['waiting on Domo: no answer for 21 s (1 request waiting)']);
    answer(new Response('[]'));
    await request;
    clock.ms = 60_000;
    notice.check();
    stop();
    expect(lines).toHaveLength(1);
  });

  it('counts the silence from the last answer, not from the last timeout', async () => {
    const { clock, notice, lines, stop } = noticeAt();
    let hangUp: (reason: Error) => void = () => {};
    const hanging = notice.watched(() => new Promise<Response>((_, reject) => (hangUp = reject)));
    const first = hanging('http://127.0.0.1/v1/audit', {});
    clock.ms = 30_000;
    hangUp(new Error('timed out'));
    await expect(first).rejects.toThrow('timed out');
    clock.ms = 30_500;
    const second = hanging('http://127.0.0.1/v1/audit', {});
    clock.ms = 55_000;
    notice.check();
    hangUp(new Error('timed out'));
    await expect(second).rejects.toThrow('timed out');
    stop();
    expect(lines).toEqual(['waiting on Domo: no answer for 55 s (1 request waiting)']);
  });

  it('counts from an answer the requests still out waited through', async () => {
    const { clock, notice, lines, stop } = noticeAt();
    const answers: Array<(response: Response) => void> = [];
    const slow = notice.watched(() => new Promise<Response>((resolve) => answers.push(resolve)));
    const a = slow('http://127.0.0.1/v1/audit', {});
    const b = slow('http://127.0.0.1/v1/audit', {});
    clock.ms = 15_000;
    answers[0]?.(new Response('[]'));
    await a;
    clock.ms = 30_000;
    notice.check();
    expect(lines).toEqual([]);
    clock.ms = 40_000;
    notice.check();
    answers[1]?.(new Response('[]'));
    await b;
    stop();
    expect(lines).toEqual(['waiting on Domo: no answer for 25 s (1 request waiting)']);
  });

  it('says nothing once stopped', () => {
    const { notice, lines, stop } = noticeAt();
    stop();
    notice.retried(throttled(60_000));
    expect(lines).toEqual([]);
  });
});

/** A stream that records what is written to it, a terminal or not. */
function stream(isTTY: boolean) {
  const written: string[] = [];
  const out = { isTTY, columns: 100, write: (text: string) => written.push(text) > 0 };
  return { out: out as unknown as NodeJS.WriteStream, written };
}

describe('a line said beside the progress line', () => {
  const p = { windowsDone: 1, windowsPlanned: 4, eventsWritten: 10, storedBeforeMs: Date.UTC(2026, 9, 1, 1) };

  it('goes above the line on a terminal, which is drawn again under it', () => {
    const { out, written } = stream(true);
    const progress = terminalProgress('ingest main', out, undefined, () => 0);
    progress.update(p);
    progress.note('Domo answers 429 (rate limited): waiting 12 s before retrying');
    expect(written[1]).toBe('\r\x1b[KDomo answers 429 (rate limited): waiting 12 s before retrying\n');
    expect(written[2]).toMatch(/^\ringest main: 1\/4 hours/);
  });

  it('is a plain line in a file or pipe, with no carriage return', () => {
    const { out, written } = stream(false);
    const progress = terminalProgress('ingest main', out);
    progress.update(p);
    progress.note('waiting on Domo: no answer for 21 s (1 request waiting)');
    expect(written).toEqual(['waiting on Domo: no answer for 21 s (1 request waiting)\n']);
  });
});
