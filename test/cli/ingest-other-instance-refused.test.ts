import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCommand } from '../../functions/cli/commands/ingest.ts';
import { ingestStoppedMessage } from '../../functions/cli/failure-message.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { DAY_MS, floorHour, HOUR_MS } from '../../functions/core/time-units.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';

const CLIENT = { clientId: 'id', clientSecret: 'secret-of-both', scopes: ['audit'] };
const toMs = floorHour(Date.now()) - HOUR_MS;
const fromMs = toMs - DAY_MS;

/** Two companies, each its own Domo instance (the simulator names one customer per seed). */
let companyA: Simulator;
let companyB: Simulator;
let echoing: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-other-instance-'));
  const company = (seed: number) =>
    startSimulator({
      seed,
      events: generateInstance({ seed, fromMs, toMs, users: 3, eventsPerUserDay: 12 }).events,
      clients: [CLIENT],
    });
  [companyA, companyB] = await Promise.all([company(42), company(7)]);
  // A Domo (or a proxy) whose token answer echoes the client secret as the customer.
  echoing = await startSimulator({
    seed: 3,
    customer: `instance ${CLIENT.clientSecret}`,
    events: generateInstance({ seed: 3, fromMs, toMs, users: 3, eventsPerUserDay: 12 }).events,
    clients: [CLIENT],
  });
});
afterAll(async () => {
  await Promise.all([companyA.close(), companyB.close(), echoing.close()]);
  await rm(dir, { recursive: true, force: true });
});

async function ingest(lake: string, sim: Simulator, extra: readonly string[]) {
  const { io, stdout, stderr } = captureIo({
    DOMO_CLIENT_ID: CLIENT.clientId,
    DOMO_CLIENT_SECRET: CLIENT.clientSecret,
  });
  const argv = ['--lake', lake, '--api-base', sim.url, ...extra];
  const { summary } = await ingestCommand(argv, { ...io, log: silentLog });
  return { summary, stdout, stderr };
}

/** Every file of the lake but the lock files, with its content. */
async function files(lake: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const entry of await readdir(lake, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.lock')) continue;
    const path = join(entry.parentPath, entry.name);
    found.set(path.slice(lake.length), (await readFile(path)).toString('base64'));
  }
  return found;
}

describe('an ingest into a lake filled from another Domo instance', () => {
  it('is refused, naming both customers, and leaves the lake as it was', async () => {
    const lakeA = join(dir, 'a');
    const first = await ingest(lakeA, companyA, ['--backfill-days', '1']);
    expect(first.summary.outcome, first.stderr()).toBe('complete');
    const copy = join(dir, 'copy');
    await cp(lakeA, copy, { recursive: true });
    const before = await files(copy);

    const iso = (ms: number) => new Date(ms).toISOString();
    const range = ['--from', iso(toMs - 6 * HOUR_MS), '--to', iso(toMs - 3 * HOUR_MS)];
    const refused = await ingest(copy, companyB, range);

    expect(refused.summary.outcome).toBe('failed');
    expect(refused.summary.eventsWritten).toBe(0);
    expect(refused.summary.failures[0]?.message).toContain(
      'instance "main" of this lake was filled from Domo customer "simulated-42", but these credentials are for Domo customer "simulated-7"',
    );
    expect(refused.stderr() + refused.stdout()).not.toContain(CLIENT.clientSecret);
    // The core names the deployment's instance name; the command line's user gives flags.
    const { failures, windowsFailed, windowsDone } = refused.summary;
    expect(ingestStoppedMessage(failures, windowsFailed, windowsDone)).toContain(
      'or ingest customer "simulated-7" under another --instance or into another --lake;',
    );
    expect(await files(copy)).toEqual(before);
  });

  it('never records nor prints a customer that holds the client secret', async () => {
    const lake = join(dir, 'echo');
    const run = await ingest(lake, echoing, ['--backfill-days', '1']);
    expect(run.summary.outcome, run.stderr()).toBe('complete');
    expect(run.stderr() + run.stdout()).not.toContain(CLIENT.clientSecret);
    for (const content of (await files(lake)).values()) {
      expect(Buffer.from(content, 'base64').toString()).not.toContain(CLIENT.clientSecret);
    }
    expect([...(await files(lake)).keys()].some((path) => path.endsWith('domo-customer.json'))).toBe(false);
  });
});
