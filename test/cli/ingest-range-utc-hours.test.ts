import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';

// Review op2 L10: `ingest --from 2026-10-01T01:00+01:00 --to …` printed `ingest main (range)` and
// the hours done, with no span: that it pulled from 2026-10-01 00:00Z only `verify` showed.

const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = Date.parse('2026-10-01T03:00:00Z');
const credentials = { DOMO_CLIENT_ID: 'utc-client', DOMO_CLIENT_SECRET: 'utc-secret' };
const clock = clockFrom(toMs + 24 * HOUR_MS);

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ingest-range-utc-'));
  sim = await startSimulator({
    events: generateInstance({ seed: 9, fromMs, toMs, users: 3, eventsPerUserDay: 30 }).events,
    clients: [{ clientId: 'utc-client', clientSecret: 'utc-secret', scopes: ['audit'] }],
    clock: clock.now,
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ingest --from/--to', () => {
  it('names the UTC hours it pulled on its first line, whatever offset the times were given in', async () => {
    const lake = join(dir, 'lake');
    const run = captureIoAt(clock, credentials);
    const argv = ['ingest', '--from', '2026-10-01T01:00+01:00', '--to', '2026-10-01T05:00+02:00'];
    expect(await main([...argv, '--lake', lake, '--api-base', sim.url], run.io), run.stderr()).toBe(0);
    expect(run.stdout().split('\n').slice(0, 3)).toEqual([
      `ingest main (range 2026-10-01 00:00Z .. 2026-10-01 03:00Z) into ${lake}`,
      // The customer the simulator's token answers name (its seed's).
      '  Domo customer: simulated-0',
      '  hours: 3 done of 3 planned',
    ]);
  });
});
