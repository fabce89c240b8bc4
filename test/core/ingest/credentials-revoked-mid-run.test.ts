import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { noMetrics, silentLog } from '../../../functions/core/ports.ts';
import { floorHour, HOUR_MS, MINUTE_MS } from '../../../functions/core/time-units.ts';
import type { SimClient } from '../../../functions/simulator/access-tokens.ts';
import { generateInstance, type Simulator, startSimulator } from '../../../functions/simulator/index.ts';
import { compareWithGroundTruth, readLake } from '../../support/lake-contents.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';
import { simulatorClient } from '../../support/simulator-client.ts';

// docs/operations.md, "Rotating the secret" and "The Domo credentials are rotated or revoked": a
// run whose client is revoked while it reads fails the hours it had not read, keeps those it
// stored, and leaves the watermark before the first it lost; the next run, with the new client,
// catches up with nothing lost and nothing stored twice (review ROTATE).

const NOW = Date.parse('2026-11-20T12:34:00Z');
const clock = { now: () => NOW };
/** Where a backfill of one day begins: the lake holds nothing older. */
const FROM = floorHour(NOW) - 24 * HOUR_MS;
const OLD: SimClient = { clientId: 'old-client', clientSecret: 'old-secret-value', scopes: ['audit'] };
const NEW: SimClient = { clientId: 'new-client', clientSecret: 'new-secret-value', scopes: ['audit'] };
const config = {
  ...defaultIngestConfig('acme'),
  backfillDays: 1,
  repullAfterHours: 0,
  concurrency: 2,
};

let sim: Simulator;
let store: MemoryObjectStore;
/** The simulator's clients, by reference: a client spliced out is refused its next token. */
let clients: SimClient[];

beforeEach(async () => {
  clients = [OLD, NEW];
  const events = generateInstance({
    seed: 'revoked-mid-run',
    fromMs: NOW - 26 * HOUR_MS,
    toMs: NOW,
    users: 8,
  });
  sim = await startSimulator({ clock: () => NOW, events: events.events, clients });
});
afterEach(() => sim.close());

/**
 * The simulator's fetch, where `OLD` is revoked at the `revokeAt`-th audit page: Domo refuses it a
 * token from then on, and every token it was issued before (the simulator alone would honour them).
 */
function revokingFetch(revokeAt: number): typeof sim.fetch {
  let pages = 0;
  const issuedBefore = new Set<string>();
  let revoked = false;
  return async (url, init) => {
    const auth = new Headers(init?.headers).get('authorization') ?? '';
    if (url.includes('/v1/audit')) {
      pages++;
      if (pages === revokeAt) {
        revoked = true;
        clients.splice(clients.indexOf(OLD), 1);
      }
      if (revoked && issuedBefore.has(auth)) return new Response('{"status":401}', { status: 401 });
      if (!revoked) issuedBefore.add(auth);
    }
    return sim.fetch(url, init);
  };
}

const run = (credentials: SimClient, fetch: typeof sim.fetch) =>
  runIngest(
    {
      ...noWaits,
      source: simulatorClient(sim, {
        seed: 1,
        inProcess: true,
        client: {
          credentials: { clientId: credentials.clientId, clientSecret: credentials.clientSecret },
          fetch,
        },
      }),
      store,
      clock,
      log: silentLog,
      metrics: noMetrics,
    },
    config,
  );

describe('a client revoked while a run reads', () => {
  it('fails the run with the credentials named; the next run, with the new client, loses and doubles nothing', async () => {
    store = new MemoryObjectStore();
    const lastClosed = floorHour(NOW - config.settleMinutes * MINUTE_MS);

    const cut = await run(OLD, revokingFetch(12));
    expect(cut.failures.length).toBeGreaterThan(0);
    expect(cut.failures[0]?.message).toContain("Domo rejected the credentials of API client 'old-client'");
    expect(cut.failures[0]?.message).not.toContain('old-secret-value');
    const cutAt = (await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms ?? 0;
    expect(cutAt).toBeLessThan(lastClosed);
    // The hours before the watermark are stored whole (hours after it a span finished may be too).
    const stored = await readLake(store, 'acme');
    const before = {
      ...stored,
      events: stored.events.filter((e) => e.event_time_ms >= FROM && e.event_time_ms < cutAt),
    };
    const kept = compareWithGroundTruth(before, sim.groundTruth(), FROM, cutAt);
    expect(kept.expectedEvents).toBeGreaterThan(0);
    expect(kept).toMatchObject({ lost: 0, duplicated: 0, duplicateIds: 0 });

    const next = await run(NEW, sim.fetch);
    expect(next.failures).toEqual([]);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms).toBe(lastClosed);
    const lake = compareWithGroundTruth(await readLake(store, 'acme'), sim.groundTruth(), FROM, lastClosed);
    expect(lake).toMatchObject({ lost: 0, duplicated: 0, duplicateIds: 0 });
  });
});
