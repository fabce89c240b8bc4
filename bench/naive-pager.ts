/**
 * The baseline of issue 9: the simplest correct pager one would write by hand. One UTC hour at a
 * time, pages of 1000 until an empty page, no rate limit, no retries, no concurrency; each hour
 * written as gzip NDJSON of the entries as received. Run as a child process by the bench:
 *   node naive-pager.mjs <api-base> <from-ms> <to-ms> <out-dir>   (DOMO_CLIENT_ID/SECRET in env)
 * Prints `{"requests":n,"events":n,"hours":n}`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { HOUR_MS } from '../functions/core/time-units.ts';

const PAGE = 1000;
const [apiBase = '', fromText = '', toText = '', outDir = ''] = process.argv.slice(2);
let requests = 0;

async function token(): Promise<string> {
  const basic = Buffer.from(`${process.env.DOMO_CLIENT_ID}:${process.env.DOMO_CLIENT_SECRET}`).toString(
    'base64',
  );
  requests++;
  const res = await fetch(`${apiBase}/oauth/token?grant_type=client_credentials&scope=audit`, {
    headers: { authorization: `Basic ${basic}` },
  });
  if (!res.ok) throw new Error(`token: HTTP ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function page(bearer: string, startMs: number, offset: number): Promise<unknown[]> {
  // Domo's `end` is inclusive: stop 1 ms before the next hour so no entry is read twice.
  const url = `${apiBase}/v1/audit?start=${startMs}&end=${startMs + HOUR_MS - 1}&limit=${PAGE}&offset=${offset}`;
  requests++;
  const res = await fetch(url, { headers: { authorization: `bearer ${bearer}` } });
  if (!res.ok) throw new Error(`audit ${url}: HTTP ${res.status}`);
  return (await res.json()) as unknown[];
}

async function pullHour(bearer: string, startMs: number): Promise<number> {
  const entries: unknown[] = [];
  for (let offset = 0; ; ) {
    const got = await page(bearer, startMs, offset);
    if (got.length === 0) break;
    entries.push(...got);
    offset += got.length;
  }
  const name = `${new Date(startMs).toISOString().slice(0, 13)}.ndjson.gz`;
  writeFileSync(join(outDir, name), gzipSync(entries.map((e) => `${JSON.stringify(e)}\n`).join('')));
  return entries.length;
}

mkdirSync(outDir, { recursive: true });
const bearer = await token();
let events = 0;
let hours = 0;
for (let start = Number(fromText); start < Number(toText); start += HOUR_MS) {
  events += await pullHour(bearer, start);
  hours++;
}
process.stdout.write(`${JSON.stringify({ requests, events, hours })}\n`);
