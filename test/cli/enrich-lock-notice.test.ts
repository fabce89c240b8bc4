import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { coverageKey } from '../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { writeBlindCategoryRules } from '../support/blind-category-rules.ts';
import { captureIo } from '../support/capture-io.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';

/**
 * `enrich` rewrites stored hours as `ingest` writes them, through each key's write lock: a lock
 * left by a crashed writer is broken and said on stderr there too, not waited for in silence.
 */
const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = Date.parse('2026-10-01T06:00:00Z');
const RANGE = ['--from', '2026-10-01T00:00:00Z', '--to', '2026-10-01T06:00:00Z'];
const credentials = { DOMO_CLIENT_ID: 'lock-client', DOMO_CLIENT_SECRET: 'lock-secret' };
/** "Now" for the simulator and the ingest: a day after the range, whatever the date (see clockFrom). */
const clock = clockFrom(toMs + 24 * HOUR_MS);

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-enrich-lock-'));
  sim = await startSimulator({
    events: generateInstance({ seed: 7, fromMs, toMs, users: 4, eventsPerUserDay: 40 }).events,
    clients: [{ clientId: 'lock-client', clientSecret: 'lock-secret', scopes: ['audit'] }],
    clock: clock.now,
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

it('says on stderr that it broke the lock a crashed writer left on an hour it rewrites', async () => {
  const lake = join(dir, 'lake');
  // Every event stored as `other`: enrich with the built-in rules rewrites each hour holding a login.
  const blind = await writeBlindCategoryRules(dir);
  const pulled = captureIoAt(clock, credentials);
  const ingest = ['ingest', ...RANGE, '--lake', lake, '--api-base', sim.url, '--category-rules', blind];
  expect(await main(ingest, pulled.io), pulled.stderr()).toBe(0);

  const child = spawn(process.execPath, ['-e', '0']);
  const pid = child.pid as number;
  await new Promise((resolve) => child.once('exit', resolve));
  const acquiredAt = new Date().toISOString();
  const locks: string[] = [];
  for (let hour = fromMs; hour < toMs; hour += HOUR_MS) {
    const manifest = join(lake, coverageKey('main', hour));
    const lock = join(dirname(manifest), `.${basename(manifest)}.lock`);
    locks.push(lock);
    await writeFile(
      lock,
      JSON.stringify({ pid, host: hostname(), acquired_at: acquiredAt, token: 'b'.repeat(24) }),
    );
  }

  const builtIn = join(dir, 'built-in.json');
  await writeFile(builtIn, '[]');
  const run = captureIo();
  expect(
    await main(['enrich', '--lake', lake, ...RANGE, '--category-rules', builtIn], run.io),
    run.stderr(),
  ).toBe(0);
  const broken = run
    .stderr()
    .split('\n')
    .filter((line) => line.startsWith('warning: broke the write lock '));
  expect(broken.length).toBeGreaterThan(0);
  for (const line of broken) {
    expect(
      locks.some((lock) => line.startsWith(`warning: broke the write lock ${lock} of process ${pid}`)),
    ).toBe(true);
    expect(line).toMatch(/that process is no longer running$/);
  }
});
