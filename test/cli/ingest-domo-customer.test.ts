import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCommand } from '../../functions/cli/commands/ingest.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { DAY_MS, floorHour, HOUR_MS } from '../../functions/core/time-units.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';

// An MSP runs one lake instance a customer (review R-MSP): a run's output must say whose activity
// moved.

const CLIENT = { clientId: 'id', clientSecret: 'secret-of-acme', scopes: ['audit'] };
const toMs = floorHour(Date.now()) - HOUR_MS;
const fromMs = toMs - DAY_MS;

/** Domo of customer "simulated-42" (the simulator names one customer per seed). */
let acme: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-domo-customer-'));
  acme = await startSimulator({
    seed: 42,
    events: generateInstance({ seed: 42, fromMs, toMs, users: 3, eventsPerUserDay: 12 }).events,
    clients: [CLIENT],
  });
});
afterAll(async () => {
  await acme.close();
  await rm(dir, { recursive: true, force: true });
});

async function ingest(lake: string, extra: readonly string[]) {
  const { io, stdout, stderr } = captureIo({
    DOMO_CLIENT_ID: CLIENT.clientId,
    DOMO_CLIENT_SECRET: CLIENT.clientSecret,
  });
  const argv = ['--lake', lake, '--api-base', acme.url, '--backfill-days', '1', ...extra];
  const { summary } = await ingestCommand(argv, { ...io, log: silentLog });
  return { summary, stdout, stderr };
}

describe('ingest names the Domo customer whose activity it read', () => {
  it('in its summary, text and JSON', async () => {
    const text = await ingest(join(dir, 'text'), []);
    expect(text.summary.outcome, text.stderr()).toBe('complete');
    expect(text.stdout().split('\n')[1]).toBe('  Domo customer: simulated-42');

    const json = await ingest(join(dir, 'json'), ['--json']);
    expect(JSON.parse(json.stdout())).toMatchObject({ instance: 'main', domoCustomer: 'simulated-42' });
  });
});
