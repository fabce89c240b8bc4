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
  dir = await mkdtemp(join(tmpdir(), 'cli-ingest-range-'));
  sim = await startSimulator({
    events: generateInstance({ seed: 3, fromMs, toMs, users: 2, eventsPerUserDay: 24 }).events,
    clients: [{ clientId: 'id', clientSecret: 'secret', scopes: ['audit'] }],
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** An ingest of the simulated three hours into a new lake `name`, with `extra` flags. */
async function ingestRange(name: string, extra: readonly string[] = []) {
  const lake = join(dir, name);
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
  const { summary } = await ingestCommand([...argv, ...extra], { ...io, log: silentLog });
  return { lake, summary, stdout, stderr };
}

describe('an ingest of explicit hours', () => {
  it('records no last run for status, as the scheduled function would not', async () => {
    const { lake, summary, stderr } = await ingestRange('no-last-run');
    expect(summary.windowsDone, stderr()).toBe(3);
    expect(await readLastRun(new FsObjectStore(lake), 'main')).toBeUndefined();
  });

  it('carries the Domo requests and retries of the run next to the summary, as JSON', async () => {
    const { stdout, stderr } = await ingestRange('json', ['--json']);
    const printed = JSON.parse(stdout()) as Record<string, unknown>;
    expect(printed.windowsDone, stderr()).toBe(3);
    expect(printed.requests).toBeGreaterThan(0);
    expect(printed.retries).toBe(0);
  });
});
