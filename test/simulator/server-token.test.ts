import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../functions/simulator/server.ts';
import type { SimEvent } from '../../functions/simulator/sim-event.ts';
import { audit, basic, CLIENT_SECRET, call, getToken } from './sim-client.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const EVENT: SimEvent = { timeMs: NOW - 60_000, entry: { userId: '1', userName: 'A', actionType: 'VIEWED' } };

describe('simulator /oauth/token', () => {
  let sim: Simulator | undefined;
  let now = NOW;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    now = NOW;
  });
  const start = async (options: SimulatorOptions = {}): Promise<Simulator> => {
    sim = await startSimulator({ clock: () => now, events: [EVENT], ...options });
    return sim;
  };

  it('issues a JWT-shaped bearer token on POST with a form body', async () => {
    const s = await start();
    const res = await call(`${s.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=audit',
    });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    expect(body).toMatchObject({
      token_type: 'bearer',
      expires_in: 3599,
      scope: 'audit',
      role: 'Admin',
      env: 'prod1',
    });
    expect(typeof body.customer).toBe('string');
    expect(typeof body.userId).toBe('number');
    const parts = String(body.access_token).split('.');
    expect(parts).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims.exp).toBe(Math.floor(NOW / 1000) + 3599);
    expect(claims.jti).toBe(body.jti);
    expect(String(body.access_token)).not.toContain(CLIENT_SECRET);
  });

  it('names a customer of its own per seed, or the one given: each simulated company is an instance', async () => {
    const customerOf = async (options: SimulatorOptions) => {
      const s = await start(options);
      const res = await call(`${s.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      await s.close();
      sim = undefined;
      return (JSON.parse(res.text) as { customer: unknown }).customer;
    };
    expect(await customerOf({ seed: 42 })).toBe('simulated-42');
    expect(await customerOf({ seed: 7 })).toBe('simulated-7');
    expect(await customerOf({ seed: 7, customer: 'acme-prod' })).toBe('acme-prod');
  });

  it('issues tokens on GET with query parameters and on POST with the query string', async () => {
    const s = await start();
    const viaGet = await call(`${s.url}/oauth/token?grant_type=client_credentials&scope=audit`, {
      headers: { authorization: basic() },
    });
    expect(viaGet.status).toBe(200);
    const viaPostQuery = await call(`${s.url}/oauth/token?grant_type=client_credentials`, {
      method: 'POST',
      headers: { authorization: basic() },
    });
    expect(viaPostQuery.status).toBe(200);
    const a = JSON.parse(viaGet.text) as { access_token: string; jti: string };
    const b = JSON.parse(viaPostQuery.text) as { access_token: string; jti: string };
    expect(a.access_token).not.toBe(b.access_token);
    expect(a.jti).not.toBe(b.jti);
    expect(s.stats().tokensIssued).toBe(2);
  });

  it('answers 401 with a Domo error body for bad, unknown or missing credentials', async () => {
    const s = await start();
    const form = { method: 'POST', body: 'grant_type=client_credentials' };
    const wrongSecret = await call(`${s.url}/oauth/token`, {
      ...form,
      headers: { authorization: basic('sim-client', 'wrong-secret') },
    });
    const unknownClient = await call(`${s.url}/oauth/token`, {
      ...form,
      headers: { authorization: basic('nobody', CLIENT_SECRET) },
    });
    const none = await call(`${s.url}/oauth/token`, form);
    for (const res of [wrongSecret, unknownClient, none]) {
      expect(res.status).toBe(401);
      const body = JSON.parse(res.text) as Record<string, unknown>;
      expect(body).toMatchObject({ status: 401, statusReason: 'Unauthorized', path: '/oauth/token' });
      expect(typeof body.message).toBe('string');
      expect(typeof body.toe).toBe('string');
      expect(res.text).not.toContain('wrong-secret');
      expect(res.text).not.toContain(CLIENT_SECRET);
    }
    expect(s.stats().tokensIssued).toBe(0);
    expect(s.stats().byStatus['401']).toBe(3);
  });

  it('rejects a missing or wrong grant_type with 400', async () => {
    const s = await start();
    for (const body of ['', 'grant_type=password']) {
      const res = await call(`${s.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic() },
        body,
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({
        status: 400,
        message: expect.stringMatching(/grant_type/),
      });
    }
  });

  it('grants a subset of the client scopes, all of them by default, and refuses others', async () => {
    const s = await start({
      clients: [{ clientId: 'multi', clientSecret: 's3', scopes: ['audit', 'data', 'user'] }],
    });
    const ask = (scope?: string) =>
      call(`${s.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic('multi', 's3') },
        body: `grant_type=client_credentials${scope === undefined ? '' : `&scope=${encodeURIComponent(scope)}`}`,
      });
    expect(JSON.parse((await ask('data user')).text).scope).toBe('data user');
    expect(JSON.parse((await ask()).text).scope).toBe('audit data user');
    const refused = await ask('audit dashboard');
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text).message).toMatch(/dashboard/);
  });

  it('answers 403 on /v1/audit for a token without the audit scope', async () => {
    const s = await start({
      clients: [{ clientId: 'multi', clientSecret: 's3', scopes: ['audit', 'data'] }],
    });
    const token = await getToken(s.url, 'data', 'multi', 's3');
    const res = await audit(s.url, token, { start: 0 });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ status: 403, statusReason: 'Forbidden', path: '/v1/audit' });
  });

  it('expires tokens by the injected clock: 200 before, 401 from expiry on', async () => {
    const s = await start({ tokenLifetimeSec: 600 });
    const token = await getToken(s.url);
    now = NOW + 599_999;
    expect((await audit(s.url, token, { start: 0 })).status).toBe(200);
    now = NOW + 600_000;
    const expired = await audit(s.url, token, { start: 0 });
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject({ status: 401, message: expect.stringMatching(/expired/) });
  });

  it('lets faults override the lifetime of newly issued tokens', async () => {
    const s = await start({ faults: { tokenLifetimeSec: 5 } });
    const res = await call(`${s.url}/oauth/token?grant_type=client_credentials`, {
      headers: { authorization: basic() },
    });
    expect(JSON.parse(res.text).expires_in).toBe(5);
    s.setFaults({ tokenLifetimeSec: undefined });
    const again = await call(`${s.url}/oauth/token?grant_type=client_credentials`, {
      headers: { authorization: basic() },
    });
    expect(JSON.parse(again.text).expires_in).toBe(3599);
  });

  it('accepts the bearer scheme in any case and refuses unknown or missing tokens with 401', async () => {
    const s = await start();
    const token = await getToken(s.url);
    for (const scheme of ['bearer', 'Bearer', 'BEARER']) {
      const res = await call(`${s.url}/v1/audit?start=0`, {
        headers: { authorization: `${scheme} ${token}` },
      });
      expect(res.status).toBe(200);
    }
    expect((await audit(s.url, `${token}x`, { start: 0 })).status).toBe(401);
    expect((await call(`${s.url}/v1/audit?start=0`)).status).toBe(401);
    expect((await call(`${s.url}/v1/audit?start=0`, { headers: { authorization: basic() } })).status).toBe(
      401,
    );
  });

  it('answers 404 and 405 with Domo error bodies and counts every request', async () => {
    const s = await start();
    const missing = await call(`${s.url}/v1/nothing`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({ status: 404, path: '/v1/nothing' });
    expect((await call(`${s.url}/v1/audit?start=0`, { method: 'POST' })).status).toBe(405);
    expect((await call(`${s.url}/oauth/token`, { method: 'DELETE' })).status).toBe(405);
    expect(s.stats()).toMatchObject({ requests: 3, byStatus: { '404': 1, '405': 2 } });
  });

  it('refuses bad options with a message naming the option', async () => {
    await expect(startSimulator({ docStringTimeZone: 'Mars/Olympus' })).rejects.toThrow(/Mars\/Olympus/);
    await expect(startSimulator({ tokenLifetimeSec: 0 })).rejects.toThrow(/tokenLifetimeSec/);
    await expect(startSimulator({ clients: [] })).rejects.toThrow(/clients/);
    await expect(startSimulator({ faults: { rate429: 2 } })).rejects.toThrow(/rate429/);
  });
});
