import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import {
  assertSimulationFits,
  estimatedEntries,
  generationNotice,
} from '../../functions/cli/simulation-size.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import { captureIo } from '../support/capture-io.ts';
import { runNodeChild } from '../support/node-child.ts';

// W-FIRST M3: simulate --days 365 --users 200, within the options' limits, was silent for two
// minutes and then died of a V8 heap out-of-memory error.

const GB = 1_000_000_000;

describe('the size of a simulation', () => {
  it('refuses one whose entries would not fit in the heap, naming the largest that fit', () => {
    expect(() => assertSimulationFits(365, 200, 4 * GB)).toThrow(UsageError);
    expect(() => assertSimulationFits(365, 200, 4 * GB)).toThrow(
      /^--days 365 with --users 200 would generate about 3,285,000 entries, more than node's 4,000 MB heap holds \(about 1,583,333\): the largest that fit are --days 365 --users 96, or --days 175 --users 200 \(days times users at most 35,185\); or give node more heap, e\.g\. NODE_OPTIONS=--max-old-space-size=8084$/,
    );
    // The sizes it names fit, and so does the demo's default, even in a small heap.
    expect(() => assertSimulationFits(365, 96, 4 * GB)).not.toThrow();
    expect(() => assertSimulationFits(175, 200, 4 * GB)).not.toThrow();
    expect(() => assertSimulationFits(28, 40, GB / 2)).not.toThrow();
  });

  it('says what it generates before a generation long enough to look stuck', () => {
    expect(estimatedEntries(90, 100)).toBe(405_000);
    expect(generationNotice(90, 100)).toBe(
      'generating about 405,000 entries (90 days of 100 people): this takes a while, a minute or more for a million',
    );
    expect(generationNotice(21, 40)).toBeUndefined();
  });

  it('is a usage error of simulate and demo, before anything is generated', async () => {
    for (const [command, days] of [
      ['simulate', '365'],
      ['demo', '90'],
    ] as const) {
      const { io, stdout, stderr } = captureIo();
      expect(await main([command, '--days', days, '--users', '1000'], io)).toBe(2);
      expect(stdout()).toBe('');
      expect(stderr()).toMatch(
        new RegExp(
          `^error: --days ${days} with --users 1000 would generate about [\\d,]+ entries, more than node's`,
        ),
      );
    }
  });

  it("counts node's old space, not its heap limit, the same on Node 20 and Node 24", async () => {
    // 300 MiB of old space is 315 MB. The heap limit adds the young reserve: 365 MB on Node 20,
    // 516 MB on Node 24 (sized from the machine), read as room for 68,710 and 131,624 entries.
    const { exit, err } = await runNodeChild([
      '--max-old-space-size=300',
      resolve('bin/domo-activity-lake.js'),
      'simulate',
      '--days',
      '365',
      '--users',
      '200',
    ]);
    expect(exit, err).toEqual({ code: 2, signal: null });
    expect(err).toContain("more than node's 315 MB heap holds (about 47,738)");
  }, 60_000);
});
