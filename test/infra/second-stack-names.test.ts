import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/config/config-error.ts';
import { parseActivityLakeConfig } from '../../infra/config.ts';
import { DEPLOYABLE_CONFIG, SHIPPED_CONFIG, TEST_NOW } from './synth-helpers.ts';

// Review R-MULTI L7: a second stack of its own name kept the shipped Glue database and Athena
// workgroup names, names of the account and region: its deploy failed on the first stack's.
const parse = (extra: Record<string, unknown>) =>
  parseActivityLakeConfig({ ...DEPLOYABLE_CONFIG, ...extra }, TEST_NOW);

const problemsOf = (extra: Record<string, unknown>): string[] => {
  try {
    parse(extra);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected the config to be rejected');
};

describe('a stack of its own name', () => {
  it("is refused with the shipped cdk.json's athena names, offering names after the stack", () => {
    expect(problemsOf({ stackName: 'DomoActivityLakeEU', athena: SHIPPED_CONFIG.athena })).toEqual([
      'activityLake.athena: stackName "DomoActivityLakeEU" keeps the default athena.databaseName "domo_activity_lake" and athena.workGroupName "domo-activity-lake", names of the account and region that the stack "DomoActivityLake" takes too: a second stack\'s deploy fails on them and rolls back. Give this stack names of its own in "athena" ("databaseName": "domo_activity_lake_eu", "workGroupName": "domo-activity-lake-eu"). If this stack is already deployed with these names, keep them (Glue cannot rename a database) and add "keepDefaultNames": true to "athena"',
    ]);
  });

  it('names only the default left, and takes names of its own', () => {
    expect(problemsOf({ stackName: 'Audit-Lake2', athena: { databaseName: 'audit' } })).toEqual([
      expect.stringContaining(
        'keeps the default athena.workGroupName "domo-activity-lake", names of the account',
      ),
    ]);
    expect(problemsOf({ stackName: 'Audit-Lake2', athena: { databaseName: 'audit' } })[0]).toContain(
      '("workGroupName": "audit-lake2")',
    );
    const own = parse({ stackName: 'AuditLake', athena: { databaseName: 'audit', workGroupName: 'audit' } });
    expect([own.athena.databaseName, own.athena.workGroupName]).toEqual(['audit', 'audit']);
  });

  it('keeps the default names when told it was deployed with them: an upgrade renames nothing', () => {
    const kept = parse({
      stackName: 'AuditLake',
      athena: { ...(SHIPPED_CONFIG.athena as object), keepDefaultNames: true },
    });
    expect([kept.athena.databaseName, kept.athena.workGroupName]).toEqual([
      'domo_activity_lake',
      'domo-activity-lake',
    ]);
    // The default stack name keeps the default names, as before.
    expect(parse({ athena: SHIPPED_CONFIG.athena }).athena.databaseName).toBe('domo_activity_lake');
  });
});
