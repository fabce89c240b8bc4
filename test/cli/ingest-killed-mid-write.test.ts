/**
 * A real `kill -9` of `ingest` mid-way through a re-pull (review R-UPGRADE M3). Its last digest
 * stays unsealed, listing the writes it was about to make; `verify --integrity` advises an ingest
 * to record what it left. The scheduled ingest that comes next, with no hour closed since, has
 * nothing to pull: it must seal the chain all the same, after which the check passes, whatever
 * the moment of the kill (every write the killed run made was listed before it landed).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { verifyIntegrity } from '../../functions/core/lake/verify-integrity.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';

const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = Date.parse('2026-10-02T00:00:00Z');
const credentials = { DOMO_CLIENT_ID: 'kill-client', DOMO_CLIENT_SECRET: 'kill-secret' };
const clients = [{ clientId: 'kill-client', clientSecret: 'kill-secret', scopes: ['audit'] }];
const BIN = resolve('bin/domo-activity-lake.js');

let dir: string;
let before: Simulator;
let after: Simulator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-killed-'));
  before = await startSimulator({
    events: generateInstance({ seed: 7, fromMs, toMs, users: 4, eventsPerUserDay: 20 }).events,
    clients,
  });
  // Other users: the re-pull writes every hour anew. Slowed, so it is still going when killed.
  after = await startSimulator({
    events: generateInstance({ seed: 7, fromMs, toMs, users: 6, eventsPerUserDay: 20 }).events,
    clients,
    faults: { rateSlow: 1, slowMs: 25 },
  });
});
afterAll(async () => {
  await Promise.all([before.close(), after.close()]);
  await rm(dir, { recursive: true, force: true });
});

/** `main` at the instant `nowMs`, its exit code and what it printed. */
async function runAt(nowMs: number, argv: string[]) {
  const { io, stdout, stderr } = captureIo(credentials);
  const code = await main(argv, { ...io, clock: { now: () => nowMs } });
  return { code, stdout: stdout(), stderr: stderr() };
}

/** Resolves once the lake's digest chain holds `count` digests. */
async function digestsAtLeast(lake: string, count: number): Promise<void> {
  const digests = async () =>
    (await readdir(join(lake, 'digest', 'instance=main')).catch(() => [])).filter((f) => f.endsWith('.json'))
      .length;
  while ((await digests()) < count) await new Promise((done) => setTimeout(done, 5));
}

const ended = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((done) => child.once('exit', (_, signal) => done(signal)));

it('an ingest with nothing to pull seals the chain a kill -9 left open, and the check passes', async () => {
  const lake = join(dir, 'lake');
  const scheduledAt = toMs + 30 * 60_000;
  const first = await runAt(scheduledAt, [
    'ingest',
    '--lake',
    lake,
    '--api-base',
    before.url,
    '--backfill-days',
    '1',
  ]);
  expect(first.code, first.stderr).toBe(0);
  const chain = (await readdir(join(lake, 'digest', 'instance=main'))).length;

  const repull = spawn(
    process.execPath,
    [
      BIN,
      'ingest',
      '--lake',
      lake,
      '--api-base',
      after.url,
      '--from',
      '2026-10-01T00:00:00Z',
      '--to',
      '2026-10-02T00:00:00Z',
      '--concurrency',
      '1',
    ],
    { env: { ...process.env, ...credentials }, stdio: 'ignore' },
  );
  const killed = ended(repull);
  // A re-pull appends a digest per hour it stores: a few hours in, it is mid-way.
  await digestsAtLeast(lake, chain + 4);
  repull.kill('SIGKILL');
  expect(await killed).toBe('SIGKILL');
  const left = await verifyIntegrity(new FsObjectStore(lake), 'main');
  expect(left.unsealedHead).not.toBeNull();

  // The next scheduled run, within the same hour: nothing has closed since the watermark.
  const next = await runAt(scheduledAt + 10 * 60_000, ['ingest', '--lake', lake, '--api-base', after.url]);
  expect(next.code, next.stderr).toBe(0);
  expect(next.stdout).toContain('nothing to pull');
  // It says which run it closed, and what of it (the killed re-pull's hours).
  expect(next.stdout.replace(/\s+/g, ' ')).toMatch(
    /digest chain: sealed, closing run \S+ \(\d+ digests?, 24 hours, 2026-10-01 00:00 \.\. 2026-10-02 00:00 UTC\)/,
  );

  const report = await verifyIntegrity(new FsObjectStore(lake), 'main');
  expect(report).toMatchObject({ ok: true, problems: [], unsealedHead: null });
});
