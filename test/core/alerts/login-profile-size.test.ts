import { describe, expect, it } from 'vitest';
import { newAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { evaluateHours } from '../../../functions/core/alerts/evaluate-hours.ts';
import { PEAK_BYTES_PER_FACT } from '../../../functions/core/alerts/login-profile-size.ts';
import { activityKey, alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import type { Log, LogFields } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { evaluationContext, record } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-01T10:00:00Z');

/** A log keeping what was logged at info and warn. */
function capturingLog(): Log & { lines: [string, string, LogFields | undefined][] } {
  const lines: [string, string, LogFields | undefined][] = [];
  return {
    lines,
    debug() {},
    info: (message, fields) => lines.push(['info', message, fields]),
    warn: (message, fields) => lines.push(['warn', message, fields]),
    error: (message, fields) => lines.push(['error', message, fields]),
  };
}

/** One hour of sign-ins of three users, two of them placed: 3 facts, 2 last places, 2 addresses. */
async function runOneHour(memoryBytes: number | undefined, peakBytes = 0) {
  const store = new MemoryObjectStore();
  const signIns = ['a', 'b', 'c'].map((user, i) =>
    record({
      category: 'login',
      user_id: user,
      event_time_ms: H + i,
      ip_address: `81.0.0.${i}`,
      ip_country: i === 2 ? null : 'US',
      ip_asn: 1,
    }),
  );
  await store.put(activityKey('acme', H), encodeNdjsonGzip(signIns));
  const log = capturingLog();
  const context = {
    ...evaluationContext(store),
    log,
    peakMemoryBytes: () => peakBytes,
    ...(memoryBytes === undefined ? {} : { memoryBytes }),
  };
  await evaluateHours(context, newAlertCheckpoint('acme', H), H + HOUR_MS);
  const stored = await store.get(alertsStateKey('acme', 'login-profile.json.gz'));
  return { log, storedBytes: stored?.body.byteLength };
}

describe('the login profile size each run', () => {
  it('is logged with the users, facts and stored bytes', async () => {
    const { log, storedBytes } = await runOneHour(undefined);
    expect(log.lines).toContainEqual([
      'info',
      'login profile',
      { instance: 'acme', users: 3, facts: 7, storedBytes, estimatedPeakMb: 1, peakMb: 0 },
    ]);
    expect(log.lines.filter(([level]) => level === 'warn')).toEqual([]);
  });

  it('is warned of once its estimated peak passes half the memory', async () => {
    const half = 7 * PEAK_BYTES_PER_FACT * 2;
    expect((await runOneHour(half)).log.lines.filter(([level]) => level === 'warn')).toEqual([]);
    const { log } = await runOneHour(half - 1);
    expect(log.lines.filter(([level]) => level === 'warn')).toEqual([
      [
        'warn',
        'login profile: nearing what the function memory holds; raise alerts.memoryMb (docs/alerts.md, "Cost")',
        { instance: 'acme', facts: 7, estimatedPeakMb: 1, peakMb: 0, memoryMb: 0 },
      ],
    ]);
  });

  it("is warned of once the process's own peak passes 80 % of the memory, whatever the estimate", async () => {
    // Facts that each carry an address of their own cost more than the estimate says.
    const memory = 512 * 2 ** 20;
    const warnings = async (peakMb: number) =>
      (await runOneHour(memory, peakMb * 2 ** 20)).log.lines.filter(([level]) => level === 'warn');
    expect(await warnings(409)).toEqual([]);
    expect(await warnings(410)).toEqual([
      [
        'warn',
        'login profile: nearing what the function memory holds; raise alerts.memoryMb (docs/alerts.md, "Cost")',
        { instance: 'acme', facts: 7, estimatedPeakMb: 1, peakMb: 410, memoryMb: 512 },
      ],
    ]);
  });
});
