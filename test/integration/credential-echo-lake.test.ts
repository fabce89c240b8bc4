import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { CREDENTIAL_REASON } from '../../functions/core/ingest/normalise-window.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { activityKey, quarantineKey } from '../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import type { QuarantineRecord } from '../../functions/core/lake/quarantine-record.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { type SimEvent, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { plantedLogin } from '../support/planted-login.ts';
import { ingestFromSimulator } from '../support/simulator-client.ts';

// An API that echoes the request's credential into an entry (a debug field, a proxy's note) must
// not get it stored in the lake: the client's Basic credential and secret (the simulator's
// sim-client / sim-secret) planted in entries served with 200 (review 36c, item 5).
const hourMs = Date.parse('2026-11-17T09:00:00Z');
const BASIC = Buffer.from('sim-client:sim-secret').toString('base64');

const simEvent = (minute: number, userId: string, extra: Record<string, unknown> = {}): SimEvent =>
  plantedLogin(hourMs, minute, userId, extra);

let dir: string;
let sim: Simulator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credential-echo-'));
  sim = await startSimulator({
    events: [
      simEvent(0, '1', {}),
      simEvent(5, '2', { additionalComment: `debug: Basic ${BASIC}` }),
      simEvent(10, '3', { note: { echoed: 'secret sim-secret' } }),
      simEvent(15, '4', { additionalComment: `sim-secret ${BASIC}` }),
      // A JSON document in a string field, its `\u0073` (`s`) escaped once more (review F-E).
      simEvent(20, '5', { additionalComment: '{"secret":"\\u0073im-secret"}' }),
    ],
    clock: () => hourMs + DAY_MS,
    seed: 1,
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('an entry holding the client credential, served with 200', () => {
  it('is quarantined with its raw scrubbed, never stored as an event', async () => {
    const store = new FsObjectStore(dir);
    const summary = await ingestFromSimulator(sim, store, { fromMs: hourMs, toMs: hourMs + HOUR_MS });
    expect(summary.failures).toEqual([]);

    const read = async <T>(key: string): Promise<T[]> =>
      decodeNdjsonGzip((await store.get(key))?.body ?? new Uint8Array()) as T[];
    const events = await read<EventRecord>(activityKey('default', hourMs));
    const quarantined = await read<QuarantineRecord>(quarantineKey('default', hourMs));
    expect(events.map((event) => event.user_id)).toEqual(['1']);
    expect(quarantined.map((entry) => entry.reason)).toEqual([
      CREDENTIAL_REASON,
      CREDENTIAL_REASON,
      CREDENTIAL_REASON,
      CREDENTIAL_REASON,
    ]);
    expect(quarantined.map((entry) => entry.raw).join('\n')).toContain('debug: Basic [redacted]');
    const lake = JSON.stringify([events, quarantined]);
    expect(lake).not.toContain(BASIC);
    expect(lake).not.toContain('sim-secret');
    const decoded = lake.replace(/\\+u([0-9a-f]{4})/gi, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
    expect(decoded).not.toContain('sim-secret');
  });
});
