/** Minimal HTTP helpers for talking to the simulator in tests (the real client lives in the core). */
import { afterEach } from 'vitest';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../functions/simulator/server.ts';

export const CLIENT_ID = 'sim-client';
export const CLIENT_SECRET = 'sim-secret';

export function basic(id = CLIENT_ID, secret = CLIENT_SECRET): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** POST /oauth/token with a form body; returns the access token. */
export async function getToken(
  base: string,
  scope = 'audit',
  id = CLIENT_ID,
  secret = CLIENT_SECRET,
): Promise<string> {
  const res = await call(`${base}/oauth/token`, {
    method: 'POST',
    headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&scope=${encodeURIComponent(scope)}`,
  });
  if (res.status !== 200) throw new Error(`token request failed with ${res.status}: ${res.text}`);
  return (JSON.parse(res.text) as { access_token: string }).access_token;
}

export function auditUrl(base: string, params: Record<string, string | number>): string {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
  return `${base}/v1/audit?${query}`;
}

/** GET /v1/audit; returns the answer with the body parsed when it is JSON. */
export async function audit(
  base: string,
  token: string,
  params: Record<string, string | number>,
): Promise<Answer & { json: unknown }> {
  const res = await call(auditUrl(base, params), { headers: { authorization: `bearer ${token}` } });
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    json = undefined;
  }
  return { ...res, json };
}

/** Pages `[start, end]` with `limit` until an empty page, as every public client does. */
export async function pageAll(
  base: string,
  token: string,
  start: number,
  end: number,
  limit = 1000,
  extra: Record<string, string | number> = {},
): Promise<unknown[]> {
  const all: unknown[] = [];
  for (let offset = 0; ; offset += limit) {
    const res = await audit(base, token, { start, end, limit, offset, ...extra });
    if (res.status !== 200 || !Array.isArray(res.json))
      throw new Error(`audit page failed: ${res.status} ${res.text}`);
    if (res.json.length === 0) return all;
    all.push(...res.json);
  }
}

/**
 * A starter of simulators for one describe block, with `base` options: each test starts one (its
 * own options over `base`) and gets a token, and the last one started is closed after each test.
 */
export function simulatorsFor(
  base: SimulatorOptions,
): (options?: SimulatorOptions) => Promise<{ s: Simulator; token: string }> {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });
  return async (options = {}) => {
    sim = await startSimulator({ ...base, ...options });
    return { s: sim, token: await getToken(sim.url) };
  };
}
