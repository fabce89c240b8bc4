import { describe, expect, it } from 'vitest';
import { virtualClient, virtualTime } from './support/virtual-time.ts';

describe('the audit client against a server that answers 429 to every page (review R-PACE2 F2)', () => {
  // The pacer's waits (one request every 5 s at its slowest) were left out of a request's
  // deadline: four workers failed after 1146 s (virtual), where six attempts had ended it in 15 s.
  it('gives up within minutes, its waits for the pace included, and says it was throttled', async () => {
    const time = virtualTime();
    let audits = 0;
    const fetch = async (url: string) => {
      await time.sleep(50);
      if (url.includes('/oauth/token')) return Response.json({ access_token: 'tok', expires_in: 3600 });
      audits++;
      return new Response('{"status":429}', { status: 429, headers: { 'Retry-After': '1' } });
    };
    const client = virtualClient(time, fetch, {});
    const errors: string[] = [];
    const page = (offset: number) =>
      client.fetchPage({ start: 0, end: 1, limit: 1000, offset }).catch((error: Error) => {
        errors.push(error.message);
      });
    await time.run(Promise.all([0, 1, 2, 3].map(page)));
    expect(errors).toHaveLength(4);
    expect(audits).toBeGreaterThan(0);
    expect(time.clock.now()).toBeLessThanOrEqual(300_000);
    for (const message of errors) expect(message).toMatch(/429.*throttling/);
  });
});
