import { describe, expect, it } from 'vitest';
import { RunInterrupted, RunStop, TimeBudgetSpent } from '../../../functions/core/ingest/run-stop.ts';

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
});
