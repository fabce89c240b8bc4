import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import type { AuditClient } from '../../functions/core/domo/audit-client.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { activityKey, coverageKey, quarantineKey } from '../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { noMetrics, silentLog } from '../../functions/core/ports.ts';
import { systemClock } from '../../functions/core/runtime.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { type SimEvent, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { noWaits } from '../support/no-waits.ts';
import { plantedLogin } from '../support/planted-login.ts';
import { simulatorClient } from '../support/simulator-client.ts';

// An entry echoing an access token must be judged alike by every run: a token is known to the one
// run it was issued to, so a page scan that looked for tokens had the run that knew it quarantine
// the entry (id: hash of the scrubbed text) and any other run store it (id: hash of the text as
// served), one entry in both tables and counted twice (review 36g, item 1).
const hourMs = Date.parse('2026-11-17T09:00:00Z');

const simEvent = (minute: number, userId: string, extra: Record<string, unknown> = {}): SimEvent =>
  plantedLogin(hourMs, minute, userId, extra);

let dir: string;
let sim: Simulator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credential-echo-token-'));
  sim = await startSimulator({ events: [simEvent(0, '1')], clock: () => hourMs + DAY_MS, seed: 1 });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** A client of its own, as each run (a Lambda invocation, a CLI command) has, noting its tokens. */
const runClient = (tokens: string[]): AuditClient =>
  simulatorClient(sim, {
    seed: 1,
    client: {
      fetch: async (url, init) => {
        const response = await sim.fetch(url, init);
        if (url.includes('/oauth/token') && response.status === 200) {
          tokens.push(((await response.clone().json()) as { access_token: string }).access_token);
        }
        return response;
      },
    },
  });

describe('an entry echoing an earlier access token', () => {
  it('is stored once as an event by the run that was issued the token and by any other', async () => {
    const store = new FsObjectStore(dir);
    const pull = async (source: AuditClient, fromMs: number) => {
      const summary = await runIngest(
        { ...noWaits, source, store, clock: systemClock, log: silentLog, metrics: noMetrics },
        defaultIngestConfig('default'),
        { range: { fromMs, toMs: fromMs + HOUR_MS } },
      );
      expect(summary.failures).toEqual([]);
    };
    const read = async <T>(key: string): Promise<T[]> => {
      const object = await store.get(key);
      return object === undefined ? [] : (decodeNdjsonGzip(object.body) as T[]);
    };
    const stored = async () => ({
      events: (await read<EventRecord>(activityKey('default', hourMs))).map((event) => event.user_id),
      quarantined: (await read(quarantineKey('default', hourMs))).length,
      manifest: JSON.parse(
        Buffer.from((await store.get(coverageKey('default', hourMs)))?.body ?? '{}').toString(),
      ),
    });

    const tokens: string[] = [];
    const earlier = runClient(tokens);
    await pull(earlier, hourMs - HOUR_MS);
    expect(tokens).toHaveLength(1);
    sim.addEvents([simEvent(5, '2', { additionalComment: `API call with bearer ${tokens[0]}` })]);

    await pull(earlier, hourMs);
    expect(await stored()).toMatchObject({ events: ['1', '2'], quarantined: 0 });
    const other: string[] = [];
    await pull(runClient(other), hourMs);
    expect(other[0]).not.toBe(tokens[0]);
    const after = await stored();
    expect(after).toMatchObject({ events: ['1', '2'], quarantined: 0 });
    expect(after.manifest).toMatchObject({ event_count: 2, quarantined_count: 0 });
  });
});
