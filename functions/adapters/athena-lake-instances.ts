import { type AthenaClient, GetTableMetadataCommand } from '@aws-sdk/client-athena';
import { PARTITION_KEYS } from '../core/lake/layout.ts';

/** The lake table whose `instance` projection lists the instances the stack deployed. */
const LAKE_TABLE = 'activity_log';

/**
 * The instances a deployed lake holds, read from the `instance` enum projection of its Glue table
 * (the stack writes one value per configured instance), or undefined when they cannot be read: a
 * principal allowed to query but not to call `athena:GetTableMetadata`, a table made by hand
 * without projection. Undefined makes the caller keep the name it was given, so a metadata call the
 * operator may not be allowed never stands between them and the query. A call AWS never answered
 * (no credentials, no network) throws: the query would fail the same way, and saying so once, now,
 * beats a second credential lookup.
 */
export async function athenaLakeInstances(
  client: AthenaClient,
  where: { database: string; workGroup: string },
): Promise<string[] | undefined> {
  try {
    const answer = await client.send(
      new GetTableMetadataCommand({
        CatalogName: 'AwsDataCatalog',
        DatabaseName: where.database,
        TableName: LAKE_TABLE,
        WorkGroup: where.workGroup,
      }),
    );
    const values = answer?.TableMetadata?.Parameters?.[`projection.${PARTITION_KEYS[0].name}.values`];
    const names = values
      ?.split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
    return names !== undefined && names.length > 0 ? names : undefined;
  } catch (error) {
    if (answeredByAws(error)) return undefined;
    throw error;
  }
}

const answeredByAws = (error: unknown): boolean =>
  typeof (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode ===
  'number';
