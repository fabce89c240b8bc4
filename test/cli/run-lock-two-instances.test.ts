import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { holdingRunLock } from '../../functions/adapters/run-lock.ts';
import { main } from '../../functions/cli/main.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { appendDigest } from '../../functions/core/lake/digest.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';
import { TODAY_START as day0, TODAY_INGESTED_AT, todayLake } from '../support/verify-today-lake.ts';

// Review R-MULTI L2, L3: run locks lie in the lake's root, one lake for every instance. An ingest of
// `acme` removed the lock `acme-eu`'s killed run left, and `status`/`verify` of `acme-eu` then
// called that run "catching up now" for 15 minutes; `enrich` of `acme` warned of `acme-eu`'s
// running ingest and asked to run it again. A run's lock now names its instance.

const deadRun = '20261202T140000Z-e0e0e0';
const openedAt = day0 + 14 * HOUR_MS + 20 * 60_000;
let dir: string;
let lake: string;

/** The pid of a process that has ended (and been reaped). */
async function pidOfEndedProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

const runLocks = async () => (await readdir(lake)).filter((name) => name.startsWith('.ingest-run-'));

async function statusOfEu(nowMs: number): Promise<string> {
  const { io, stdout } = captureIo();
  await main(['status', '--lake', lake, '--instance', 'acme-eu'], { ...io, clock: { now: () => nowMs } });
  return stdout().replace(/\n +/g, ' ');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-lock-two-instances-'));
  lake = join(dir, 'lake');
  expect((await todayLake(lake)).failures).toEqual([]);
  const store = new FsObjectStore(lake);
  const source = new MemoryAuditSource(
    Array.from({ length: 12 }, (_, i) => viewEntry(day0 + i * HOUR_MS + 90_000, 100 + i)),
  );
  const eu = await runIngest(quietIngestDeps(source, store, TODAY_INGESTED_AT), {
    ...defaultIngestConfig('acme-eu'),
    backfillDays: 1,
  });
  expect(eu.failures).toEqual([]);
  // acme-eu's run opened its digest at 14:20 and was killed: its lock names a process gone.
  await appendDigest(store, {
    instance: 'acme-eu',
    runId: deadRun,
    createdAt: new Date(openedAt).toISOString(),
    objects: [],
    sealed: false,
    fromMs: day0 + 8 * HOUR_MS,
    toMs: day0 + 14 * HOUR_MS,
  });
  const lock = {
    pid: await pidOfEndedProcess(),
    host: hostname(),
    acquired_at: new Date(openedAt).toISOString(),
    token: 'a'.repeat(24),
    label: 'acme-eu',
  };
  await writeFile(join(lake, `.ingest-run-${deadRun}.lock`), JSON.stringify(lock));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('a lake of two instances on disk', () => {
  it("an ingest of one leaves the other's killed run named as stopped", async () => {
    const stopped = `ingest run ${deadRun} stopped without ending`;
    expect(await statusOfEu(openedAt + 5 * 60_000)).toContain(stopped);

    const sim: Simulator = await startSimulator({
      events: generateInstance({ seed: 3, fromMs: day0, toMs: day0 + DAY_MS, users: 2, eventsPerUserDay: 4 })
        .events,
      clients: [{ clientId: 'acme-client', clientSecret: 'acme-secret', scopes: ['audit'] }],
      clock: clockFrom(day0 + DAY_MS).now,
    });
    try {
      const env = { DOMO_CLIENT_ID: 'acme-client', DOMO_CLIENT_SECRET: 'acme-secret' };
      const { io, stderr } = captureIoAt(clockFrom(day0 + DAY_MS), env);
      const range = ['--from', '2026-12-02T10:00:00Z', '--to', '2026-12-02T12:00:00Z'];
      const args = ['ingest', '--lake', lake, '--instance', 'acme', '--api-base', sim.url];
      expect(await main([...args, ...range], io), stderr()).toBe(0);
    } finally {
      await sim.close();
    }
    expect(await runLocks()).toEqual([`.ingest-run-${deadRun}.lock`]);
    const status = await statusOfEu(openedAt + 5 * 60_000);
    expect(status).toContain(stopped);
    expect(status).not.toContain('catching up');
  });

  it("enrich of one says nothing of the other's running ingest, and names its own", async () => {
    const enrich = async () => {
      const { io, stdout, stderr } = captureIoAt(clockFrom(day0 + DAY_MS));
      const range = ['--from', '2026-12-02T00:00:00Z', '--to', '2026-12-02T03:00:00Z'];
      const code = await main(['enrich', '--lake', lake, '--instance', 'acme', ...range], io);
      if (code !== 0) throw new Error(stderr());
      return stdout();
    };
    const besideEu = await holdingRunLock(lake, '20261202T150000Z-e1e1e1', { instance: 'acme-eu' }, enrich);
    expect(besideEu).not.toContain('ingest run');
    const besideAcme = await holdingRunLock(lake, '20261202T150000Z-a1a1a1', { instance: 'acme' }, enrich);
    expect(besideAcme).toContain('ingest run 20261202T150000Z-a1a1a1 (process');
  });
});
