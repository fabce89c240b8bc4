import { describe, expect, it } from 'vitest';
import { ActivityLakeStack } from '../../infra/activity-lake-stack.ts';
import { parseActivityLakeConfig } from '../../infra/config.ts';
import { configWith, DEPLOYABLE_CONFIG, newTestApp, TEST_ENV, TEST_NOW } from './synth-helpers.ts';

/** The stack of the shipped config with `overrides`, built, not synthesized (the flag is the stack's). */
const stackOf = (overrides: Record<string, unknown> = {}) =>
  new ActivityLakeStack(newTestApp(), 'Test', {
    config: configWith(overrides),
    now: TEST_NOW,
    env: TEST_ENV,
  });

// review-stack F5: a stray `cdk destroy` or console delete orphans the lake, and the next deploy
// starts a new one.
describe('stack termination protection', () => {
  it('is on by default, in the shipped cdk.json and when the key is left out', () => {
    expect(stackOf().terminationProtection).toBe(true);
    const { terminationProtection, ...withoutKey } = DEPLOYABLE_CONFIG;
    expect(terminationProtection).toBe(true);
    expect(parseActivityLakeConfig(withoutKey, TEST_NOW).terminationProtection).toBe(true);
  });

  it('is off only when the config says so, and takes nothing but a boolean', () => {
    expect(stackOf({ terminationProtection: false }).terminationProtection).toBe(false);
    expect(() => configWith({ terminationProtection: 'no' })).toThrow(
      /activityLake\.terminationProtection: must be true or false/,
    );
  });
});
