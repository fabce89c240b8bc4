import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { writeCoverage } from '../../functions/core/lake/coverage.ts';
import { decodeDigest, listDigestKeys } from '../../functions/core/lake/digest.ts';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { event, manifest, storeHour, withoutGeoColumns } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';

/**
 * Runs from the command line record who ran them, as the machine says (self-reported), and the API
 * they read; `verify --integrity` shows each runner, and `--json` gives them (review R-AUDIT H2,
 * R-EVIDENCE2 M1: which runs are claims to check).
 */
const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = Date.parse('2026-10-01T04:00:00Z');
const clock = clockFrom(toMs + 2 * DAY_MS);
const credentials = { DOMO_CLIENT_ID: 'runner-client', DOMO_CLIENT_SECRET: 'runner-secret-XYZZY' };
/** The OS user as the runner records it: a process given no user name (a container's bare uid) says its uid. */
const osUser = (): string => {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.()}`;
  }
};
const machine = { kind: 'command-line', self_reported: true, host: hostname(), user: osUser() };

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-digest-runner-'));
  sim = await startSimulator({
    events: generateInstance({ seed: 5, fromMs, toMs, users: 4, eventsPerUserDay: 40 }).events,
    clients: [
      {
        clientId: credentials.DOMO_CLIENT_ID,
        clientSecret: credentials.DOMO_CLIENT_SECRET,
        scopes: ['audit'],
      },
    ],
    clock: clock.now,
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

async function runnersOf(lake: string, instance: string) {
  const store = new FsObjectStore(lake);
  const runners = [];
  for (const key of await listDigestKeys(store, instance)) {
    runners.push(decodeDigest(key, (await store.get(key))?.body ?? new Uint8Array()).runner);
  }
  return runners;
}

describe('the runner of a command-line run', () => {
  it('is in every digest of an ingest, and verify --integrity names it, in text and JSON', async () => {
    const lake = join(dir, 'ingested');
    const range = ['--from', '2026-10-01T00:00:00Z', '--to', '2026-10-01T04:00:00Z'];
    const ingest = captureIoAt(clock, credentials);
    const args = ['ingest', ...range, '--lake', lake, '--api-base', `${sim.url}/`];
    expect(await main([...args, '--requests-per-second', '1000'], ingest.io), ingest.stderr()).toBe(0);
    const apiBase = new URL(sim.url).origin;
    const runners = await runnersOf(lake, 'main');
    expect(runners.length).toBeGreaterThan(0);
    for (const runner of runners)
      expect(runner).toEqual({ trigger: 'ingest-range', api_base: apiBase, caller: machine });

    const text = captureIoAt(clock);
    expect(await main(['verify', '--lake', lake, '--integrity'], text.io), text.stdout()).toBe(0);
    const flat = text.stdout().replace(/\s+/g, ' ');
    expect(flat).toContain('runs, by what their digests say ran them (written by whoever signed');
    expect(flat).toContain(
      `${runners.length} digest(s) of 1 run(s), digest/instance=main/0000000000.json .. `,
    );
    expect(flat).toContain(
      `command line on host "${machine.host}" as user "${machine.user}" (self-reported), ingest --from/--to, read ${apiBase}`,
    );

    const json = captureIoAt(clock);
    expect(await main(['verify', '--lake', lake, '--integrity', '--json'], json.io)).toBe(0);
    expect(JSON.parse(json.stdout()).integrity.runners).toEqual([
      {
        runner: { trigger: 'ingest-range', api_base: apiBase, caller: machine },
        digests: runners.length,
        runs: 1,
        firstDigest: 'digest/instance=main/0000000000.json',
        lastDigest: `digest/instance=main/${String(runners.length - 1).padStart(10, '0')}.json`,
      },
    ]);
  });

  it('of enrich says it read no API', async () => {
    const lake = join(dir, 'enriched');
    const store = new FsObjectStore(lake);
    await storeHour(store, '2026-10-01 10:00', [
      withoutGeoColumns(event('2026-10-01 10:01:00', { ip_address: '8.8.8.8' })),
    ]);
    await writeCoverage(store, 'default', manifest('2026-10-01 09:00'));
    const enrich = captureIo();
    const range = ['--from', '2026-10-01T09:00:00Z', '--to', '2026-10-01T12:00:00Z'];
    expect(await main(['enrich', '--lake', lake, ...range], enrich.io), enrich.stderr()).toBe(0);
    const runners = await runnersOf(lake, 'default');
    expect(runners.length).toBeGreaterThan(0);
    for (const runner of runners) expect(runner).toEqual({ trigger: 'enrich', caller: machine });
  });
});
