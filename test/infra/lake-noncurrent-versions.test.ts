import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLE_PREFIXES } from '../../functions/core/lake/layout.ts';
import { LakeStorage } from '../../infra/constructs/lake-storage.ts';
import { configWith, newTestApp, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

interface LifecycleRule {
  Id: string;
  Prefix?: string;
  Transitions?: { StorageClass: string }[];
  NoncurrentVersionTransitions?: { StorageClass: string; TransitionInDays: number }[];
  NoncurrentVersionExpiration?: { NoncurrentDays: number };
}

/** The smallest stack with the lake bucket: the storage construct alone, with `retention` overrides. */
function lakeBucket(retention: Record<string, unknown> = {}) {
  const stack = new Stack(newTestApp(), 'StorageOnly', { env: TEST_ENV });
  new LakeStorage(stack, 'Storage', {
    retention: configWith({ retention }).retention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const buckets = Template.fromStack(stack).findResources('AWS::S3::Bucket');
  const lake = Object.entries(buckets).find(([id]) => id.startsWith('StorageLake'))?.[1] as {
    Properties: { LifecycleConfiguration: { Rules: LifecycleRule[] }; ObjectLockConfiguration: unknown };
  };
  return lake.Properties;
}

const tableRules = (rules: LifecycleRule[]) => rules.filter((rule) => rule.Id.startsWith('age-'));
const noncurrentMoves = (rules: LifecycleRule[]) =>
  tableRules(rules).map((rule) => rule.NoncurrentVersionTransitions);

describe('replaced versions of table objects', () => {
  it('move to STANDARD_IA after 30 days and GLACIER_IR after 90, under every table prefix and the alerts state', () => {
    const rules = lakeBucket().LifecycleConfiguration.Rules;
    expect(tableRules(rules).map((rule) => rule.Prefix)).toEqual([
      ...Object.values(TABLE_PREFIXES).map((prefix) => `${prefix}/`),
      'alerts-state/',
    ]);
    for (const moves of noncurrentMoves(rules)) {
      expect(moves).toEqual([
        { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
        { StorageClass: 'GLACIER_IR', TransitionInDays: 90 },
      ]);
    }
  });

  it('never go to a class whose reads must be restored first', () => {
    const classes = lakeBucket()
      .LifecycleConfiguration.Rules.flatMap((rule) => [
        ...(rule.Transitions ?? []),
        ...(rule.NoncurrentVersionTransitions ?? []),
      ])
      .map((move) => move.StorageClass);
    expect(classes.filter((name) => name === 'GLACIER' || name === 'DEEP_ARCHIVE')).toEqual([]);
  });

  it('still expire after lockDays', () => {
    const rules = lakeBucket({ lockDays: 400 }).LifecycleConfiguration.Rules;
    expect(rules[0]?.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 400 });
  });

  it('stay under Object Lock for lockDays: a transition changes no retention', () => {
    expect(lakeBucket({ lockDays: 400 }).ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 400 } },
    });
  });

  it('skip GLACIER_IR when they would expire before its 90 days minimum storage', () => {
    for (const moves of noncurrentMoves(lakeBucket({ lockDays: 120 }).LifecycleConfiguration.Rules)) {
      expect(moves).toEqual([{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }]);
    }
  });

  it('skip STANDARD_IA when they would expire before its 30 days minimum storage', () => {
    // The tables' three prefixes and alerts-state/.
    expect(noncurrentMoves(lakeBucket({ lockDays: 59 }).LifecycleConfiguration.Rules)).toEqual(
      [...Object.values(TABLE_PREFIXES), 'alerts-state'].map(() => undefined),
    );
  });

  it('follow the switch of each class for current data', () => {
    for (const moves of noncurrentMoves(
      lakeBucket({ infrequentAccessAfterDays: null }).LifecycleConfiguration.Rules,
    )) {
      expect(moves).toEqual([{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }]);
    }
  });
});

// review R-COST LOW-3: the alerts' login profile (3.8 MB at 1 million events a day, written ~25
// times a day) and checkpoint kept every replaced version lockDays in STANDARD: ~$0.80 a month
// after a year, ~$2 in floods. They now age as the tables do.
describe("the alerts' saved state (alerts-state/)", () => {
  const ruleOf = (rules: LifecycleRule[], prefix: string) => {
    const {
      Id: _id,
      Prefix: _prefix,
      ...rest
    } = rules.find((rule) => rule.Prefix === prefix) ?? ({} as LifecycleRule);
    return rest;
  };

  it("has the tables' transitions and replaced-version transitions, whatever the retention", () => {
    for (const retention of [
      {},
      { infrequentAccessAfterDays: null },
      { glacierInstantRetrievalAfterDays: null, lockDays: 60 },
    ]) {
      const rules = lakeBucket(retention).LifecycleConfiguration.Rules;
      const state = ruleOf(rules, 'alerts-state/');
      expect(state, JSON.stringify(retention)).toEqual(ruleOf(rules, 'activity_log/'));
      expect(state.NoncurrentVersionTransitions?.length ?? 0).toBeGreaterThan(0);
    }
  });
});
