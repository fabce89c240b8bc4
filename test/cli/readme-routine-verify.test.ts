import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';

// Review op2 L8: README's day-to-day `verify --integrity` line had no --instance, so on a stack with
// several instances it stopped at "holds instances main, second: pass --instance <name>". The line
// as the README gives it, run for each instance of a two-instance lake, must pass.

const ROOT = resolve(import.meta.dirname, '../..');
const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = Date.parse('2026-10-01T02:00:00Z');
const credentials = { DOMO_CLIENT_ID: 'readme-client', DOMO_CLIENT_SECRET: 'readme-secret' };
const clock = clockFrom(toMs + 24 * HOUR_MS);
const INSTANCES = ['main', 'second'];

/** One Domo per instance: a lake refuses a second instance of the Domo customer another holds. */
const sims: Simulator[] = [];
let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'readme-verify-'));
  lake = join(dir, 'lake');
  for (const instance of INSTANCES) {
    const sim = await startSimulator({
      events: generateInstance({ seed: 5, fromMs, toMs, users: 3, eventsPerUserDay: 30 }).events,
      clients: [{ clientId: 'readme-client', clientSecret: 'readme-secret', scopes: ['audit'] }],
      clock: clock.now,
      customer: `readme-${instance}`,
    });
    sims.push(sim);
    const pulled = captureIoAt(clock, credentials);
    const range = ['--from', '2026-10-01T00:00:00Z', '--to', '2026-10-01T02:00:00Z'];
    const ingest = ['ingest', ...range, '--instance', instance, '--lake', lake, '--api-base', sim.url];
    expect(await main(ingest, pulled.io), pulled.stderr()).toBe(0);
  }
});
afterAll(async () => {
  for (const sim of sims) await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** The `verify …` command of the README's "Check the lake" bullet, as words. */
function routineVerify(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const bullet = readme.slice(readme.indexOf('- **Check the lake**'));
  const command = /`(verify [^`]+)`/.exec(bullet)?.[1];
  if (command === undefined) throw new Error('README: the "Check the lake" bullet has no verify command');
  return command.split(/\s+/);
}

describe("README's routine verify line", () => {
  it('passes on a lake of two instances, run for each', async () => {
    for (const instance of INSTANCES) {
      const argv = routineVerify().map((word) =>
        word === 's3://<LakeBucketName>' ? lake : word === '<instance>' ? instance : word,
      );
      const { io, stdout, stderr } = captureIo();
      expect(await main(argv, { ...io, clock }), `${argv.join(' ')}: ${stderr()}`).toBe(0);
      expect(stdout()).toContain(instance);
    }
  });
});
