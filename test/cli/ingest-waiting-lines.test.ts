import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';
import { fakeSignals } from '../support/fake-signals.ts';

/**
 * What a default `ingest` says while Domo makes it wait (review F-ONCALL3 L1): a 503 asking for a
 * long wait is said at once, before the wait; the run is then stopped (Ctrl-C ends the wait), so
 * the test never waits it out.
 */
const fromMs = Date.parse('2026-10-01T00:00:00Z');
const credentials = { DOMO_CLIENT_ID: 'wait-client', DOMO_CLIENT_SECRET: 'wait-secret' };
const WAITING = 'Domo answers 503: waiting 40 s before retrying';
const RETRIED = 'warn: Domo request will be retried';

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-waiting-'));
  sim = await startSimulator({
    events: generateInstance({ seed: 3, fromMs, toMs: fromMs + 2 * 3_600_000, users: 2 }).events,
    clients: [{ clientId: 'wait-client', clientSecret: 'wait-secret', scopes: ['audit'] }],
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs `ingest` (with `extra` flags) until stderr shows `seen`, then stops it; returns its stderr. */
async function stderrUntil(name: string, seen: string, extra: string[] = []): Promise<string> {
  sim.setFaults({ failFirstRequests: 1, retryAfterOn503: true, retryAfterSeconds: 40 });
  const signals = fakeSignals();
  const { io, stderr } = captureIo(credentials);
  const lake = join(dir, name);
  const running = main(
    [
      'ingest',
      ...['--from', '2026-10-01T00:00:00Z', '--to', '2026-10-01T02:00:00Z'],
      ...['--lake', lake, '--api-base', sim.url, '--concurrency', '1'],
      ...extra,
    ],
    { ...io, interrupts: signals.source },
  );
  let over = false;
  void running.finally(() => {
    over = true;
  });
  // A run that never says it ends after its wait, and the test with it, saying what it printed.
  while (!stderr().includes(seen) && !over) await new Promise((resolve) => setTimeout(resolve, 5));
  signals.send('SIGINT');
  await running;
  return stderr();
}

describe('ingest while Domo makes it wait', () => {
  it('says what it waits on and for how long, without --verbose', async () => {
    const said = await stderrUntil('plain', WAITING);
    expect(said).toContain(`${WAITING}\n`);
    expect(said).not.toContain(RETRIED);
  });

  it('leaves it to the log with --verbose, which says each retry already', async () => {
    const said = await stderrUntil('verbose', RETRIED, ['--verbose']);
    expect(said).not.toContain(WAITING);
  });
});
