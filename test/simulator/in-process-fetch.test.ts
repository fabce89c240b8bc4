import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../functions/simulator/server.ts';
import { generateInstance } from '../../functions/simulator/synthetic-instance.ts';
import { auditUrl, basic } from './sim-client.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** A client's session: a token, then pages of the last day, through `fetch`. */
async function session(base: string, fetchWith: Fetch): Promise<string[]> {
  const seen: string[] = [];
  const record = async (response: Response) => {
    const headers = ['content-type', 'retry-after', 'www-authenticate'].map((h) => response.headers.get(h));
    const text = await response.text();
    // Each simulator signs its tokens with a key of its own and numbers them at random.
    const shown = text.replace(/"(access_token|jti)":"[^"]+"/g, '"$1":"…"');
    seen.push(`${response.status} ${JSON.stringify(headers)} ${shown}`);
    return text;
  };
  let token = '';
  for (let attempt = 0; attempt < 20 && token === ''; attempt++) {
    const text = await record(
      await fetchWith(`${base}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'audit' }),
      }),
    );
    token = text.startsWith('{"access_token"')
      ? (JSON.parse(text) as { access_token: string }).access_token
      : '';
  }
  for (let offset = 0; offset < 600; offset += 50) {
    const url = auditUrl(base, { start: NOW - 24 * HOUR, end: NOW, limit: 50, offset });
    await record(await fetchWith(url, { headers: { authorization: `bearer ${token}` } }));
  }
  await record(await fetchWith(`${base}/v1/audit?start=1`, { headers: { authorization: 'bearer nope' } }));
  await record(await fetchWith(`${base}/v1/nothing`));
  return seen;
}

describe('the simulator answered in process', () => {
  const sims: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.close()));
  });
  const start = async (options: SimulatorOptions) => {
    const sim = await startSimulator(options);
    sims.push(sim);
    return sim;
  };

  it('answers exactly as over HTTP: statuses, headers, pages, faults and errors', async () => {
    const options: SimulatorOptions = {
      clock: () => NOW,
      seed: 5,
      events: generateInstance({ seed: 3, fromMs: NOW - 24 * HOUR, toMs: NOW, users: 8 }).events,
      entryVariation: { malformed: 0.05, twins: 0.05, omitOptional: 0.1 },
      faults: {
        rate429: 0.1,
        retryAfter: 'seconds',
        rate5xx: 0.1,
        rateHtml: 0.05,
        rateTruncated: 0.05,
        tokenEndpoint: true,
      },
    };
    const overHttp = await start(options);
    const inProcess = await start(options);

    const viaSocket = await session(overHttp.url, (url, init) => fetch(url, init));
    const viaCall = await session(inProcess.url, inProcess.fetch);

    expect(viaCall).toEqual(viaSocket);
    // The session met every kind of answer it compares.
    const statuses = new Set(viaSocket.map((line) => line.slice(0, 3)));
    expect([...statuses].sort()).toEqual(expect.arrayContaining(['200', '401', '404', '429']));
    expect(viaSocket.some((line) => line.includes('text/html'))).toBe(true);
    expect(inProcess.stats().requests).toBe(overHttp.stats().requests);
  });

  it('rejects like fetch when the caller aborts a slow answer, or the simulator drops it on close', async () => {
    const sim = await start({
      clock: () => NOW,
      faults: { rateSlow: 1, slowMs: 60_000, tokenEndpoint: true },
    });
    const request = {
      method: 'POST',
      headers: { authorization: basic() },
      body: 'grant_type=client_credentials&scope=audit',
    };

    const reason = new Error('the caller gave up');
    const controller = new AbortController();
    const abandoned = sim.fetch(`${sim.url}/oauth/token`, { ...request, signal: controller.signal });
    controller.abort(reason);
    await expect(abandoned).rejects.toBe(reason);

    // A signal that outlives its requests (a whole run's) keeps no listener once they are answered.
    const quick = await start({ clock: () => NOW });
    const runWide = new AbortController();
    for (let i = 0; i < 20; i++) {
      const answer = await quick.fetch(`${quick.url}/oauth/token`, { ...request, signal: runWide.signal });
      expect(answer.status).toBe(200);
    }
    expect(getEventListeners(runWide.signal, 'abort')).toHaveLength(0);

    const dropped = sim.fetch(`${sim.url}/oauth/token`, request);
    await sim.close();
    await expect(dropped).rejects.toThrow(new TypeError('fetch failed'));
  });
});
