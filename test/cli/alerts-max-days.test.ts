/**
 * `alerts --max-days` (2026-12-07): the stack's alerts forget a deactivation `retention.maxDays`
 * days after it (at most 90, user-states.ts), but a local run had no such bound to give, so over a
 * long span it raised `activity_after_deactivation` where the stack would not. Now it judges as a
 * deployment with that `retention.maxDays` does.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { cliCommandAnywhere, shellWord } from '../../functions/cli/command-line.ts';
import { alertsHelp } from '../../functions/cli/commands/alerts.ts';
import { main } from '../../functions/cli/main.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { record } from '../core/alerts/support/alert-fixtures.ts';
import { alertKindsListed, oneHourAlertsLake } from '../support/alerts-cli-lake.ts';
import { captureIo } from '../support/capture-io.ts';

const HOUR = Date.parse('2026-11-10T10:00:00Z');
const DEACTIVATED = HOUR - 40 * DAY_MS;
let dir: string;
let lake: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-alerts-max-days-'));
  lake = join(dir, 'lake');
  // Ann deactivates Yara; 40 days later Yara's token makes another.
  const off = record({
    event_time_ms: DEACTIVATED + 5 * 60_000,
    category: 'other',
    user_id: '5',
    user_name: 'Ann Admin',
    action_type: 'DEACTIVATED',
    event_text: 'Deactivated user',
    object_type: 'USER',
    object_id: '77',
    object_name: 'Yara Varga',
  });
  const token = record({
    event_time_ms: HOUR + 10 * 60_000,
    category: 'other',
    user_id: '77',
    user_name: 'Yara Varga',
    action_type: 'CREATED',
    event_text: 'Access token created',
    object_type: 'ACCESS_TOKEN',
    object_id: '9001',
  });
  await oneHourAlertsLake(lake, HOUR, [token]);
  await new FsObjectStore(lake).put(activityKey('acme', DEACTIVATED), encodeNdjsonGzip([off]));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const clock = { now: () => HOUR + 3 * HOUR_MS };
const kinds = (args: string[], out: string) => alertKindsListed(lake, clock.now(), args, out);

describe('alerts --max-days', () => {
  it('forgets a deactivation older than the bound, as the stack does', async () => {
    expect(await kinds([], join(dir, 'out-default'))).toContain('activity_after_deactivation');
    expect(await kinds(['--max-days', '30'], join(dir, 'out-30'))).not.toContain(
      'activity_after_deactivation',
    );
  });

  it('is given again in the command the message offers to list the alerts it only counts', async () => {
    const out = join(dir, 'out-relist');
    expect(await kinds(['--max-days', '41', '--mail-older-than', '1'], out)).toContain(
      'activity_after_deactivation',
    );
    const txt = await readFile(join(out, 'alerts.txt'), 'utf8');
    expect(txt).toContain(
      `${cliCommandAnywhere()} alerts --lake ${shellWord(lake)} --instance acme --max-days 41\n`,
    );
  });

  it('refuses a value that is no whole number of days with a usage error (exit 2)', async () => {
    const { io, stderr } = captureIo();
    expect(await main(['alerts', '--lake', lake, '--max-days', '0'], { ...io, clock })).toBe(2);
    expect(stderr()).toMatch(/--max-days "0" must be a whole number from 1/);
  });

  it('is in the help, within 80 columns', () => {
    expect(alertsHelp).toMatch(/^ {2}--max-days <n> +the deployment's retention\.maxDays/m);
    expect(alertsHelp.split('\n').filter((line) => line.length > 80)).toEqual([]);
  });
});
