import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { synthStack } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/**
 * docs/operations.md, "Adding, changing or removing an instance": a provider appends a customer to
 * `instances` and deploys, or deletes one's entry and deploys. The deploy must touch no other
 * customer's resources (a logical id that moved would make CloudFormation replace them: a secret
 * re-created empty, or refused while the kept one holds its name), and a removed customer must
 * leave nothing running, with its secret and log groups kept as the page says (the default
 * `retention.removalPolicy` "retain"). Review MSP (2026-12-07): documented, never synthesized.
 */

const customer = (name: string) => ({
  name,
  domoCustomer: `${name}-corp`,
  report: { recipients: [`it@${name}-co.com`] },
});

const features = (names: readonly string[]) => ({
  instances: names.map(customer),
  report: { enabled: true, sender: 'reports@msp-co.com', recipients: ['noc@msp-co.com'] },
  alerts: { enabled: true, allowNoSubscriber: true },
});

type Resources = Record<
  string,
  { Type: string; DeletionPolicy?: string; Metadata?: Record<string, unknown> }
>;

const resourcesOf = (names: readonly string[]): Resources =>
  synthStack(features(names)).template.toJSON().Resources as Resources;

const pathOf = (resource: Resources[string]): string => String(resource.Metadata?.['aws:cdk:path'] ?? '');

/**
 * Whether a construct path is one instance's: a segment `<kind>-<name>` (`Ingest-acme`) or
 * `<name>-<kind>` (`acme-LagAlarm`). The names below are no prefix or suffix of one another.
 */
const isInstancePath = (path: string, name: string): boolean =>
  path.split('/').some((segment) => segment.endsWith(`-${name}`) || segment.startsWith(`${name}-`));

const ofInstance = (resources: Resources, name: string): Resources =>
  Object.fromEntries(Object.entries(resources).filter(([, r]) => isInstancePath(pathOf(r), name)));

const BEFORE = ['acme', 'globex', 'initech'];
const before = resourcesOf(BEFORE);

describe('adding and removing an instance', () => {
  it('adds the new instance beside the others, changing none of their resources', () => {
    const after = resourcesOf([...BEFORE, 'umbrella']);
    for (const name of BEFORE) {
      const own = ofInstance(before, name);
      expect(Object.keys(own).length, name).toBeGreaterThan(10);
      // Same logical ids, same properties: the deploy leaves them as they are.
      expect(ofInstance(after, name), name).toEqual(own);
    }
    expect(Object.keys(ofInstance(after, 'umbrella'))).toHaveLength(
      Object.keys(ofInstance(before, 'acme')).length,
    );
    for (const id of Object.keys(before)) expect(after[id]?.Type, id).toBe(before[id]?.Type);
  });

  it('removes every resource of the removed instance, and changes none of the others', () => {
    const after = resourcesOf(['acme', 'initech']);
    for (const name of ['acme', 'initech'])
      expect(ofInstance(after, name), name).toEqual(ofInstance(before, name));
    expect(ofInstance(after, 'globex')).toEqual({});
    // Not in any policy, projection, dashboard or environment either.
    expect(JSON.stringify(after)).not.toContain('globex');
  });

  it('keeps only its secret and log groups (retention.removalPolicy "retain"): nothing that runs or alarms', () => {
    const removed = ofInstance(before, 'globex');
    // RetainExceptOnCreate: kept once deployed, deleted only when the deploy creating it rolls back.
    const isKept = (r: Resources[string]) => r.DeletionPolicy?.startsWith('Retain') === true;
    const kept = Object.values(removed)
      .filter(isKept)
      .map((r) => r.Type)
      .sort();
    expect(kept).toEqual(['AWS::Logs::LogGroup', 'AWS::Logs::LogGroup', 'AWS::SecretsManager::Secret']);
    const gone = new Set(
      Object.values(removed)
        .filter((r) => !isKept(r))
        .map((r) => r.Type),
    );
    for (const type of ['AWS::Lambda::Function', 'AWS::Scheduler::Schedule', 'AWS::CloudWatch::Alarm']) {
      expect(gone, type).toContain(type);
    }
  });
});
