import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';

/**
 * A lock the ingest waits for or breaks is told on stderr, without --verbose: a lock whose holder
 * cannot be checked held the run silent for 30 s (the wait's line is the store's, tested there).
 */
const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = Date.parse('2026-10-02T00:00:00Z');
const NOW = toMs + 2 * 3_600_000;
const credentials = { DOMO_CLIENT_ID: 'rec-client', DOMO_CLIENT_SECRET: 'rec-secret' };

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-lock-notice-'));
  sim = await startSimulator({
    events: generateInstance({ seed: 11, fromMs, toMs, users: 2, eventsPerUserDay: 5 }).events,
    clients: [{ clientId: 'rec-client', clientSecret: 'rec-secret', scopes: ['audit'] }],
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const checkpointRun = async (lake: string) => {
  const { io, stderr } = captureIo(credentials);
  const status = await main(['ingest', '--lake', lake, '--api-base', sim.url, '--backfill-days', '1'], {
    ...io,
    clock: { now: () => NOW },
  });
  return { status, stderr: stderr() };
};

describe('ingest and a lock left by a crashed writer', () => {
  it('says on stderr that it broke it, and whose it was', async () => {
    const lake = join(dir, 'lake');
    expect((await checkpointRun(lake)).status).toBe(0);
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid as number;
    await new Promise((resolve) => child.once('exit', resolve));
    const lockPath = join(lake, 'state', 'instance=main', '.last-run.json.lock');
    const acquiredAt = new Date().toISOString();
    await writeFile(
      lockPath,
      JSON.stringify({ pid, host: hostname(), acquired_at: acquiredAt, token: 'a'.repeat(24) }),
    );

    const { status, stderr } = await checkpointRun(lake);

    expect(status, stderr).toBe(0);
    expect(stderr).toBe(
      `warning: broke the write lock ${lockPath} of process ${pid} on ${hostname()} since ${acquiredAt}: that process is no longer running\n`,
    );
  });
});
