/**
 * Lambda refuses a function whose environment variables, keys and values together, pass 4 KB: at
 * deploy, not at synth. The alerts function's grows with the operator's lists (mail recipients,
 * the expected-activity list), each capped alone, yet 50 recipients and a list near its cap passed
 * the synth and failed the deploy (review R-MUTE M4): the whole environment is checked here, its
 * references (the bucket's name, the topic's ARN) counted at their longest ({@link deployedJson}).
 */
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { deployedJson } from './policy-size.ts';

/** Lambda's cap on a function's environment, keys and values together. */
const LAMBDA_ENVIRONMENT_MAX_BYTES = 4096;

/** Each variable's bytes (key and value) once deployed, largest first. */
function environmentBytes(fn: lambda.Function): [string, number][] {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const rendered = deployedJson(fn, { environment: cfn.environment ?? {} }) as {
    environment?: { variables?: Record<string, unknown> };
  };
  const variables = rendered.environment?.variables ?? {};
  return Object.entries(variables)
    .map(([key, value]): [string, number] => [
      key,
      Buffer.byteLength(key, 'utf8') +
        Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value), 'utf8'),
    ])
    .sort((a, b) => b[1] - a[1]);
}

/**
 * Why Lambda would refuse `fn`'s environment at deploy: its size, with the largest variables and
 * `fix` (what the operator can shorten); none when it fits.
 */
export function environmentSizeProblems(fn: lambda.Function, name: string, fix: string): string[] {
  const sizes = environmentBytes(fn);
  const total = sizes.reduce((sum, [, bytes]) => sum + bytes, 0);
  if (total <= LAMBDA_ENVIRONMENT_MAX_BYTES) return [];
  const largest = sizes
    .slice(0, 3)
    .map(([key, bytes]) => `${key} ${bytes}`)
    .join(', ');
  return [
    `The ${name}'s environment would be up to ${total} bytes once deployed (largest: ${largest}; references such as the bucket's name counted at their longest), over the ${LAMBDA_ENVIRONMENT_MAX_BYTES} Lambda accepts for all its variables: the deploy would fail. ${fix}`,
  ];
}
