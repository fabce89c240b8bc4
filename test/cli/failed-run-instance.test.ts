import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCommand } from '../../functions/cli/commands/ingest.ts';
import { statusCommand } from '../../functions/cli/commands/status.ts';
import { verifyCommand } from '../../functions/cli/commands/verify.ts';
import { openLakeTarget, parseLakeOption } from '../../functions/cli/lake-target.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { DAY_MS, floorHour, HOUR_MS } from '../../functions/core/time-units.ts';
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

async function ingest(extra: readonly string[], secret = CLIENT.clientSecret, into = lake) {
  const { io, stderr } = captureIo({ DOMO_CLIENT_ID: CLIENT.clientId, DOMO_CLIENT_SECRET: secret });
  const argv = ['--lake', into, '--api-base', sim.url, '--backfill-days', '1', ...extra];
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

describe('an instance whose tables, checkpoint and binding are gone, its run record and chain kept', () => {
  it('is still an instance: verify names every object its chain lists and the lake lacks (review revid4 M1)', async () => {
    const stripped = join(dir, 'stripped');
    expect((await ingest([], CLIENT.clientSecret, stripped)).summary.outcome).toBe('complete');
    for (const path of [
      'activity_log/instance=main',
      'coverage/instance=main',
      'state/instance=main/checkpoint.json',
      'state/instance=main/domo-customer.json',
    ])
      await rm(join(stripped, path), { recursive: true, force: true });

    for (const argv of [['--instance', 'main'], []]) {
      const { io, stdout } = captureIo({});
      const result = await verifyCommand(['--lake', stripped, ...argv, '--integrity'], {
        ...io,
        log: silentLog,
      });
      expect(result.ok).toBe(false);
      expect(stdout()).toMatch(/missing: activity_log\/instance=main\//);
      expect(stdout()).toContain('PROBLEMS FOUND');
    }
    const { io, stdout } = captureIo({});
    await statusCommand(['--lake', stripped], { ...io, log: silentLog });
    expect(stdout()).toContain('main');
  }, 60_000);

  it('with its state gone too, the place is named by its chain, not "not a lake"', async () => {
    const stripped = join(dir, 'stripped');
    await rm(join(stripped, 'state'), { recursive: true, force: true });
    await expect(openLakeTarget(parseLakeOption(stripped), undefined, { access: 'read' })).rejects.toThrow(
      `${stripped} holds the digest chain of instance main (digest/instance=main/) but no activity_log/, coverage/ or state/ folder of any instance`,
    );
  });

  it('a place holding only a failed run record says so, not "no state/ folder"', async () => {
    const only = join(dir, 'only-failed');
    await mkdir(join(only, 'state', 'instance=maim'), { recursive: true });
    await writeFile(
      join(only, 'state', 'instance=maim', 'last-run.json'),
      JSON.stringify({ outcome: 'failed', events_written: 0 }),
    );
    await expect(openLakeTarget(parseLakeOption(only), undefined, { access: 'read' })).rejects.toThrow(
      `${only} holds no instance yet: its only traces are state/instance=maim/last-run.json`,
    );
  });
});
