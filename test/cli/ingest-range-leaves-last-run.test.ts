import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { ingestCommand } from '../../functions/cli/commands/ingest.ts';
import { readLastRun } from '../../functions/core/lake/last-run.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';

const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = Date.parse('2026-10-01T03:00:00Z');

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-ingest-last-run-'));
  sim = await startSimulator({
    events: generateInstance({ seed: 3, fromMs, toMs, users: 2, eventsPerUserDay: 24 }).events,
    clients: [{ clientId: 'id', clientSecret: 'secret', scopes: ['audit'] }],
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('an ingest of explicit hours', () => {
  it('records no last run for status, as the scheduled function would not', async () => {
    const lake = join(dir, 'lake');
    const { io, stderr } = captureIo({ DOMO_CLIENT_ID: 'id', DOMO_CLIENT_SECRET: 'secret' });
    const argv = [
      '--from',
      '2026-10-01',
      '--to',
      '2026-10-01T03:00:00Z',
      '--lake',
      lake,
      '--api-base',
      sim.url,
    ];
    const { summary } = await ingestCommand(argv, { ...io, log: silentLog });
    expect(summary.windowsDone, stderr()).toBe(3);
    expect(await readLastRun(new FsObjectStore(lake), 'main')).toBeUndefined();
  });
});
