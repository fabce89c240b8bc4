import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Review R-DRIFT M2: Domo renamed `time`; the run quarantined every entry and said only how many.
const hour = Date.parse('2026-10-01T10:00:00Z');
const signIn = (i: number) => ({ actionType: 'LOGIN', userId: String(i), timeMs: hour + i * 60_000 });
const ingestHour = async (entries: { timeMs: number; entry: object }[]) => {
  const notes: string[] = [];
  const summary = await runIngest(
    {
      ...quietIngestDeps(new MemoryAuditSource(entries), new MemoryObjectStore(), hour + 30 * HOUR_MS),
      onShapeChange: (note) => notes.push(note),
    },
    { ...defaultIngestConfig('acme'), concurrency: 1 },
    { range: { fromMs: hour, toMs: hour + HOUR_MS } },
  );
  return { summary, notes };
};

describe('the reasons of a run that quarantined much of what it read', () => {
  it('names the commonest kinds of reason with their counts', async () => {
    const renamed = Array.from({ length: 12 }, (_, i) => signIn(i)).map(({ timeMs, ...rest }) => ({
      timeMs,
      entry: { ...rest, timestamp: timeMs },
    }));
    const secondsToo = [{ timeMs: hour + 1000, entry: { actionType: 'LOGIN', time: (hour + 1000) / 1000 } }];
    const { summary, notes } = await ingestHour([...renamed, ...secondsToo]);
    expect(summary).toMatchObject({ eventsWritten: 0, quarantined: 13 });
    const renamedTime =
      'entry has no time field but has timestamp: Domo may have renamed it; a release that reads the new name stores these entries when their hours are re-pulled';
    expect(summary.quarantineReasons?.[0]).toEqual({ kind: renamedTime, count: 12 });
    expect(summary.quarantineReasons).toHaveLength(2);
    expect(notes.at(-1)).toContain(
      `13 of the 13 entries this run newly read were quarantined, most for: ${renamedTime} (12); `,
    );
  });

  it('names none when quarantined entries are under a tenth of what the run read', async () => {
    const fine = Array.from({ length: 20 }, (_, i) => signIn(i)).map(({ timeMs, ...rest }) => ({
      timeMs,
      entry: { ...rest, time: timeMs },
    }));
    const { summary } = await ingestHour([
      ...fine,
      { timeMs: hour + 5, entry: { actionType: 'LOGIN', timestamp: 1 } },
    ]);
    expect(summary).toMatchObject({ eventsWritten: 20, quarantined: 1 });
    expect(summary.quarantineReasons).toBeUndefined();
  });
});
