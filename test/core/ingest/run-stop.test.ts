import { describe, expect, it } from 'vitest';
import { INGEST_SETTINGS } from '../../../functions/core/ingest/ingest-settings.ts';
import {
  RUN_SIGNAL_LISTENERS,
  RunInterrupted,
  RunStop,
  TimeBudgetSpent,
} from '../../../functions/core/ingest/run-stop.ts';

describe('RunStop', () => {
  it('keeps the first reason, and aborts only when asked to', () => {
    const stop = new RunStop();
    expect(stop.reason).toBeNull();
    stop.stop('fatal-error');
    expect(stop.signal.aborted).toBe(false);
    stop.stop('time-budget', new TimeBudgetSpent());
    expect(stop.reason).toBe('fatal-error');
    expect(stop.signal.aborted).toBe(true);
    expect(stop.abortedOnPurpose()).toBe(true);
  });

  it('takes an interrupt for an abort on purpose too, not a failure', () => {
    const stop = new RunStop();
    stop.stop('interrupted', new RunInterrupted());
    expect(stop.reason).toBe('interrupted');
    expect(stop.abortedOnPurpose()).toBe(true);
  });

  it('tells a deadline abort from an abort for an error', () => {
    const stop = new RunStop();
    stop.stop('fatal-error', new Error('config'));
    stop.stop('time-budget', new TimeBudgetSpent());
    expect(stop.abortedOnPurpose()).toBe(false);
  });

  it('lets every span of the largest concurrency wait on its signal without a leak warning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const stop = new RunStop();
      // Three waits a span at once (its token, a pacer or retry wait, its request), as at 16 spans.
      for (let i = 0; i < INGEST_SETTINGS.concurrency.max * 3; i++) {
        stop.signal.addEventListener('abort', () => {}, { once: true });
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
      expect(RUN_SIGNAL_LISTENERS).toBeLessThan(100);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
