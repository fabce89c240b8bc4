/**
 * docs/privacy.md's data inventory is what a compliance officer signs the record of processing
 * with: its "Kept" column must be what the stack deploys, and every store the stack sends personal
 * data to must say so. Review PRIVACY (2026-12-07): the SNS row said alarms carry no personal data,
 * while the stack publishes SES's events of undelivered mails, each naming its recipient, to the
 * alarm topic.
 */
import { readFileSync } from 'node:fs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { EVERY_FEATURE, logicalIdOf, sharedSynth } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const privacy = readFileSync(new URL('../../docs/privacy.md', import.meta.url), 'utf8');
const rowOf = (store: string): string[] =>
  (privacy.split('\n').find((line) => line.startsWith(`| ${store}`)) ?? `| no row "${store}" |`).split(' | ');
/** The row's "Kept" column (the fourth of five). */
const keptOf = (store: string): string => rowOf(store)[3] ?? '';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

describe("the privacy inventory's stores, as the stack deploys them", () => {
  const { template } = sharedSynth(EVERY_FEATURE);
  const resources = template.toJSON().Resources as Resources;
  const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);
  /** The expiry, in days, of the bucket at `bucketPath`'s lifecycle rule that has one. */
  const expiryOf = (bucketPath: string): number | undefined => {
    const bucket = resources[logicalIdOf(template, 'AWS::S3::Bucket', bucketPath)];
    const lifecycle = bucket?.Properties.LifecycleConfiguration as { Rules: { ExpirationInDays?: number }[] };
    return lifecycle.Rules.find((rule) => rule.ExpirationInDays !== undefined)?.ExpirationInDays;
  };

  it('keeps the logs, the failure queue, the query results and the access logs as the rows say', () => {
    const logDays = new Set(ofType('AWS::Logs::LogGroup').map((group) => group.Properties.RetentionInDays));
    expect([...logDays]).toEqual([Number(/default (\d+)/.exec(keptOf('CloudWatch Logs'))?.[1])]);
    const queues = ofType('AWS::SQS::Queue');
    expect(queues).toHaveLength(1);
    expect(`${(queues[0]?.Properties.MessageRetentionPeriod as number) / (DAY_MS / 1000)} days`).toBe(
      keptOf('Failure queue'),
    );
    expect(keptOf('Athena query results bucket')).toContain(
      `(default ${expiryOf('/Storage/AthenaResults/')})`,
    );
    expect(keptOf('Access logs bucket')).toContain(`(default ${expiryOf('/Storage/AccessLogs/')})`);
  });

  it("says the alarm topic gets SES's events of undelivered mails, which name their recipient", () => {
    expect(ofType('AWS::SES::ConfigurationSetEventDestination').length).toBeGreaterThan(0);
    const sns = rowOf('SNS messages')[1] ?? '';
    expect(sns).toContain("SES's events of a mail not delivered");
    expect(sns).toContain("recipient's address");
  });
});
