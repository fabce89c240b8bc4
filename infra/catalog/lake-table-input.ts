import type { CfnTable } from 'aws-cdk-lib/aws-glue';
import type { Column } from '../../functions/core/lake/column.ts';
import {
  DT_FORMAT_JAVA,
  type LakeTable,
  PARTITION_KEYS,
  projectionLocationTemplate,
  TABLE_PREFIXES,
} from '../../functions/core/lake/layout.ts';
import { TABLE_COLUMNS } from '../../functions/core/lake/tables.ts';

/** The SerDe for every lake table: the writer emits flat, one-object-per-line, lower-case JSON. */
export const JSON_SERDE = 'org.apache.hive.hcatalog.data.JsonSerDe';

/** Said after each table's description: a console user's query without it scans every day stored. */
const BOUND_SCANS =
  ". Filter on instance and dt (the UTC date) in every query: Athena then reads only those days' partitions";

const TABLE_DESCRIPTIONS: Record<LakeTable, string> = {
  activity_log: `Domo Activity Log events, one row per event (gzip NDJSON, one object per UTC hour); entries the ingest could not read are in the quarantine table, not here${BOUND_SCANS}`,
  coverage: `One manifest per completely pulled hour window: proof of coverage and late-event counts${BOUND_SCANS}`,
  quarantine: `Activity Log entries that could not be parsed, with the reason${BOUND_SCANS}`,
};

interface LakeTableInputOptions {
  /** `s3://bucket/` or `s3://bucket/prefix/`: the root the writer's keys are relative to. */
  lakeRootUri: string;
  /** Instance names, the values of the `instance` enum projection. */
  instances: readonly string[];
  /** First `dt` (YYYY-MM-DD) the projection covers; the range ends at NOW. */
  startDate: string;
}

const glueColumn = (column: Pick<Column, 'name' | 'glue' | 'comment'>): CfnTable.ColumnProperty => ({
  name: column.name,
  type: column.glue,
  comment: column.comment,
});

/**
 * The Glue `TableInput` of one lake table, derived from the writer's layout and schema modules:
 * location, projection template, partition keys and columns all come from the code that writes
 * the objects, so the catalog cannot drift from the data.
 */
export function lakeTableInput(
  table: LakeTable,
  options: LakeTableInputOptions,
): CfnTable.TableInputProperty {
  const root = options.lakeRootUri.replace(/\/?$/, '/');
  const [instanceKey, dtKey] = PARTITION_KEYS;
  return {
    name: table,
    description: TABLE_DESCRIPTIONS[table],
    tableType: 'EXTERNAL_TABLE',
    partitionKeys: PARTITION_KEYS.map(glueColumn),
    parameters: {
      classification: 'json',
      'projection.enabled': 'true',
      [`projection.${instanceKey.name}.type`]: 'enum',
      [`projection.${instanceKey.name}.values`]: options.instances.join(','),
      [`projection.${dtKey.name}.type`]: 'date',
      [`projection.${dtKey.name}.format`]: DT_FORMAT_JAVA,
      [`projection.${dtKey.name}.range`]: `${options.startDate},NOW`,
      [`projection.${dtKey.name}.interval`]: '1',
      [`projection.${dtKey.name}.interval.unit`]: 'DAYS',
      'storage.location.template': projectionLocationTemplate(table, root),
    },
    storageDescriptor: {
      location: `${root}${TABLE_PREFIXES[table]}/`,
      inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      serdeInfo: { serializationLibrary: JSON_SERDE },
      columns: TABLE_COLUMNS[table].map(glueColumn),
    },
  };
}
