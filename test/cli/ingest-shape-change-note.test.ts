import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCommand } from '../../functions/cli/commands/ingest.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';

const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = Date.parse('2026-10-01T03:00:00Z');

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-ingest-shape-'));
  // Domo renamed actionType to action: every entry still says who, so it is stored.
  const events = generateInstance({ seed: 3, fromMs, toMs, users: 5, eventsPerUserDay: 240 }).events.map(
    ({ entry: { actionType, ...rest }, ...event }) => ({ ...event, entry: { ...rest, action: actionType } }),
  );
  sim = await startSimulator({
    events,
    clients: [{ clientId: 'id', clientSecret: 'secret', scopes: ['audit'] }],
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('an ingest of entries whose shape changed (review R-DRIFT M1)', () => {
  it('says so once, after its summary, naming the field missing and the one no column reads', async () => {
    const { io, stdout } = captureIo({ DOMO_CLIENT_ID: 'id', DOMO_CLIENT_SECRET: 'secret' });
    const argv = ['--from', '2026-10-01', '--to', '2026-10-01T03:00:00Z', '--lake', join(dir, 'lake')];
    const { summary } = await ingestCommand([...argv, '--api-base', sim.url], { ...io, log: silentLog });
    expect(summary.failures).toEqual([]);
    const notes = stdout()
      .split('\n')
      .filter((line) => line.includes("Domo's entries of"));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/lack actionType \((\d+) of \1\) and carry fields no column reads: action:/);
  });
});
