import { App } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ActivityLakeStack } from '../../infra/activity-lake-stack.ts';
import { configWith, SHIPPED_CONTEXT, TEST_ENV, TEST_NOW } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

describe('the first deploy README describes: the shipped cdk.json with an alarm address', () => {
  it("passes CDK's CloudFormation validation, which `npm run synth` and `cdk deploy` stop on", () => {
    const app = new App({
      context: { ...SHIPPED_CONTEXT, 'aws:cdk:bundling-stacks': [] },
      builtinCloudFormationValidation: true,
    });
    new ActivityLakeStack(app, 'DomoActivityLake', { config: configWith(), now: TEST_NOW, env: TEST_ENV });
    expect(() => app.synth()).not.toThrow();
  });
});
