import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCommand } from '../../functions/cli/commands/ingest.ts';
import { openLakeTarget, parseLakeOption } from '../../functions/cli/lake-target.ts';
import { DAY_MS, floorHour, HOUR_MS } from '../../functions/core/lake/layout.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';

// Review R-MULTI M1: an ingest under a mistyped --instance, refused before it stored anything,
// left state/instance=<typo>/last-run.json, and the typo became an instance of the lake for good.
const CLIENT = { clientId: 'id', clientSecret: 'secret', scopes: ['audit'] };
const toMs = floorHour(Date.now()) - HOUR_MS;

let sim: Simulator;
let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-failed-run-instance-'));
  lake = join(dir, 'lake');
  sim = await startSimulator({
    seed: 42,
    events: generateInstance({ seed: 42, fromMs: toMs - DAY_MS, toMs, users: 3, eventsPerUserDay: 12 })
      .events,
    clients: [CLIENT],
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

async function ingest(extra: readonly string[], secret = CLIENT.clientSecret) {
  const { io, stderr } = captureIo({ DOMO_CLIENT_ID: CLIENT.clientId, DOMO_CLIENT_SECRET: secret });
  const argv = ['--lake', lake, '--api-base', sim.url, '--backfill-days', '1', ...extra];
  const { summary } = await ingestCommand(argv, { ...io, log: silentLog });
  return { summary, stderr };
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('an ingest refused or failed before it stored anything, under a new name', () => {
  it('adds no instance to the lake, and a read of that name says what the record is', async () => {
    expect((await ingest([])).summary.outcome).toBe('complete');
    // The customer is bound to "main": the same client under a typo is refused.
    const typo = await ingest(['--instance', 'mian']);
    expect(typo.summary.outcome).toBe('failed');
    expect(typo.stderr()).toContain(`note: new instance "mian" in ${lake}, which holds main`);
    // Domo refuses the credentials (401).
    expect((await ingest(['--instance', 'maim'], 'wrong')).summary.outcome).toBe('failed');
    // The records stay (status of the run as it was), but make no instance.
    expect(await exists(join(lake, 'state', 'instance=mian', 'last-run.json'))).toBe(true);

    const target = await openLakeTarget(parseLakeOption(lake), undefined, { access: 'read' });
    expect(target.instance).toBe('main');
    expect(target.instances).toEqual(['main']);
    await expect(openLakeTarget(parseLakeOption(lake), 'mian', { access: 'read' })).rejects.toThrow(
      `"mian" is no instance of the lake at ${lake}: its only trace is state/instance=mian/last-run.json, the record of an ingest run that failed before it stored anything`,
    );
  });

  it("still counts an instance whose record is the deployed function's: the stack configures it", async () => {
    const folder = join(lake, 'state', 'instance=acme-eu');
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, 'last-run.json'),
      JSON.stringify({ outcome: 'failed', trigger: 'schedule' }),
    );
    const target = await openLakeTarget(parseLakeOption(lake), 'acme-eu', { access: 'read' });
    expect(target.instances).toEqual(['acme-eu', 'main']);
  });
});
