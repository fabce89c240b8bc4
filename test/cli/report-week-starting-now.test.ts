import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportCommand } from '../../functions/cli/commands/report.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

describe('report --week for the week that starts right now', () => {
  it('is not refused as a week that has not started', async () => {
    // Monday 2026-11-23 00:00 UTC: 2026-W48 has just started, so it can be reported as a preview.
    const io = {
      ...captureIo().io,
      log: silentLog,
      clock: { now: () => Date.parse('2026-11-23T00:00:00Z') },
    };
    const missing = join('/nonexistent', 'lake');
    const outcome = await reportCommand(['--week', '2026-W48', '--lake', missing], io).then(
      () => 'written',
      (e: Error) => `${e.name}: ${e.message}`,
    );
    // It goes on to open the lake (missing here) instead of refusing the week.
    expect(outcome).not.toMatch(/has not started/);
    expect(outcome).toMatch(/nonexistent/);
  });
});
