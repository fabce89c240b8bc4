import { afterEach, describe, expect, it } from 'vitest';
import type { FaultOptions } from '../../functions/simulator/fault-plan.ts';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../functions/simulator/server.ts';
import type { SimEvent } from '../../functions/simulator/sim-event.ts';
import { type Answer, audit, basic, call, getToken } from './sim-client.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const EVENT: SimEvent = { timeMs: NOW - 60_000, entry: { userId: '1', userName: 'A', actionType: 'VIEWED' } };
const RANGE = { start: NOW - 3_600_000, end: NOW, limit: 1000 };

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

const postToken = (base: string, secret?: string): Promise<Answer> =>
  call(`${base}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: basic(undefined, secret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=audit',
  });

const getTokenAnswer = (base: string): Promise<Answer> =>
  call(`${base}/oauth/token?grant_type=client_credentials&scope=audit`, {
    headers: { authorization: basic() },
  });

describe('simulator fault injection on /oauth/token (faults.tokenEndpoint)', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });
  const start = async (faults: Partial<FaultOptions>, options: SimulatorOptions = {}): Promise<Simulator> => {
    sim = await startSimulator({ clock: () => NOW, events: [EVENT], faults, ...options });
    return sim;
  };

  it('leaves the token endpoint alone by default, whatever the audit fault rates', async () => {
    const s = await start({ rate429: 1 });
    for (let i = 0; i < 5; i++) expect((await postToken(s.url)).status).toBe(200);
    const token = await getToken(s.url);
    expect((await audit(s.url, token, RANGE)).status).toBe(429);
    expect(s.stats().tokenFaultsInjected.rate429).toBe(0);
    expect(s.stats().faultsInjected.rate429).toBe(1);
  });

  it('answers 429 with Retry-After in seconds, as an HTTP date, or without it, on POST and GET', async () => {
    const s = await start({ tokenEndpoint: true, rate429: 1, retryAfter: 'seconds', retryAfterSeconds: 4 });
    for (const answer of [await postToken(s.url), await getTokenAnswer(s.url)]) {
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toBe('4');
      expect(JSON.parse(answer.text)).toMatchObject({ status: 429, path: '/oauth/token' });
    }
    s.setFaults({ retryAfter: 'http-date', retryAfterSeconds: 2 });
    expect((await postToken(s.url)).headers.get('retry-after')).toBe(new Date(NOW + 2000).toUTCString());
    s.setFaults({ retryAfter: 'none' });
    const none = await postToken(s.url);
    expect(none.status).toBe(429);
    expect(none.headers.has('retry-after')).toBe(false);
    expect(s.stats().tokenFaultsInjected.rate429).toBe(4);
    expect(s.stats().faultsInjected.rate429).toBe(4);
    expect(s.stats().tokensIssued).toBe(0);
  });

  it('answers a mix of 500, 502 and 503 with Domo error bodies', async () => {
    const s = await start({ tokenEndpoint: true, rate5xx: 1 });
    const answers: Answer[] = [];
    for (let i = 0; i < 30; i++) answers.push(await postToken(s.url));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([500, 502, 503]));
    for (const a of answers)
      expect(JSON.parse(a.text)).toMatchObject({ status: a.status, path: '/oauth/token' });
    expect(s.stats().tokenFaultsInjected.rate5xx).toBe(30);
  });

  it('answers HTML pages with 200 or 502', async () => {
    const s = await start({ tokenEndpoint: true, rateHtml: 1 });
    const answers: Answer[] = [];
    for (let i = 0; i < 20; i++) answers.push(await postToken(s.url));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200, 502]));
    for (const a of answers) {
      expect(a.headers.get('content-type')).toMatch(/text\/html/);
      expect(isJson(a.text)).toBe(false);
    }
  });

  it('answers 200 with the token JSON cut in the middle', async () => {
    const s = await start({ tokenEndpoint: true, rateTruncated: 1 });
    for (let i = 0; i < 10; i++) {
      const cut = await postToken(s.url);
      expect(cut.status).toBe(200);
      expect(cut.text.startsWith('{"access_token":"')).toBe(true);
      expect(isJson(cut.text)).toBe(false);
    }
    // The cut token was issued, so it is counted, but the client never got it whole.
    expect(s.stats().tokenFaultsInjected.truncated).toBe(10);
    s.setFaults({ rateTruncated: 0 });
    expect(JSON.parse((await postToken(s.url)).text)).toMatchObject({ token_type: 'bearer' });
  });

  it('delays slow token answers and still serves them whole', async () => {
    const s = await start({ tokenEndpoint: true, rateSlow: 1, slowMs: 20 });
    const answer = await postToken(s.url);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ token_type: 'bearer' });
    expect(s.stats().tokenFaultsInjected.slow).toBe(1);
  });

  it('only injects faults into token answers that would otherwise succeed, and never failFirst', async () => {
    const s = await start({ tokenEndpoint: true, rate5xx: 1, failFirstRequests: 2 });
    expect((await postToken(s.url, 'wrong-secret')).status).toBe(401);
    expect(s.stats().tokenFaultsInjected.rate5xx).toBe(0);
    s.setFaults({ rate5xx: 0 });
    const token = await getToken(s.url);
    expect((await audit(s.url, token, RANGE)).status).toBe(503);
    expect(s.stats().tokenFaultsInjected.failFirst).toBe(0);
    expect(s.stats().faultsInjected.failFirst).toBe(1);
  });

  it('repeats the token fault sequence for a seed and leaves the audit sequence as it was', async () => {
    const faults = { rate429: 0.2, rate5xx: 0.2, rateHtml: 0.1, rateTruncated: 0.1 };
    const run = async (seed: number, tokenEndpoint: boolean) => {
      const s = await startSimulator({
        clock: () => NOW,
        events: [EVENT],
        seed,
        faults: { ...faults, tokenEndpoint },
      });
      // Get a token to read with, asking again while the token endpoint fails.
      let own: string | undefined;
      while (!own) {
        const a = await postToken(s.url);
        if (a.status === 200 && isJson(a.text))
          own = (JSON.parse(a.text) as { access_token: string }).access_token;
      }
      const tokenAnswers: string[] = [];
      const auditAnswers: string[] = [];
      for (let i = 0; i < 20; i++) {
        const t = await postToken(s.url);
        tokenAnswers.push(`${t.status}:${isJson(t.text)}`);
        const a = await audit(s.url, own, RANGE);
        auditAnswers.push(`${a.status}:${a.text.length}`);
      }
      await s.close();
      return { tokenAnswers, auditAnswers };
    };
    const first = await run(5, true);
    expect(await run(5, true)).toEqual(first);
    expect((await run(6, true)).tokenAnswers).not.toEqual(first.tokenAnswers);
    expect(first.tokenAnswers.some((x) => x === '200:true')).toBe(true);
    expect(first.tokenAnswers.some((x) => x !== '200:true')).toBe(true);
    expect((await run(5, false)).auditAnswers).toEqual(first.auditAnswers);
  });

  it('rejects a tokenEndpoint that is not a boolean', async () => {
    const s = await start({});
    expect(() => s.setFaults({ tokenEndpoint: 'yes' as unknown as boolean })).toThrow(/tokenEndpoint/);
  });
});
