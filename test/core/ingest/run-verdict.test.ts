import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IngestSummary } from '../../../functions/core/ingest/ingest-types.ts';
import { runFailed } from '../../../functions/core/ingest/run-verdict.ts';
import { readSources } from '../../architecture/import-rules.ts';

const failure = { windowStartMs: Date.parse('2026-10-01T03:00:00Z'), message: 'Domo answered 500.' };
const summaryOf = (failures: IngestSummary['failures'], stoppedEarly: IngestSummary['stoppedEarly']) =>
  ({ failures, stoppedEarly }) as unknown as IngestSummary;

describe('runFailed: whether an ingest run failed', () => {
  it('is true when hours failed, or a fatal error stopped the run', () => {
    expect(runFailed(summaryOf([failure], null))).toBe(true);
    expect(runFailed(summaryOf([failure], 'time-budget'))).toBe(true);
    expect(runFailed(summaryOf([], 'fatal-error'))).toBe(true);
  });

  it('is false for a run that ended, ran out of time or was interrupted without a failure', () => {
    for (const stoppedEarly of [null, 'time-budget', 'interrupted'] as const) {
      expect(runFailed(summaryOf([], stoppedEarly))).toBe(false);
    }
  });

  it('is the only place outside the run record that words the rule: no entry point repeats it', () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    const copies = readSources(root, ['functions'])
      .filter((f) => !f.path.startsWith('functions/core/ingest/'))
      .filter((f) => /stoppedEarly\s*===\s*'fatal-error'/.test(f.text))
      .map((f) => f.path);
    expect(copies).toEqual([]);
    expect(readFileSync(path.join(root, 'functions/ingest/handler.ts'), 'utf8')).toContain(
      'runFailed(summary)',
    );
  });
});
