import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCommand } from '../../functions/cli/commands/ingest.ts';
import { ingestStoppedMessage } from '../../functions/cli/failure-message.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { DAY_MS, floorHour, HOUR_MS } from '../../functions/core/time-units.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';

// An MSP runs one lake instance a customer (review R-MSP): a run's output must say whose activity
// moved, and the command line must refuse a swapped client before its first run binds the
// instance to it, as the deployed function does with instances[].domoCustomer.

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

const lakeFiles = async (lake: string) =>
  (await readdir(lake, { recursive: true, withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);

describe('ingest names the Domo customer whose activity it read', () => {
  it('in its summary, text and JSON', async () => {
    const text = await ingest(join(dir, 'text'), []);
    expect(text.summary.outcome, text.stderr()).toBe('complete');
    expect(text.stdout().split('\n')[1]).toBe('  Domo customer: simulated-42');

    const json = await ingest(join(dir, 'json'), ['--json']);
    expect(JSON.parse(json.stdout())).toMatchObject({ instance: 'main', domoCustomer: 'simulated-42' });
  });
});

describe('ingest --domo-customer', () => {
  it('refuses credentials of another customer: nothing stored, nothing bound', async () => {
    const lake = join(dir, 'swapped');
    const refused = await ingest(lake, ['--domo-customer', 'globex']);
    expect(refused.summary.outcome).toBe('failed');
    expect(refused.summary.eventsWritten).toBe(0);
    expect(refused.summary.failures[0]?.message).toContain(
      'instance "main" is configured for Domo customer "globex", but these credentials are for Domo customer "simulated-42": none of their events was stored',
    );
    const files = await lakeFiles(lake);
    expect(files).not.toContain('domo-customer.json');
    expect(files.some((name) => name.endsWith('.ndjson.gz'))).toBe(false);
    expect(refused.stderr() + refused.stdout()).not.toContain(CLIENT.clientSecret);
    // The core names the deployment's setting; the command line's user sets it with the flag.
    const { failures, windowsFailed, windowsDone } = refused.summary;
    const line = ingestStoppedMessage(failures, windowsFailed, windowsDone);
    expect(line).toContain(
      "or its DOMO_CLIENT_ID/DOMO_CLIENT_SECRET; a secret swapped with another instance's is the usual cause), or correct --domo-customer if that is what is wrong",
    );
    expect(line).not.toContain('expected Domo customer');
  });

  it("passes the customer's own credentials, and names it", async () => {
    const run = await ingest(join(dir, 'right'), ['--domo-customer', ' simulated-42 ']);
    expect(run.summary.outcome, run.stderr()).toBe('complete');
    expect(run.summary.domoCustomer).toBe('simulated-42');
  });

  it('refuses an empty name before any request', async () => {
    await expect(ingest(join(dir, 'empty'), ['--domo-customer', '  '])).rejects.toThrow(
      new UsageError(
        '--domo-customer must not be empty: the Domo customer the instance is for, or leave it out',
      ),
    );
    expect(await lakeFiles(join(dir, 'empty'))).toEqual([]);
  });
});
