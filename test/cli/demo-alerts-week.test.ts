/**
 * The demo's alerts are those of its report week: a demo run mid-week evaluated the alerts up to
 * the lake's end, the days after the week included, while it said they were the week's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCommand } from '../../functions/cli/commands/demo.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-demo-alerts-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the demo's alerts", () => {
  it('stop at the end of the report week, not at the end of the lake', async () => {
    // A Wednesday noon: the lake runs two and a half days past the report week (2026-W40).
    const { io, stdout } = captureIoAt(clockFrom(Date.parse('2026-10-07T12:00:00Z')));
    const args = ['--lake', join(dir, 'lake'), '--out', join(dir, 'out'), '--days', '4', '--users', '6'];
    const run = await demoCommand(args, { ...io, log: silentLog });
    const weekEnd = Date.parse(run.report.model.week.endUtc);
    expect(weekEnd).toBe(Date.parse('2026-10-05T00:00:00Z'));
    const { summary } = run.alerts;
    expect(summary.watermarkMs).toBeGreaterThan(weekEnd);
    expect(summary.endMs).toBe(weekEnd);
    expect(summary.nextHourMs).toBe(weekEnd);
    for (const alert of summary.raised) expect(alert.event_time_ms).toBeLessThan(weekEnd);
    expect(stdout()).toContain('alerts from 2026-09-28 00:00 to 2026-10-05 00:00 UTC: ');
  }, 60_000);
});
