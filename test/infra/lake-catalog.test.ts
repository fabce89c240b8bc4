import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  activityKey,
  type LakeTable,
  projectionLocationTemplate,
  TABLE_PREFIXES,
} from '../../functions/core/lake/layout.ts';
import { TABLE_COLUMNS } from '../../functions/core/lake/tables.ts';
import { JSON_SERDE } from '../../infra/catalog/lake-table-input.ts';
import { loadNamedQueries } from '../../infra/catalog/named-queries.ts';
import { cfnText, logicalIdOf, savedQueriesTemplates, sharedSynth } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const synthesized = sharedSynth({ instances: [{ name: 'acme' }, { name: 'beta' }] });
const { template } = synthesized;
const lakeId = logicalIdOf(template, 'AWS::S3::Bucket', '/Storage/Lake/');
const resultsId = logicalIdOf(template, 'AWS::S3::Bucket', '/Storage/AthenaResults/');
const lakeRoot = `s3://{${lakeId}}/`;

const tableInput = (table: LakeTable) => {
  const found = Object.values(template.findResources('AWS::Glue::Table')).filter(
    (t) => t.Properties.TableInput.Name === table,
  );
  expect(found).toHaveLength(1);
  return found[0]?.Properties.TableInput;
};

describe('lake catalog', () => {
  it('creates the database and one table per lake table, all in that database', () => {
    template.hasResourceProperties('AWS::Glue::Database', {
      CatalogId: '123456789012',
      DatabaseInput: { Name: 'domo_activity_lake' },
    });
    template.resourceCountIs('AWS::Glue::Table', Object.keys(TABLE_PREFIXES).length);
    template.allResourcesProperties('AWS::Glue::Table', { DatabaseName: 'domo_activity_lake' });
  });

  it.each(Object.keys(TABLE_PREFIXES) as LakeTable[])(
    "gives %s the writer's storage template, columns and SerDe",
    (table) => {
      const input = tableInput(table);
      expect(cfnText(input.Parameters['storage.location.template'])).toBe(
        projectionLocationTemplate(table, lakeRoot),
      );
      expect(cfnText(input.StorageDescriptor.Location)).toBe(`${lakeRoot}${TABLE_PREFIXES[table]}/`);
      expect(
        input.StorageDescriptor.Columns.map((c: { Name: string; Type: string }) => [c.Name, c.Type]),
      ).toEqual(TABLE_COLUMNS[table].map((c) => [c.name, c.glue]));
      expect(input.StorageDescriptor.SerdeInfo).toEqual({ SerializationLibrary: JSON_SERDE });
      expect(input.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.instance.values': 'acme,beta',
        'projection.dt.range': '2025-01-01,NOW',
      });
    },
  );

  it('locates a real activity object inside the partition Athena projects for it', () => {
    const windowStart = Date.parse('2026-03-04T05:00:00Z');
    const partition = cfnText(tableInput('activity_log').Parameters['storage.location.template'])
      .replace('${instance}', 'beta')
      .replace('${dt}', '2026-03-04');
    expect(`${lakeRoot}${activityKey('beta', windowStart)}`.startsWith(partition)).toBe(true);
  });

  it('runs Athena in an enforced engine-v3 workgroup with encrypted results and a scan cutoff', () => {
    const workGroup = Object.values(template.findResources('AWS::Athena::WorkGroup'))[0]?.Properties;
    expect(workGroup.Name).toBe('domo-activity-lake');
    expect(workGroup.WorkGroupConfiguration).toMatchObject({
      EnforceWorkGroupConfiguration: true,
      EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
      BytesScannedCutoffPerQuery: 10240 * 1024 * 1024,
      PublishCloudWatchMetricsEnabled: true,
      ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
    });
    expect(cfnText(workGroup.WorkGroupConfiguration.ResultConfiguration.OutputLocation)).toBe(
      `s3://{${resultsId}}/athena/`,
    );
  });

  it('saves every query file as a named query of the workgroup and database, in two nested stacks', () => {
    const queries = loadNamedQueries();
    expect(queries.map((q) => q.name)).toContain('latest_events');
    const nested = savedQueriesTemplates(synthesized);
    // The first half of the catalog by name, then the rest: one template held them all and neared
    // the size the build allows (docs/decisions.md).
    const half = Math.ceil(queries.length / 2);
    const groups = [queries.slice(0, half), queries.slice(half)];
    expect(nested).toHaveLength(2);
    nested.forEach((queriesTemplate, index) => {
      const workGroupParameter = Object.keys(queriesTemplate.toJSON().Parameters ?? {});
      expect(workGroupParameter).toHaveLength(1);
      const group = groups[index] ?? [];
      queriesTemplate.resourceCountIs('AWS::Athena::NamedQuery', group.length);
      for (const query of group) {
        queriesTemplate.hasResourceProperties('AWS::Athena::NamedQuery', {
          Name: query.name,
          Description: query.description,
          Database: 'domo_activity_lake',
          QueryString: query.sql,
          WorkGroup: { Ref: workGroupParameter[0] },
        });
      }
    });
    // The main template keeps none of them: they count toward the nested templates' size.
    template.resourceCountIs('AWS::Athena::NamedQuery', 0);
  });

  it("gives the nested stacks the workgroup's name, after the workgroup and the database", () => {
    const workGroupId = logicalIdOf(template, 'AWS::Athena::WorkGroup', '/Catalog/WorkGroup');
    const databaseId = logicalIdOf(template, 'AWS::Glue::Database', '/Catalog/Database');
    const [first, second] = savedQueriesTemplates(synthesized);
    const [parameter] = Object.keys(first?.toJSON().Parameters ?? {});
    // One resource in the main stack, whose 500 have little room: the second half is inside it.
    const [resource, ...others] = Object.values(template.findResources('AWS::CloudFormation::Stack'));
    expect(others).toHaveLength(0);
    expect(resource?.Properties.Parameters).toEqual({ [parameter as string]: { Ref: workGroupId } });
    expect(resource?.DependsOn).toEqual(expect.arrayContaining([workGroupId, databaseId]));
    const [inner] = Object.values(first?.findResources('AWS::CloudFormation::Stack') ?? {});
    const [innerParameter] = Object.keys(second?.toJSON().Parameters ?? {});
    expect(inner?.Properties.Parameters).toEqual({ [innerParameter as string]: { Ref: parameter } });
  });
});
