import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/config/config-error.ts';
import { expiryBurstThreshold, expiryOthersThreshold } from '../../infra/constructs/lake-deletion-events.ts';
import { configWith, logicalIdOf, synthStack } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/**
 * `retiredInstances` (review MSP, 2026-12-07): a provider offboards a customer whose activity log
 * the contract keeps for years. Removing the instance stopped its runs, but Athena no longer
 * projected its data ("add it back to read the data again", with a secret, a schedule and alarms
 * for a customer that is gone), and the expiry alarms, sized for the instances configured, met the
 * removed ones' hours expiring: with more removed than kept, LakeExpiryBurst fired every day.
 */

const features = {
  instances: [{ name: 'acme' }, { name: 'initech' }],
  retiredInstances: ['globex', 'hooli'],
  alerts: { enabled: true, allowNoSubscriber: true },
  lakeStartDate: '2024-01-01',
  retention: { maxDays: 730 },
};

const { template } = synthStack(features);
const resources = template.toJSON().Resources as Record<
  string,
  { Type: string; Properties: Record<string, unknown> }
>;

const problemsOf = (overrides: Record<string, unknown>): string[] => {
  try {
    configWith(overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected the config to be refused');
};

describe('retiredInstances', () => {
  it('keeps the retired instances in every table Athena projects, after the running ones', () => {
    const projections = Object.values(template.findResources('AWS::Glue::Table')).map(
      (table) => table.Properties.TableInput.Parameters['projection.instance.values'],
    );
    expect(projections).toEqual(Array(4).fill('acme,initech,globex,hooli'));
  });

  it('runs nothing of them: no function, schedule, secret or alarm names them', () => {
    const paths = Object.values(resources).map((r) =>
      String((r as { Metadata?: Record<string, unknown> }).Metadata?.['aws:cdk:path']),
    );
    expect(paths.filter((path) => /globex|hooli/.test(path))).toEqual([]);
    expect(
      Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => /Ingest|Alerts/.test(id)),
    ).toHaveLength(4);
  });

  it("sizes the expiry alarms for every instance whose objects expire, the retired ones' too", () => {
    const threshold = (path: string) =>
      resources[logicalIdOf(template, 'AWS::CloudWatch::Alarm', path)]?.Properties.Threshold;
    expect(threshold('/LakeDeletions/ExpiryBurstAlarm/')).toBe(expiryBurstThreshold(4));
    expect(threshold('/LakeDeletions/ExpiryOthersAlarm/')).toBe(expiryOthersThreshold(4));
  });

  it('refuses a name that still runs, one listed twice, and a name no instance can have', () => {
    expect(problemsOf({ instances: [{ name: 'acme' }], retiredInstances: ['acme'] })).toEqual([
      'activityLake.retiredInstances[0]: is in instances too: an instance that still runs is not retired. Remove it from instances to stop it and keep its data in Athena, or from retiredInstances to keep it running (got "acme")',
    ]);
    expect(problemsOf({ retiredInstances: ['globex', 'globex'] })).toEqual([
      'activityLake.retiredInstances[1]: appears twice: list each name once (got "globex")',
    ]);
    expect(problemsOf({ retiredInstances: ['Globex'] })).toEqual([
      expect.stringMatching(/^activityLake\.retiredInstances\[0\]: must be 1-63 lower-case letters/),
    ]);
  });

  it('is empty when left out: the shipped config projects its instances alone', () => {
    expect(configWith({}).retiredInstances).toEqual([]);
  });
});
