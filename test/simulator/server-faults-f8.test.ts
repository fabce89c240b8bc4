import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../functions/simulator/sim-event.ts';
import { audit, auditUrl, getToken, simulatorsFor } from './sim-client.ts';

/**
 * The fault modes review R-SIM F8 found missing: a long Retry-After on 503, a 401 for a token that
 * has not expired, a 403 used as a rate limit, a connection reset mid-body. Each over HTTP, and
 * the reset in process too (the campaign's paged scenarios use that path).
 */
const NOW = Date.parse('2026-11-20T12:00:00Z');
const EVENTS: SimEvent[] = Array.from({ length: 40 }, (_, i) => ({
  timeMs: NOW - 60_000 + i * 1000,
  entry: {
    actionType: 'VIEWED',
    eventText: `Viewed card ${i}`,
    userId: String(1000 + i),
    userName: `U ${i}`,
  },
}));
const RANGE = { start: NOW - 3_600_000, end: NOW, limit: 1000 };

describe('simulator fault modes of R-SIM F8', () => {
  const start = simulatorsFor({ clock: () => NOW, events: EVENTS });

  it('puts a long Retry-After on 503s (5xx and failFirst) only when asked, never on 500 or 502', async () => {
    const { s, token } = await start({
      seed: 4,
      faults: { rate5xx: 1, retryAfterOn503: true, retryAfterSeconds: 3600 },
    });
    const byStatus = new Map<number, (string | null)[]>();
    for (let i = 0; i < 30; i++) {
      const answer = await audit(s.url, token, RANGE);
      byStatus.set(answer.status, [
        ...(byStatus.get(answer.status) ?? []),
        answer.headers.get('retry-after'),
      ]);
    }
    expect([...byStatus.keys()].sort()).toEqual([500, 502, 503]);
    expect(new Set(byStatus.get(503))).toEqual(new Set(['3600']));
    expect(new Set([...(byStatus.get(500) ?? []), ...(byStatus.get(502) ?? [])])).toEqual(new Set([null]));

    s.setFaults({ rate5xx: 0, failFirstRequests: 1, retryAfter: 'http-date' });
    const first = await audit(s.url, token, RANGE);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe(new Date(NOW + 3_600_000).toUTCString());

    s.setFaults({ failFirstRequests: 1, retryAfterOn503: false });
    expect((await audit(s.url, token, RANGE)).headers.has('retry-after')).toBe(false);
  });

  it('answers 401 for a token that has not expired, and refuses it from then on (revoked)', async () => {
    const { s, token } = await start({ faults: { rate401: 1 } });
    const refused = await audit(s.url, token, RANGE);
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ status: 401, message: expect.stringMatching(/not valid/) });
    s.setFaults({ rate401: 0 });
    // Revoked, not a one-off: the token stays refused with faults off, though it has an hour left.
    expect((await audit(s.url, token, RANGE)).status).toBe(401);
    const fresh = await audit(s.url, await getToken(s.url), RANGE);
    expect(fresh.status).toBe(200);
    expect(fresh.json).toHaveLength(EVENTS.length);
    expect(s.stats().faultsInjected.rate401).toBe(1);
  });

  it('never answers a token request 401 or 403 as a fault (that would be a credentials error)', async () => {
    const { s } = await start({ faults: { rate401: 0.5, rate403: 0.5, tokenEndpoint: true } });
    for (let i = 0; i < 10; i++) await getToken(s.url);
    expect(s.stats().tokenFaultsInjected).toMatchObject({ rate401: 0, rate403: 0 });
    expect(s.stats().tokensIssued).toBe(11);
  });

  it("answers 403 'API Rate limit reached.' and serves the same token once it stops", async () => {
    const { s, token } = await start({ faults: { rate403: 1 } });
    const limited = await audit(s.url, token, RANGE);
    expect(limited.status).toBe(403);
    expect(limited.json).toMatchObject({ status: 403, message: 'API Rate limit reached.' });
    s.setFaults({ rate403: 0 });
    expect((await audit(s.url, token, RANGE)).status).toBe(200);
    expect(s.stats().faultsInjected.rate403).toBe(1);
  });

  it('resets the connection mid-body after announcing the whole Content-Length, over HTTP and in process', async () => {
    const { s, token } = await start({ faults: { rateReset: 1 } });
    for (const fetchWith of [globalThis.fetch, s.fetch] as const) {
      const response = await fetchWith(auditUrl(s.url, RANGE), {
        headers: { authorization: `bearer ${token}` },
      });
      expect(response.status).toBe(200);
      const announced = Number(response.headers.get('content-length'));
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let received = 0;
      const failure = await (async () => {
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) return undefined;
          received += chunk.value.length;
        }
      })().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TypeError);
      expect(received).toBeGreaterThan(0);
      expect(received).toBeLessThan(announced);
    }
    s.setFaults({ rateReset: 0 });
    const clean = await audit(s.url, token, RANGE);
    expect(clean.json).toHaveLength(EVENTS.length);
    expect(s.stats().faultsInjected.reset).toBe(2);
  });

  it('keeps the new rates in the exclusive sum, and checks the switch', async () => {
    const { s } = await start();
    expect(() => s.setFaults({ rate429: 0.5, rate401: 0.3, rate403: 0.2, rateReset: 0.1 })).toThrow(
      /must not exceed 1/,
    );
    expect(() => s.setFaults({ rateReset: 1.5 })).toThrow(/rateReset must be a probability/);
    expect(() => s.setFaults({ retryAfterOn503: 'yes' as unknown as boolean })).toThrow(/retryAfterOn503/);
  });
});
