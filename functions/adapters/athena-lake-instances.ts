import { type AthenaClient, GetTableMetadataCommand } from '@aws-sdk/client-athena';
import { PARTITION_KEYS } from '../core/lake/layout.ts';
import { athenaFailure } from './athena-engine.ts';
import { sendUntilAborted } from './until-aborted.ts';

/** The lake table whose `instance` projection lists the instances the stack deployed. */
const LAKE_TABLE = 'activity_log';

/**
 * The instances a deployed lake holds, read from the `instance` enum projection of its Glue table
 * (the stack writes one value per configured instance), or undefined when AWS answered but they
 * cannot be read: a principal allowed to query but not to call `athena:GetTableMetadata`, a table
 * made by hand without projection, throttling. Undefined makes the caller keep the name it was
 * given, so a metadata call the operator may not be allowed never stands between them and the
 * query. A call AWS never answered (no credentials, no network) throws, worded as the query's own
 * requests are: the query would fail the same way, and saying so once, now, beats a second
 * credential lookup. `signal` (Ctrl-C) ends the call at once with its reason: nothing runs in
 * Athena yet, so there is nothing to stop.
 */
export async function athenaLakeInstances(
  client: AthenaClient,
  where: { database: string; workGroup: string },
  signal?: AbortSignal,
): Promise<string[] | undefined> {
  const command = new GetTableMetadataCommand({
    CatalogName: 'AwsDataCatalog',
    DatabaseName: where.database,
    TableName: LAKE_TABLE,
    WorkGroup: where.workGroup,
  });
  const sendMetadata = (options?: { abortSignal: AbortSignal }) => client.send(command, options);
  let answer: Awaited<ReturnType<typeof sendMetadata>>;
  try {
    answer = await sendUntilAborted(sendMetadata, signal);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (answeredByAws(error)) return undefined;
    throw athenaFailure(
      `GetTableMetadata of ${where.database}.${LAKE_TABLE} (workgroup ${where.workGroup})`,
      error,
    );
  }
  const values = answer?.TableMetadata?.Parameters?.[`projection.${PARTITION_KEYS[0].name}.values`];
  const names = values
    ?.split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names !== undefined && names.length > 0 ? names : undefined;
}

const answeredByAws = (error: unknown): boolean =>
  typeof (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode ===
  'number';
