import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../functions/simulator/server.ts';
import type { SimEvent } from '../../functions/simulator/sim-event.ts';
import { type Answer, audit, auditUrl, call, getToken, simulatorsFor } from './sim-client.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const EVENTS: SimEvent[] = Array.from({ length: 30 }, (_, i) => ({
  timeMs: NOW - 60_000 + i * 1000,
  entry: { actionType: 'VIEWED', eventText: 'Viewed card', userId: String(1000 + i), userName: `User ${i}` },
}));
const RANGE = { start: NOW - 3_600_000, end: NOW, limit: 1000 };

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('simulator fault injection', () => {
  const start = simulatorsFor({ clock: () => NOW, events: EVENTS });
  const statuses = async (s: Simulator, token: string, n: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await audit(s.url, token, RANGE)).status);
    return out;
  };

  it('answers 429 with Retry-After in seconds, as an HTTP date, or without it', async () => {
    const { s, token } = await start({ faults: { rate429: 1, retryAfter: 'seconds', retryAfterSeconds: 7 } });
    const seconds = await audit(s.url, token, RANGE);
    expect(seconds.status).toBe(429);
    expect(seconds.headers.get('retry-after')).toBe('7');
    expect(seconds.json).toMatchObject({ status: 429, statusReason: 'Too Many Requests', path: '/v1/audit' });

    s.setFaults({ retryAfter: 'http-date', retryAfterSeconds: 2 });
    const date = await audit(s.url, token, RANGE);
    expect(date.status).toBe(429);
    expect(date.headers.get('retry-after')).toBe(new Date(NOW + 2000).toUTCString());

    s.setFaults({ retryAfter: 'none' });
    const none = await audit(s.url, token, RANGE);
    expect(none.status).toBe(429);
    expect(none.headers.has('retry-after')).toBe(false);
    expect(s.stats().faultsInjected.rate429).toBe(3);
    expect(s.stats().byStatus['429']).toBe(3);
  });

  it('answers a mix of 500, 502 and 503 with Domo error bodies', async () => {
    const { s, token } = await start({ faults: { rate5xx: 1 } });
    const answers: Answer[] = [];
    for (let i = 0; i < 30; i++) answers.push(await audit(s.url, token, RANGE));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([500, 502, 503]));
    for (const a of answers)
      expect(JSON.parse(a.text)).toMatchObject({ status: a.status, path: '/v1/audit' });
  });

  it('answers HTML pages with 200 or 502', async () => {
    const { s, token } = await start({ faults: { rateHtml: 1 } });
    const answers: Answer[] = [];
    for (let i = 0; i < 20; i++) answers.push(await audit(s.url, token, RANGE));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200, 502]));
    for (const a of answers) {
      expect(a.headers.get('content-type')).toMatch(/text\/html/);
      expect(a.text.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(isJson(a.text)).toBe(false);
    }
  });

  it('answers 200 with the JSON array cut in the middle', async () => {
    const { s, token } = await start();
    const whole = await audit(s.url, token, RANGE);
    s.setFaults({ rateTruncated: 1 });
    for (let i = 0; i < 10; i++) {
      const cut = await audit(s.url, token, RANGE);
      expect(cut.status).toBe(200);
      expect(cut.text.length).toBeGreaterThan(0);
      expect(cut.text.length).toBeLessThan(whole.text.length);
      expect(whole.text.startsWith(cut.text)).toBe(true);
      expect(isJson(cut.text)).toBe(false);
    }
    const empty = await audit(s.url, token, { start: NOW + 1 });
    expect(empty.text).toBe('[');
  });

  it('delays slow answers and still serves them whole', async () => {
    const { s, token } = await start({ faults: { rateSlow: 1, slowMs: 20 } });
    const res = await audit(s.url, token, RANGE);
    expect(res.status).toBe(200);
    expect(res.json).toHaveLength(30);
    expect(s.stats().faultsInjected.slow).toBe(1);
  });

  it('drops a pending slow answer on close() instead of keeping the process alive', async () => {
    const { s, token } = await start({ faults: { rateSlow: 1, slowMs: 3_600_000 } });
    const pending = call(auditUrl(s.url, RANGE), { headers: { authorization: `bearer ${token}` } });
    // Wait until the server holds the request, then close while it sleeps.
    while (s.stats().faultsInjected.slow === 0) await new Promise((r) => setTimeout(r, 5));
    await s.close();
    await expect(pending).rejects.toThrow();
  });

  it('fails the first N audit requests with 503, counting again when set later', async () => {
    const { s, token } = await start({ faults: { failFirstRequests: 3 } });
    expect(await statuses(s, token, 5)).toEqual([503, 503, 503, 200, 200]);
    s.setFaults({ failFirstRequests: 1 });
    expect(await statuses(s, token, 2)).toEqual([503, 200]);
    expect(s.stats().faultsInjected.failFirst).toBe(4);
  });

  it('holds clients to rateLimitPerSecond over token and audit requests, 429 above it', async () => {
    let now = NOW;
    // The token is the first of this second's 3.
    const { s: sim, token } = await start({ clock: () => now, faults: { rateLimitPerSecond: 3 } });
    expect(await statuses(sim, token, 4)).toEqual([200, 200, 429, 429]);
    const refused = await audit(sim.url, token, RANGE);
    expect(refused.headers.get('retry-after')).toBe('1');
    // Refused requests do not count: a second after the accepted ones, 3 more get through.
    now += 1000;
    expect(await statuses(sim, token, 4)).toEqual([200, 200, 200, 429]);
    sim.setFaults({ rateLimitPerSecond: undefined });
    expect(await statuses(sim, token, 3)).toEqual([200, 200, 200]);
    expect(() => sim.setFaults({ rateLimitPerSecond: 0 })).toThrow(/rateLimitPerSecond/);
  });

  it('only injects faults into answers that would otherwise succeed', async () => {
    const { s } = await start({ faults: { rate5xx: 1 } });
    expect((await audit(s.url, 'not-a-token', RANGE)).status).toBe(401);
    const token = await getToken(s.url);
    expect((await audit(s.url, token, { start: 'x' })).status).toBe(400);
    expect(s.stats().faultsInjected.rate5xx).toBe(0);
  });

  it('repeats the same fault sequence for the same seed', async () => {
    const faults = { rate429: 0.2, rate5xx: 0.2, rateHtml: 0.1, rateTruncated: 0.1 };
    const run = async (seed: number): Promise<string[]> => {
      const { s, token } = await start({ seed, faults });
      const out: string[] = [];
      for (let i = 0; i < 25; i++) {
        const a = await audit(s.url, token, RANGE);
        out.push(`${a.status}:${a.text.length}`);
      }
      await s.close();
      return out;
    };
    const first = await run(5);
    expect(await run(5)).toEqual(first);
    expect(await run(6)).not.toEqual(first);
    expect(first.some((x) => x.startsWith('200:'))).toBe(true);
    expect(first.some((x) => !x.startsWith('200:'))).toBe(true);
  });

  it('rejects fault rates that cannot be probabilities', async () => {
    const { s } = await start();
    expect(() => s.setFaults({ rate5xx: -0.1 })).toThrow(/rate5xx/);
    expect(() => s.setFaults({ rate429: 0.6, rate5xx: 0.6 })).toThrow(/must not exceed 1/);
    expect(() => s.setFaults({ slowMs: 1.5 })).toThrow(/slowMs/);
  });

  it('closes idle keep-alive connections on close()', async () => {
    const { s } = await start();
    const agent = new Agent({ keepAlive: true });
    const socketClosed = new Promise<void>((resolve, reject) => {
      const req = request(`${s.url}/v1/nothing`, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          // The agent keeps the socket open for reuse; close() must still end it.
          req.socket?.once('close', () => resolve());
          void s.close();
        });
      });
      req.on('error', reject);
      req.end();
    });
    await socketClosed;
    await s.close();
    agent.destroy();
    expect(s.stats().byStatus['404']).toBe(1);
  });
});
