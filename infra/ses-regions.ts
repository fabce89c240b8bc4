import { Annotations, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ConfigError } from './config/config-error.ts';

/**
 * The regions Amazon SES is offered in, the one place synth reads them from. From the AWS General
 * Reference, "Amazon Simple Email Service endpoints and quotas"
 * (https://docs.aws.amazon.com/general/latest/gr/ses.html), cross-checked against the `email`
 * service of botocore 1.43.11's endpoints.json (the SDK's per-region endpoint list); both checked
 * 2026-12-05. Absent then: ap-east-1, ap-east-2, ap-southeast-4, ap-southeast-6, ap-southeast-7,
 * eu-south-2, mx-central-1, the China and ISO regions. When SES comes to one of them, add it here.
 */
export const SES_REGIONS: ReadonlySet<string> = new Set([
  'af-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-5',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'eusc-de-east-1',
]);

/** When SES_REGIONS was last checked against AWS's table: the messages say how old the list is. */
const SES_REGIONS_CHECKED = '2026-12-05';

/** The id of the synth warning that the SES region could not be checked (env-agnostic stack). */
export const SES_REGION_UNCHECKED = '@domo-activity-lake/sesRegionUnchecked';

/** The config keys that make the stack send mail through SES. */
export interface MailSenders {
  report: boolean;
  alerts: boolean;
  /** Regions the config says SES is offered in beyond {@link SES_REGIONS} (`sesRegionsAdded`). */
  added?: readonly string[];
}

const keysOf = (senders: MailSenders): string[] => [
  ...(senders.report ? ['report.enabled'] : []),
  ...(senders.alerts ? ['alerts.recipients'] : []),
];

/**
 * The AWS partition of a region, by its name: an account and its credentials live in one, so a
 * region of another is no way out for the operator.
 */
function partitionOf(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  if (region.startsWith('us-iso')) return 'aws-iso';
  return 'aws';
}

/**
 * SES regions to suggest for `region`, all of its partition: those of its area (the name before
 * its last two parts, "eu" of "eu-south-2"), or every one of the partition when its area has none.
 */
function nearbySesRegions(region: string): string[] {
  const area = (name: string) => name.replace(/-[a-z]+-\d+$/, '');
  const partition = [...SES_REGIONS].filter((candidate) => partitionOf(candidate) === partitionOf(region));
  const near = partition.filter((candidate) => area(candidate) === area(region));
  return near.length > 0 ? near : partition;
}

/** The "deploy elsewhere" part of the refusal: none when no region of the partition has SES. */
function elsewhere(region: string): string {
  const regions = nearbySesRegions(region);
  return regions.length > 0
    ? `Deploy the stack to a region with SES (run cdk with AWS_REGION set to it, e.g. ${regions.join(', ')}), or turn the mail off`
    : `No region of ${region}'s partition (${partitionOf(region)}) offers SES: turn the mail off`;
}

/**
 * Why the stack cannot send its mail in `region`, or undefined when SES is offered there. The
 * deploy would create SES resources (the configuration set, the identity) that CloudFormation does
 * not know in such a region: a first deploy fails and rolls back everything, a later one fails its
 * update, and neither names SES or the config key.
 */
export function sesRegionProblem(region: string, senders: MailSenders): string | undefined {
  if (SES_REGIONS.has(region) || senders.added?.includes(region)) return undefined;
  const keys = keysOf(senders);
  const what = [
    ...(senders.report ? ['the weekly report'] : []),
    ...(senders.alerts ? ['the alerts to their recipients'] : []),
  ].join(' and ');
  const off = [
    ...(senders.report ? ['"report.enabled": false'] : []),
    ...(senders.alerts
      ? [
          '"alerts.recipients": [] (the alerts then reach the alerts topic only, and its subscribers such as alerts.email)',
        ]
      : []),
  ].join(', and ');
  return `${keys.join(', ')}: ${what} ${keys.length > 1 ? 'are' : 'is'} mailed through Amazon SES, which is not offered in ${region}, the stack's region: the deploy would fail on the SES resources. ${elsewhere(region)}: ${off}. (The SES regions are listed in infra/ses-regions.ts, checked ${SES_REGIONS_CHECKED} against AWS's SES endpoints table; if SES has come to ${region} since, add it to sesRegionsAdded in cdk.json: "sesRegionsAdded": ["${region}"].)`;
}

/**
 * Refuses at synth a stack that sends mail in a region without SES; a stack whose region is not
 * known at synth (env-agnostic) cannot be checked, and synthesizes with a warning instead.
 *
 * @throws ConfigError naming the region, the config keys and the ways out.
 */
export function checkSesRegion(scope: IConstruct, senders: MailSenders): void {
  if (!senders.report && !senders.alerts) return;
  const { region } = Stack.of(scope);
  if (Token.isUnresolved(region)) {
    Annotations.of(scope).addWarningV2(
      SES_REGION_UNCHECKED,
      `${keysOf(senders).join(', ')}: the stack's region is not known at synth (no CDK_DEFAULT_REGION, which the cdk CLI sets), so synth cannot check that Amazon SES is offered there; the deploy fails on the SES resources in a region without it (infra/ses-regions.ts lists those with it).`,
    );
    return;
  }
  const problem = sesRegionProblem(region, senders);
  if (problem) throw new ConfigError([problem]);
}
