/**
 * The `alerts` command's "evaluated … from X up to Y" line and the demo's alerts header give each
 * time its UTC offset outside UTC, as the alerts table does: in the hour the clocks go back one
 * local time names two instants an hour apart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { describeLocalAlerts, type LocalAlerts } from '../../functions/cli/commands/alerts.ts';
import { main } from '../../functions/cli/main.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { writeLockoutLake } from '../core/alerts/support/lockout-lake.ts';
import { captureIo } from '../support/capture-io.ts';

// 2026-11-01 05:00Z is 01:00 EDT; the clocks go back at 06:00Z (02:00 EDT becomes 01:00 EST).
const H0 = Date.parse('2026-11-01T05:00:00Z');
let dir: string;
let lake: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-alerts-offsets-'));
  lake = join(dir, 'lake');
  await writeLockoutLake(new FsObjectStore(lake), H0);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('alerts span lines outside UTC', () => {
  it("give each end of the evaluated span its offset across the clocks' change", async () => {
    const { io, stdout, stderr } = captureIo();
    const code = await main(
      [
        'alerts',
        '--lake',
        lake,
        '--time-zone',
        'America/New_York',
        '--until',
        '2026-11-01T07:00:00Z',
        '--out',
        join(dir, 'out'),
      ],
      { ...io, clock: { now: () => H0 + 6 * HOUR_MS } },
    );
    expect(code, stderr()).toBe(0);
    // 05:00Z is 01:00 -04:00, 07:00Z is 02:00 -05:00: without offsets 01:00 to 02:00 read as one hour.
    expect(stdout()).toContain(
      'evaluated 2 hours, from 2026-11-01 01:00 -04:00 up to 2026-11-01 02:00 -05:00 America/New_York (--until)',
    );
  });

  it("give the demo's header its offsets", () => {
    const result = {
      summary: { raised: [], endMs: Date.parse('2026-11-01T06:00:00Z') },
    } as unknown as LocalAlerts;
    expect(describeLocalAlerts(result, 'America/New_York', Date.parse('2026-11-01T05:00:00Z'))).toBe(
      'alerts from 2026-11-01 01:00 -04:00 to 2026-11-01 01:00 -05:00 America/New_York: none',
    );
    // UTC names its offset itself: none added.
    expect(describeLocalAlerts(result, 'UTC', Date.parse('2026-11-01T05:00:00Z'))).toBe(
      'alerts from 2026-11-01 05:00 to 2026-11-01 06:00 UTC: none',
    );
  });
});
