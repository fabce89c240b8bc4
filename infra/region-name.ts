import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { didYouMean } from '../functions/core/did-you-mean.ts';
import { ConfigError } from './config/config-error.ts';

/**
 * AWS regions as of 2026-12-06, every partition's public ones: the names a mistyped region is
 * matched against. A region missing here is not refused (see {@link regionNameProblem}), so the
 * list only has to be good enough to suggest from.
 */
const AWS_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eusc-de-east-1',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-west-1',
  'us-west-2',
];

/**
 * The shape of every AWS region name: an area, maybe a sub-area (`gov`, `de`, `iso`), a compass
 * direction, a number. A name of this shape is taken for a region this list does not know yet (a
 * new one), never refused: only a name no region could have is.
 */
const REGION_SHAPE =
  /^[a-z]{2,4}(-[a-z]{2,4})?-(central|north|south|east|west|northeast|northwest|southeast|southwest)-\d{1,2}$/;

/**
 * Why `region` cannot be an AWS region (a typo in AWS_REGION or the profile's region), or
 * undefined. Without it a typo got advice about the services of a region that does not exist
 * (SES "not offered in eu-wset-1"), or an endpoint lookup failure at deploy.
 */
export function regionNameProblem(region: string): string | undefined {
  if (AWS_REGIONS.includes(region) || REGION_SHAPE.test(region)) return undefined;
  const meant = didYouMean(region, AWS_REGIONS);
  const fix = meant
    ? `did you mean ${meant}? Run cdk with AWS_REGION=${meant}`
    : 'run cdk with AWS_REGION set to the region to deploy to (e.g. eu-west-1)';
  return `"${region}", the stack's region (AWS_REGION, or the profile's region), is not an AWS region: ${fix}, or correct the region of the AWS profile (aws configure get region).`;
}

/**
 * Refuses at synth a stack whose region is not an AWS region; an env-agnostic stack (region not
 * known at synth) is not checked.
 *
 * @throws ConfigError naming the region and the region it most likely meant.
 */
export function checkRegionName(scope: IConstruct): void {
  const { region } = Stack.of(scope);
  if (Token.isUnresolved(region)) return;
  const problem = regionNameProblem(region);
  if (problem) throw new ConfigError([problem]);
}
