import { setTimeout as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { simulateCommand } from '../../functions/cli/commands/simulate.ts';
import { parseOutageAnswers, parseOutages } from '../../functions/cli/outage-option.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

describe('simulate --outage', () => {
  it('plays the outage asked for: Domo answers 5xx from the start, and says so', async () => {
    const { io, stdout, stderr } = captureIo();
    let status = 0;
    await simulateCommand(
      ['--days', '1', '--users', '3', '--port', '0', '--outage', '0/1h'],
      { ...io, log: silentLog },
      async () => {
        // After the outage's own timer of 0 ms, set before this one.
        await tick(0);
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout())?.[1];
        const basic = Buffer.from('sim-client:sim-secret').toString('base64');
        const answer = await fetch(`${url}/oauth/token`, {
          method: 'POST',
          headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials&scope=audit',
        });
        status = answer.status;
        await answer.text();
      },
      () => false,
    );
    expect([500, 502, 503]).toContain(status);
    expect(stdout()).toContain(
      'Outage planned 0 s after start, for 1 h 00 min: every request answered with 5xx.',
    );
    expect(stderr()).toContain('outage: answering every request with 500, 502 or 503 for 3600 s');
  });

  it('reads <start>/<duration>, given again for more, in order', () => {
    expect(parseOutages(['10m/30s', '0/2m'])).toEqual([
      { startMs: 0, durationMs: 120_000 },
      { startMs: 600_000, durationMs: 30_000 },
    ]);
    expect(parseOutages(undefined)).toEqual([]);
    const one = parseOutages(['0/1m']);
    expect(parseOutageAnswers(undefined, one)).toEqual([{ ...one[0], answer: '5xx' }]);
    expect(parseOutageAnswers('hang', one)).toEqual([{ ...one[0], answer: 'hang' }]);
    expect(parseOutageAnswers(undefined, [])).toEqual([]);
  });

  // Down, then silent, then throttling as it comes back, on one simulator (helper OUTAGE).
  it('reads one answer for every outage, or one per outage in order of start', () => {
    const three = parseOutages(['4m/2m', '0/2m', '2m/2m']);
    expect(parseOutageAnswers('5xx, hang,429', three).map((o) => [o.startMs, o.answer])).toEqual([
      [0, '5xx'],
      [120_000, 'hang'],
      [240_000, '429'],
    ]);
    expect(parseOutageAnswers('429', three).map((o) => o.answer)).toEqual(['429', '429', '429']);
    expect(parseOutageAnswers('token', three).map((o) => o.answer)).toEqual(['token', 'token', 'token']);
    expect(() => parseOutageAnswers('5xx,hang', three)).toThrow(
      '--outage-answers lists 2 answers for 3 outage(s): give one answer, or one per --outage in order of start',
    );
    expect(() => parseOutageAnswers('5xx,404,429', three)).toThrow('must be one of 5xx, 429, hang, token');
  });

  it('refuses what it cannot play', () => {
    expect(() => parseOutages(['30s'])).toThrow('--outage "30s" must be <start>/<duration>, e.g. 30s/2m');
    expect(() => parseOutages(['30s/0'])).toThrow('--outage duration "0" must be longer than 0');
    expect(() => parseOutages(['0/2m', '1m/1m'])).toThrow('--outage: two outages overlap');
    expect(() => parseOutages(['1000h/1m'])).toThrow('--outage "1000h/1m" must end within 24 days (576h)');
    expect(parseOutages(['575h/1h'])).toEqual([{ startMs: 575 * 3_600_000, durationMs: 3_600_000 }]);
    expect(() => parseOutageAnswers('404', parseOutages(['0/1m']))).toThrow(
      '--outage-answers must be one of 5xx, 429, hang, token',
    );
  });
});

describe('simulate --outage-answers without --outage', () => {
  it('is refused before the simulator starts, as it would play nothing', async () => {
    const { io } = captureIo();
    let started = false;
    const run = simulateCommand(
      ['--days', '1', '--users', '3', '--port', '0', '--outage-answers', '429'],
      { ...io, log: silentLog },
      async () => {
        started = true;
      },
      () => false,
    );
    await expect(run).rejects.toThrow('--outage-answers needs --outage <start>/<duration>');
    expect(started).toBe(false);
  });
});

describe('simulate --rate-limit', () => {
  it('answers 429 to requests above the rate asked for', async () => {
    const { io, stdout } = captureIo();
    let statuses: number[] = [];
    await simulateCommand(
      ['--days', '1', '--users', '3', '--port', '0', '--rate-limit', '1'],
      { ...io, log: silentLog },
      async () => {
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout())?.[1];
        const basic = Buffer.from('sim-client:sim-secret').toString('base64');
        const ask = async () => {
          const answer = await fetch(`${url}/oauth/token`, {
            method: 'POST',
            headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
            body: 'grant_type=client_credentials&scope=audit',
          });
          await answer.text();
          return answer.status;
        };
        // Sent together, within the second the limit counts.
        statuses = await Promise.all([ask(), ask(), ask()]);
      },
      () => false,
    );
    expect(statuses).toContain(200);
    expect(statuses).toContain(429);
  });
});
