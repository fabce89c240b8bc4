import { describe, expect, it } from 'vitest';
import { NO_FAULTS } from '../../functions/simulator/fault-plan.ts';
import { playOutages } from '../../functions/simulator/outage-schedule.ts';
import type { SimEvent } from '../../functions/simulator/sim-event.ts';
import { audit, basic, call, simulatorsFor } from './sim-client.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const EVENTS: SimEvent[] = [
  {
    timeMs: NOW - 60_000,
    entry: { actionType: 'VIEWED', eventText: 'Viewed card', userId: '1', userName: 'A' },
  },
];
const RANGE = { start: NOW - 3_600_000, end: NOW, limit: 1000 };

/** A timer the test fires by hand: what is due at each time, run in order of time. */
function handTimers() {
  const due: { atMs: number; run: () => void; cancelled: boolean }[] = [];
  return {
    after(ms: number, run: () => void) {
      const timer = { atMs: ms, run, cancelled: false };
      due.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
    /** Runs every timer due by `ms` that has not run or been cancelled. */
    runTo(ms: number) {
      for (const timer of due.filter((t) => t.atMs <= ms && !t.cancelled).sort((a, b) => a.atMs - b.atMs)) {
        timer.cancelled = true;
        timer.run();
      }
    },
    pending: () => due.filter((t) => !t.cancelled).length,
  };
}

const token = (url: string) =>
  call(`${url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=audit',
  });

describe('an outage played on a running simulator', () => {
  const start = simulatorsFor({ clock: () => NOW, events: EVENTS });

  it('answers every request with 5xx while it lasts, tokens too, then as before', async () => {
    const { s, token: valid } = await start();
    const timers = handTimers();
    const said: string[] = [];
    const stop = playOutages(
      [{ startMs: 30_000, durationMs: 120_000 }],
      '5xx',
      {},
      {
        setFaults: (f) => s.setFaults(f),
        say: (line) => said.push(line),
        after: timers.after,
      },
    );
    expect((await audit(s.url, valid, RANGE)).status).toBe(200);
    timers.runTo(30_000);
    for (let i = 0; i < 5; i++) expect([500, 502, 503]).toContain((await audit(s.url, valid, RANGE)).status);
    expect([500, 502, 503]).toContain((await token(s.url)).status);
    timers.runTo(150_000);
    expect((await audit(s.url, valid, RANGE)).status).toBe(200);
    expect((await token(s.url)).status).toBe(200);
    expect(said).toEqual([
      'outage: answering every request with 500, 502 or 503 for 120 s',
      'outage over: answering as before',
    ]);
    stop();
  });

  it('answers 429 with a Retry-After a client is seen waiting on', async () => {
    const { s, token: valid } = await start();
    const timers = handTimers();
    playOutages(
      [{ startMs: 0, durationMs: 60_000 }],
      '429',
      {},
      {
        setFaults: (f) => s.setFaults(f),
        say: () => {},
        after: timers.after,
      },
    );
    timers.runTo(0);
    const answer = await audit(s.url, valid, RANGE);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('10');
  });

  // An outage rehearsed as Domo plays one (down, then silent, then throttling as it comes back)
  // on one simulator: one restarted for each answer generates its entries anew (helper OUTAGE).
  it("plays each outage's own answer, back to back, and the schedule's where it has none", async () => {
    const { s, token: valid } = await start();
    const timers = handTimers();
    const said: string[] = [];
    const set: Record<string, unknown>[] = [];
    playOutages(
      [
        { startMs: 0, durationMs: 60_000, answer: '429' },
        { startMs: 60_000, durationMs: 60_000 },
        { startMs: 120_000, durationMs: 60_000, answer: 'hang' },
      ],
      '5xx',
      {},
      {
        setFaults: (f) => {
          set.push(f);
          s.setFaults(f);
        },
        say: (line) => said.push(line),
        after: timers.after,
      },
    );
    timers.runTo(0);
    expect((await audit(s.url, valid, RANGE)).status).toBe(429);
    timers.runTo(60_000);
    expect([500, 502, 503]).toContain((await audit(s.url, valid, RANGE)).status);
    timers.runTo(120_000);
    // Held a minute: read from what was switched on, not from an answer.
    expect(set.at(-1)).toMatchObject({ rateSlow: 1, rate5xx: 0, rate429: 0 });
    timers.runTo(180_000);
    expect((await audit(s.url, valid, RANGE)).status).toBe(200);
    expect(said).toEqual([
      'outage: answering every request with 429 (Retry-After: 10) for 60 s',
      'outage over: answering as before',
      'outage: answering every request with 500, 502 or 503 for 60 s',
      'outage over: answering as before',
      'outage: answering every request with no answer (held 60 s) for 60 s',
      'outage over: answering as before',
    ]);
  });

  // Domo's token service down while its API is up: every run, which asks for a token first,
  // fails, though a token got before would still be served (helper OUTAGE).
  it('answers token requests alone with 5xx for a token outage, audit requests as before', async () => {
    const { s, token: valid } = await start();
    const timers = handTimers();
    const said: string[] = [];
    playOutages(
      [{ startMs: 0, durationMs: 60_000 }],
      'token',
      {},
      {
        setFaults: (f) => s.setFaults(f),
        say: (line) => said.push(line),
        after: timers.after,
      },
    );
    timers.runTo(0);
    for (let i = 0; i < 5; i++) {
      expect([500, 502, 503]).toContain((await token(s.url)).status);
      expect((await audit(s.url, valid, RANGE)).status).toBe(200);
    }
    timers.runTo(60_000);
    expect(said).toEqual([
      'outage: answering every token request with 500, 502 or 503, audit requests as before, for 60 s',
      'outage over: answering as before',
    ]);
  });

  it('goes back to the faults the simulator was started with, not to none', () => {
    const set: Record<string, unknown>[] = [];
    const timers = handTimers();
    const light = { rate429: 0.02, rate5xx: 0.02, rateHtml: 0.01, rateTruncated: 0.01 };
    playOutages([{ startMs: 0, durationMs: 1_000 }], 'hang', light, {
      setFaults: (f) => set.push(f),
      say: () => {},
      after: timers.after,
    });
    timers.runTo(1_000);
    expect(set[0]).toMatchObject({ rateSlow: 1, rate429: 0, rate5xx: 0, tokenEndpoint: true });
    expect(set[1]).toEqual({
      ...light,
      rate401: 0,
      rate403: 0,
      rateReset: 0,
      tokenEndpoint: false,
      tokenEndpointOnly: false,
      rateSlow: NO_FAULTS.rateSlow,
      slowMs: NO_FAULTS.slowMs,
    });
  });

  it('refuses an outage ending later than a timer can wait, rather than play it at once', () => {
    const set: unknown[] = [];
    const play = () =>
      playOutages(
        [{ startMs: 1_000 * 3_600_000, durationMs: 60_000 }],
        '5xx',
        {},
        {
          setFaults: (f) => set.push(f),
          say: () => {},
        },
      );
    expect(play).toThrow('an outage must end within 24 days of the start');
    expect(set).toEqual([]);
  });

  it('plays nothing more once stopped', () => {
    const timers = handTimers();
    const stop = playOutages(
      [
        { startMs: 0, durationMs: 1_000 },
        { startMs: 5_000, durationMs: 1_000 },
      ],
      '5xx',
      {},
      { setFaults: () => {}, say: () => {}, after: timers.after },
    );
    timers.runTo(0);
    stop();
    expect(timers.pending()).toBe(0);
  });
});
