import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { LakeFunction } from '../../infra/constructs/lake-function.ts';
import { BUNDLE_FILE } from '../../infra/constructs/lambda-bundle.ts';
import { SHIPPED_CONTEXT, TEST_ENV } from './synth-helpers.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/**
 * The smallest stack with two functions, bundled for real as `cdk synth` does: each function's
 * code must be its own handler. CDK reuses a staged asset for options that serialise alike, and
 * the local bundling's method does not serialise, so every function once got the bundle staged
 * first (the report function ran the ingest's handler, or the ingest function the alerts').
 */
describe('a stack of several functions', () => {
  it('gives each function the bundle of its own handler', async () => {
    const app = new App({ context: SHIPPED_CONTEXT, builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'TwoFunctions', { env: TEST_ENV });
    const failures = new destinations.SqsDestination(new sqs.Queue(stack, 'Failures'));
    const functionOf = (id: string, entry: string) =>
      new LakeFunction(stack, id, {
        entry: path.join(FIXTURES, entry),
        description: `${id} under test`,
        environment: {},
        timeout: Duration.minutes(1),
        memorySize: 256,
        logRetention: logs.RetentionDays.ONE_DAY,
        removalPolicy: RemovalPolicy.DESTROY,
        retryAttempts: 0,
        maxEventAge: Duration.hours(1),
        onFailure: failures,
        ...(entry === 'tiny-handler.ts' ? { bundledFiles: [path.join(FIXTURES, 'greeting.txt')] } : {}),
      });
    functionOf('Tiny', 'tiny-handler.ts');
    functionOf('Other', 'other-handler.ts');
    const assembly = app.synth();

    const template = JSON.parse(
      readFileSync(path.join(assembly.directory, 'TwoFunctions.template.json'), 'utf8'),
    ) as { Resources: Record<string, { Type: string; Properties: { Code: { S3Key: string } } }> };
    // The code's key is the asset's hash; its staged directory is asset.<hash>.
    const assetOf = (id: string) => {
      const [, resource] =
        Object.entries(template.Resources).find(
          ([logicalId, r]) => r.Type === 'AWS::Lambda::Function' && logicalId.startsWith(id),
        ) ?? [];
      return `asset.${resource?.Properties.Code.S3Key.replace(/\.zip$/, '')}`;
    };
    expect(assetOf('Tiny')).not.toBe(assetOf('Other'));

    const answer = async (asset: string, event: unknown) => {
      const invoke = `const { handler } = await import(process.argv[1]); process.stdout.write(await handler(${JSON.stringify(event)}));`;
      const file = path.join(assembly.directory, asset, BUNDLE_FILE);
      return (
        await promisify(execFile)(process.execPath, ['--input-type=module', '-e', invoke, file], { cwd: '/' })
      ).stdout;
    };
    expect(await answer(assetOf('Tiny'), { name: 'Ada' })).toBe('hello, Ada');
    expect(await answer(assetOf('Other'), {})).toBe('other');
  });
});
