import { describe, expect, it } from 'vitest';
import { createAuditClient } from '../../../functions/core/domo/audit-client.ts';
import { recordingLog } from '../../support/recording-log.ts';
import { fakeTime } from './support/fake-time.ts';

/**
 * Review R-HOSTFIX M2: a request held while 401s draw many new tokens, then answered with an
 * error whose body echoes the request's own (still valid) token. The redactor kept the last 8
 * tokens only, so the echo went to the log raw.
 */
describe('a slow answer echoing its token after many renewals', () => {
  it('is logged and thrown with the token redacted', async () => {
    const issued: string[] = [];
    let answerSlow: (() => void) | undefined;
    const slowHeld = new Promise<void>((resolve) => {
      answerSlow = resolve;
    });
    let auditRequests = 0;
    const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
      if (url.endsWith('/oauth/token')) {
        const token = `tok-${String(issued.length + 1).padStart(3, '0')}-valid-for-an-hour-abcdef`;
        issued.push(token);
        return Response.json({ access_token: token, token_type: 'bearer', expires_in: 3600 });
      }
      const authorization = new Headers(init?.headers).get('authorization') ?? '';
      if (++auditRequests === 1) {
        await slowHeld;
        return new Response(`boom ${authorization}`, { status: 500 });
      }
      return new Response('refused', { status: 401 });
    };
    const { log, logged } = recordingLog();
    const client = createAuditClient({
      apiBase: 'https://api.domo.example',
      credentials: { clientId: '7c1e2d3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f', clientSecret: 'the-secret-0001' },
      ...fakeTime(),
      fetch: fetch as never,
      maxAttempts: 2,
      log,
    });
    const query = { start: 0, end: 3_599_999, limit: 1000, offset: 0 };
    const slow = client.fetchPage(query).catch((e: unknown) => e);
    // Other pages refused: each refusal draws a new token, 20 and more while the slow one waits.
    for (let i = 0; i < 30; i++) await client.fetchPage(query).catch(() => undefined);
    expect(issued.length).toBeGreaterThan(20);
    answerSlow?.();
    const error = await slow;
    const said = `${(error as Error).message} ${JSON.stringify(logged)}`;
    expect(said).not.toContain(issued[0]);
    expect(said).toContain('boom bearer [redacted]');
  });
});
