import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdingRunLock } from '../../functions/adapters/run-lock.ts';
import { main } from '../../functions/cli/main.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';

// Review op2 L4: an enrich run while an ingest wrote the same lake counted the hours that ingest
// had not reached yet as "outside the lake" and said nothing of it, exit 0: with --category-rules,
// the hours the ingest saved afterwards kept its categories while the user believed the range
// recategorised. The running ingest is now named, with what it means and the fix.

const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = Date.parse('2026-10-01T03:00:00Z');
const credentials = { DOMO_CLIENT_ID: 'beside-client', DOMO_CLIENT_SECRET: 'beside-secret' };
const clock = clockFrom(toMs + 24 * HOUR_MS);
const runId = '20261205T151000Z-c0ffee';

let sim: Simulator;
let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-enrich-beside-'));
  lake = join(dir, 'lake');
  sim = await startSimulator({
    events: generateInstance({ seed: 3, fromMs, toMs, users: 3, eventsPerUserDay: 30 }).events,
    clients: [{ clientId: 'beside-client', clientSecret: 'beside-secret', scopes: ['audit'] }],
    clock: clock.now,
  });
  const pulled = captureIoAt(clock, credentials);
  const ingest = ['ingest', '--from', '2026-10-01T00:00:00Z', '--to', '2026-10-01T02:00:00Z'];
  expect(await main([...ingest, '--lake', lake, '--api-base', sim.url], pulled.io), pulled.stderr()).toBe(0);
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** `enrich` over 00:00-03:00, the last hour not in the lake. */
async function enrich(): Promise<{ code: number; stdout: string }> {
  const { io, stdout, stderr } = captureIo();
  const code = await main(
    ['enrich', '--lake', lake, '--from', '2026-10-01T00:00:00Z', '--to', '2026-10-01T03:00:00Z'],
    io,
  );
  if (code !== 0) throw new Error(stderr());
  // Its sentences joined again where a narrow terminal would wrap them.
  return { code, stdout: stdout().replace(/\n(?!enrich |ingest run )/g, ' ') };
}

describe('enrich beside an ingest of the same lake', () => {
  it('names the running ingest and its process, what it means for the hours outside the lake, and the fix', async () => {
    // The lock as an ingest run holds it: this process's, while enrich runs.
    const { stdout } = await holdingRunLock(lake, runId, { instance: 'main' }, enrich);
    expect(stdout).toContain('1 outside the lake');
    expect(stdout).toContain(
      `ingest run ${runId} (process ${process.pid} on this machine) was writing this lake meanwhile: the hours it had not saved yet when enrich came to them were counted as outside the lake or left as they were, and keep the categories and places that ingest gave them; run the same enrich again once that ingest has ended`,
    );
  });

  it('says nothing of a run whose lock is gone or whose process has ended', async () => {
    const { stdout } = await enrich();
    expect(stdout).toContain('1 outside the lake');
    expect(stdout).not.toContain('ingest run');
  });
});
