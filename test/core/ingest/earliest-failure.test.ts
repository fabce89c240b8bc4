import { describe, expect, it } from 'vitest';
import { earliestFailure } from '../../../functions/core/ingest/earliest-failure.ts';

describe('earliestFailure', () => {
  it('picks the failure of the earliest hour, whatever the order they failed in', () => {
    const failures = [3, 1, 2].map((windowStartMs) => ({ windowStartMs, message: String(windowStartMs) }));
    expect(earliestFailure(failures)?.message).toBe('1');
    expect(earliestFailure([])).toBeUndefined();
  });
});
