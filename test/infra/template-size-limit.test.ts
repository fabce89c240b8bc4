import { statSync } from 'node:fs';
import path from 'node:path';
import type { App, NestedStack } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ActivityLakeStack } from '../../infra/activity-lake-stack.ts';
import { ConfigError } from '../../infra/config/config-error.ts';
import { TEMPLATE_MAX_BYTES } from '../../infra/template-size-limit.ts';
import { configWith, newTestApp, TEST_ENV, TEST_NOW } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** A one-instance stack whose template is padded by `padBytes` (its Metadata, which nothing reads). */
function paddedStack(padBytes: number): ActivityLakeStack {
  const stack = new ActivityLakeStack(newTestApp(), 'Padded', {
    config: configWith({ instances: [{ name: 'acme' }] }),
    now: TEST_NOW,
    env: TEST_ENV,
  });
  stack.templateOptions.metadata = { pad: 'x'.repeat(padBytes) };
  return stack;
}

/** The first nested stack of saved queries, `Catalog/Queries`. */
function firstQueries(stack: ActivityLakeStack): NestedStack {
  const [nested] = stack.catalog.savedQueries;
  if (nested === undefined) throw new Error('no nested stack of saved queries');
  return nested;
}

const synth = (stack: ActivityLakeStack) => (stack.node.root as App).synth();

/** The message synth refuses `stack` with ("" when it does not). */
function refusal(stack: Parameters<typeof synth>[0]): string {
  try {
    synth(stack);
  } catch (error) {
    return error instanceof ConfigError ? error.message : String(error);
  }
  return '';
}

describe('template size at synth (CloudFormation refuses a template over 1,000,000 bytes at deploy)', () => {
  it('refuses a stack whose written template is over the limit, naming its size, the limit and the levers', () => {
    const stack = paddedStack(TEMPLATE_MAX_BYTES);
    // CDK itself only warns here: the refusal is the stack's.
    expect(() => synth(stack)).toThrow(
      new RegExp(
        `stack "Padded" is \\d{7} bytes: CloudFormation refuses a template over ${TEMPLATE_MAX_BYTES} bytes at deploy\\. ` +
          'Make it smaller: fewer instances .*, a shorter stackName or shorter instance names .*, ' +
          'fewer or shorter report\\.recipients and alerts\\.recipients',
      ),
    );
  });

  it('says so under a heading of its own, not as an invalid cdk.json context', () => {
    const message = refusal(paddedStack(TEMPLATE_MAX_BYTES));
    expect(message).toMatch(
      /^Stack "Padded" is too large for CloudFormation \(fix these, then run cdk synth again\):\n {2}- The template/,
    );
    expect(message).not.toContain('cdk.json context');
  });

  it('writes a stack just within the limit', () => {
    const small = synth(paddedStack(0));
    const base = statSync(small.getStackArtifact('Padded').templateFullPath).size;
    // Padded to exactly the limit: `"pad":""` is already in the base.
    const stack = paddedStack(TEMPLATE_MAX_BYTES - base);
    const assembly = synth(stack);
    expect(statSync(assembly.getStackArtifact(stack.artifactId).templateFullPath).size).toBe(
      TEMPLATE_MAX_BYTES,
    );
  });

  it("refuses a nested stack's template over the limit, naming it, its size and what it holds", () => {
    const stack = paddedStack(0);
    firstQueries(stack).templateOptions.metadata = { pad: 'x'.repeat(TEMPLATE_MAX_BYTES) };
    const message = refusal(stack);
    expect(message).toMatch(
      new RegExp(
        '^Stack "Padded" is too large for CloudFormation .*\\n {2}- The template of nested stack ' +
          `"Padded/Catalog/Queries" of stack "Padded" is \\d{7} bytes: CloudFormation refuses a template over ${TEMPLATE_MAX_BYTES} bytes at deploy, a nested stack's as well\\. ` +
          'It holds saved Athena queries, one per file of functions/queries, half the catalog: shorten ' +
          'the largest queries, or split the catalog among more nested stacks',
      ),
    );
    // The main template, within the limit, is not named.
    expect(message).not.toContain('The template of stack');
  });

  it('writes a nested stack just within the limit', () => {
    const nestedBytes = (stack: ActivityLakeStack) =>
      statSync(path.join(synth(stack).directory, firstQueries(stack).templateFile)).size;
    const stack = paddedStack(0);
    firstQueries(stack).templateOptions.metadata = { pad: '' };
    const withPad = nestedBytes(stack);
    const padded = paddedStack(0);
    firstQueries(padded).templateOptions.metadata = {
      pad: 'x'.repeat(TEMPLATE_MAX_BYTES - withPad),
    };
    // Padded to exactly the limit: `"pad":""` is already in the measured one.
    expect(nestedBytes(padded)).toBe(TEMPLATE_MAX_BYTES);
  });
});
