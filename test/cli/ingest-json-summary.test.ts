import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCommand } from '../../functions/cli/commands/ingest.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';

const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = Date.parse('2026-10-01T03:00:00Z');

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-ingest-json-'));
  sim = await startSimulator({
    events: generateInstance({ seed: 3, fromMs, toMs, users: 2, eventsPerUserDay: 24 }).events,
    clients: [{ clientId: 'id', clientSecret: 'secret', scopes: ['audit'] }],
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the ingest summary as JSON', () => {
  it('carries the Domo requests and retries of the run next to the summary', async () => {
    const lake = join(dir, 'lake');
    const { io, stdout, stderr } = captureIo({ DOMO_CLIENT_ID: 'id', DOMO_CLIENT_SECRET: 'secret' });
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
    await ingestCommand([...argv, '--json'], { ...io, log: silentLog });
    const printed = JSON.parse(stdout()) as Record<string, unknown>;
    expect(printed.windowsDone, stderr()).toBe(3);
    expect(printed.requests).toBeGreaterThan(0);
    expect(printed.retries).toBe(0);
  });
});
