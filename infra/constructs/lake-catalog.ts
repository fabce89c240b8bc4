import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { type LakeTable, TABLE_PREFIXES } from '../../functions/core/lake/layout.ts';
import { lakeTableInput } from '../catalog/lake-table-input.ts';
import { loadNamedQueries, type NamedQuerySource } from '../catalog/named-queries.ts';
import { SavedQueriesStack } from './saved-queries-stack.ts';

interface LakeCatalogProps {
  databaseName: string;
  workGroupName: string;
  lakeRootUri: string;
  resultsUri: string;
  instances: readonly string[];
  /** First `dt` the tables project. */
  startDate: string;
  bytesScannedCutoffMb: number;
  /**
   * `lakeEncryption.kmsKeyArn`: the results are encrypted under it (SSE_KMS), as the results
   * bucket's default is; left out: SSE_S3.
   */
  resultsKmsKeyArn?: string | undefined;
  /** Defaults to every file in `functions/queries/`. */
  namedQueries?: readonly NamedQuerySource[];
}

/**
 * The Glue database and the three lake tables (partition projection, no crawlers), and an Athena
 * workgroup that enforces engine v3, encrypted expiring results and a per-query scan cutoff, with
 * the query catalog saved as named queries (in two nested stacks, one in the other: {@link SavedQueriesStack}).
 */
export class LakeCatalog extends Construct {
  readonly databaseName: string;
  readonly workGroupName: string;
  readonly database: glue.CfnDatabase;
  readonly tables: Record<LakeTable, glue.CfnTable>;
  /** The Glue names of those tables (the lake table names). */
  readonly tableNames: readonly LakeTable[];
  readonly workGroup: athena.CfnWorkGroup;
  /** Hold the catalog's named queries: the first half by name, then the rest (nested in the first). */
  readonly savedQueries: readonly SavedQueriesStack[];

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    this.databaseName = props.databaseName;
    this.workGroupName = props.workGroupName;

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: props.databaseName,
        description: 'Domo Activity Log lake (domo-activity-lake)',
      },
    });

    const tables = {} as Record<LakeTable, glue.CfnTable>;
    for (const table of Object.keys(TABLE_PREFIXES) as LakeTable[]) {
      const cfnTable = new glue.CfnTable(this, `Table-${table}`, {
        catalogId: account,
        databaseName: props.databaseName,
        tableInput: lakeTableInput(table, {
          lakeRootUri: props.lakeRootUri,
          instances: props.instances,
          startDate: props.startDate,
        }),
      });
      cfnTable.addResourceDependency(this.database);
      tables[table] = cfnTable;
    }
    this.tables = tables;
    this.tableNames = Object.keys(tables) as LakeTable[];

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: props.workGroupName,
      description: 'Queries over the Domo activity lake',
      state: 'ENABLED',
      // Lets the stack delete the workgroup even when it holds saved queries and history.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffMb * 1024 * 1024,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: props.resultsUri,
          // Enforced with the rest: a client's own setting (another key, or none) never applies.
          encryptionConfiguration:
            props.resultsKmsKeyArn === undefined
              ? { encryptionOption: 'SSE_S3' }
              : { encryptionOption: 'SSE_KMS', kmsKey: props.resultsKmsKeyArn },
        },
      },
    });

    const queries = new SavedQueriesStack(this, 'Queries', {
      databaseName: props.databaseName,
      workGroup: this.workGroup,
      database: this.database,
      queries: props.namedQueries ?? loadNamedQueries(),
    });
    this.savedQueries = queries.more === undefined ? [queries] : [queries, queries.more];
  }
}
