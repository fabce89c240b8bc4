import { beforeAll, describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestSummary } from '../../../functions/core/ingest/ingest-types.ts';
import {
  type EndedRun,
  leavesStatusNote,
  noteRunForStatus,
} from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { lastRunKey } from '../../../functions/core/lake/last-run.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const NOW = Date.UTC(2026, 10, 30, 10, 20);

let summary: IngestSummary;
beforeAll(async () => {
  const source = new MemoryAuditSource();
  for (let t = NOW - 6 * HOUR_MS; t < NOW; t += HOUR_MS) source.add(viewEntry(t, t / 60_000));
  const deps = quietIngestDeps(source, new MemoryObjectStore(), NOW);
  summary = await runIngest(deps, { ...defaultIngestConfig('main'), backfillDays: 1 });
});

const nothingStored = (s: IngestSummary): IngestSummary => ({
  ...s,
  windowsDone: 0,
  eventsWritten: 0,
  quarantined: 0,
});

describe('which runs leave a note for status (one rule for the Lambda, ingest and the demo)', () => {
  it('notes a scheduled run, failed and stopped ones included; never a re-pull of a range', () => {
    const run = (over: Partial<EndedRun>): EndedRun => ({
      summary,
      stopped: false,
      lakeMadeNow: false,
      ...over,
    });
    expect(summary.mode).toBe('checkpoint');
    expect(leavesStatusNote(run({}))).toBe(true);
    expect(leavesStatusNote(run({ stopped: true }))).toBe(true);
    expect(leavesStatusNote(run({ stopped: true, summary: nothingStored(summary) }))).toBe(true);
    expect(leavesStatusNote(run({ summary: { ...summary, mode: 'range' } }))).toBe(false);
  });

  it('leaves no note of a first run that made its lake and stopped before storing anything', () => {
    const made = (over: Partial<EndedRun>): EndedRun => ({
      summary,
      stopped: true,
      lakeMadeNow: true,
      ...over,
    });
    expect(leavesStatusNote(made({ summary: nothingStored(summary) }))).toBe(false);
    // Stored something, or ran to its end: its lake stays, and so does its note.
    expect(leavesStatusNote(made({}))).toBe(true);
    expect(leavesStatusNote(made({ summary: { ...nothingStored(summary), quarantined: 1 } }))).toBe(true);
    expect(leavesStatusNote(made({ stopped: false, summary: nothingStored(summary) }))).toBe(true);
  });

  it('writes the note only when the rule says so, and says whether it did', async () => {
    const store = new MemoryObjectStore();
    const ended = { summary, stopped: true, lakeMadeNow: false };
    expect(await noteRunForStatus(store, { ...ended, summary: { ...summary, mode: 'range' } }, NOW)).toBe(
      false,
    );
    expect(store.objects.has(lastRunKey('main'))).toBe(false);
    expect(await noteRunForStatus(store, ended, NOW, 'demo')).toBe(true);
    const note = JSON.parse(new TextDecoder().decode(store.objects.get(lastRunKey('main'))?.body));
    expect(note).toMatchObject({ run_id: summary.runId, trigger: 'demo', finished_at_ms: NOW });
  });
});
