import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { THIN_READS, warnOfThinReads } from '../../infra/ingest-memory-warning.ts';
import { configWith } from './synth-helpers.ts';
import { uncheckedApp } from './unchecked-app.ts';

const warningsOf = (ingest: Record<string, unknown>): string[] => {
  const stack = new Stack(uncheckedApp(), 'Warned');
  warnOfThinReads(stack, configWith({ ingest }));
  return Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp(THIN_READS))
    .map((w) => String(w.entry.data));
};

describe("an ingest whose reads hold less than the defaults' (review R-BIG H1)", () => {
  it('warns of a higher concurrency at the same memory, saying the memory that keeps the reads', () => {
    expect(warningsOf({ concurrency: 8 })).toEqual([
      expect.stringContaining(
        "ingest.concurrency 8 with ingest.memoryMb 1024 lets each read of Domo hold 37.9 MiB of entries' JSON, less than the 68.3 MiB of the defaults",
      ),
    ]);
    expect(warningsOf({ concurrency: 8 })[0]).toContain('Raise ingest.memoryMb to 1844');
    // Such an hour is read again alone, not failed: only one past a lone read's share fails.
    expect(warningsOf({ concurrency: 8 })[0]).toContain(
      'an hour busier than that is read a second time, alone, while the other reads wait, which slows busy days (an hour past the 170.7 MiB a lone read may hold at this memory fails at any concurrency)',
    );
  });

  it('warns of less memory at the default concurrency', () => {
    expect(warningsOf({ memoryMb: 512 })).toEqual([expect.stringContaining('ingest.memoryMb 512')]);
  });

  it('says nothing of the defaults, of memory raised with the concurrency, or of fewer reads', () => {
    expect(warningsOf({})).toEqual([]);
    expect(warningsOf({ concurrency: 8, memoryMb: 1844 })).toEqual([]);
    expect(warningsOf({ concurrency: 2 })).toEqual([]);
  });
});
