import { AthenaClient } from '@aws-sdk/client-athena';
import { type AthenaEngineOptions, AthenaQueryEngine } from '../adapters/athena-engine.ts';
import { athenaLakeInstances } from '../adapters/athena-lake-instances.ts';
import { DEFAULT_LAKE } from '../adapters/lake-location.ts';
import { SDK_HTTP_BOUNDS, type SdkHttpBounds, sdkRequestHandler } from '../adapters/sdk-http.ts';
import type { QueryParams, QueryResult, QueryRunOptions, SqlEngine } from '../core/ports.ts';
import { awsRegion } from './aws-region.ts';
import {
  chooseInstance,
  DEFAULT_INSTANCE,
  type LakeOption,
  openLakeTarget,
  parseLakeOption,
} from './lake-target.ts';
import { instanceOption, instanceSuggestion } from './nearest-instance.ts';
import { givenFlags, optionValue } from './options.ts';
import { UsageError } from './usage-error.ts';

/** The options `query` and `report` share to say where the SQL runs. */
export const ENGINE_OPTIONS = {
  lake: { type: 'string' },
  instance: { type: 'string' },
  athena: { type: 'boolean', default: false },
  workgroup: { type: 'string' },
  database: { type: 'string' },
  region: { type: 'string' },
} as const;

export const ENGINE_HELP = `  --lake <dir>             the lake directory DuckDB reads (default: ./lake)
  --athena                 run on the deployed Athena workgroup instead; needs
                           --workgroup and --database (the stack's outputs) and
                           a region (--region or AWS_REGION)
  --workgroup <name>       Athena workgroup (engine v3)
  --database <name>        Glue database of the lake tables
  --region <region>        AWS region (default: AWS_REGION or your AWS profile)
`;

export interface EngineValues {
  lake?: string;
  instance?: string;
  athena: boolean;
  workgroup?: string;
  database?: string;
  region?: string;
}

/**
 * An engine a command can hand an abort signal to: Athena then stops its query, DuckDB interrupts
 * its statement.
 */
export interface CommandEngine extends SqlEngine {
  run(name: string, params: QueryParams, options?: QueryRunOptions): Promise<QueryResult>;
  /**
   * Runs SQL a user wrote (`query --sql`): one read-only statement only, anything else refused
   * before it runs (NotReadOnlySqlError, read-only-sql.ts).
   */
  runReadOnlySql(sql: string, label: string, options?: QueryRunOptions): Promise<QueryResult>;
}

/**
 * The Athena engine's hooks a command listens on (see {@link AthenaEngineOptions}), and the signal
 * its first Ctrl-C aborts, which also ends the read of the deployed instances before any query.
 */
export type AthenaWatch = Pick<AthenaEngineOptions, 'onStop' | 'onRunning'> & { signal?: AbortSignal };

export interface EngineTargetOptions {
  /** The command's verb before an engine, for the refusal of --lake beside --athena ("query"). */
  use: string;
  /** A lake of several instances needs no `--instance` (the SQL chooses). */
  everyInstance?: boolean;
  /** What the Athena engine tells of its queries (their stops, whether one runs); unused by DuckDB. */
  athenaWatch?: AthenaWatch;
  /** `values.lake` parsed already (by a command that checked its --out against it). */
  lake?: LakeOption;
  /** What a query given up at its limit tells to do (default: narrow the period). */
  timeoutAdvice?: AthenaEngineOptions['timeoutAdvice'];
  /** Most rows a query may return, on either engine (default: no limit). */
  maxRows?: number;
  /** Most bytes of values a query's rows may hold, on either engine (default: no limit). */
  maxBytes?: number;
  /** The least a row counts against `maxBytes` (row-ceiling.ts's `RowLimits`). */
  leastRowBytes?: number;
}

/** The engines' row ceilings `options` sets, and none it leaves unset. */
function rowLimits(
  options: EngineTargetOptions,
): Pick<EngineTargetOptions, 'maxRows' | 'maxBytes' | 'leastRowBytes'> {
  const { maxRows, maxBytes, leastRowBytes } = options;
  return {
    ...(maxRows === undefined ? {} : { maxRows }),
    ...(maxBytes === undefined ? {} : { maxBytes }),
    ...(leastRowBytes === undefined ? {} : { leastRowBytes }),
  };
}

export interface EngineTarget {
  engine: CommandEngine;
  /** `DuckDB <dir>` or `Athena <workgroup>/<database>`, for messages. */
  where: string;
  instance: string;
  /** Whether the lake (the stack, on Athena) holds several instances; false when Athena could not say. */
  severalInstances: boolean;
  /**
   * Athena's AWS region: `--region`, else the one the SDK found (AWS_REGION, the profile), so a
   * command printed for later names it (review R-REPORTID M3). Absent for DuckDB.
   */
  region?: string;
}

/**
 * Refuses `--lake` beside `--athena`: Athena reads the deployed stack's tables (its workgroup and
 * database), never a lake named on the command line, so the answer would not come from the lake
 * the user named. DuckDB is offered instead only for a local lake: it cannot read an S3 one.
 * `use` is the command's verb before an engine ("query", "report from").
 */
function assertOneEngine(values: Pick<EngineValues, 'athena' | 'lake'>, use: string): void {
  if (!values.athena || values.lake === undefined) return;
  if (/^s3:/i.test(values.lake.trim())) {
    throw new UsageError(
      `--lake ${values.lake} is in S3: Athena reads the stack's tables (over that bucket) through --workgroup and --database, not the lake itself; drop --lake to ${use} Athena`,
    );
  }
  throw new UsageError(
    `--athena runs on the deployed lake's tables (--workgroup, --database), and --lake ${values.lake} names a lake that DuckDB reads: Athena would not read it; drop --lake to ${use} Athena, or drop --athena (with --workgroup, --database and --region) to ${use} ${values.lake} with DuckDB`,
  );
}

/**
 * Opens the engine a command's SQL runs on: DuckDB over a local lake (which must exist and hold the
 * instance), or the deployed Athena workgroup with `--athena`, never both ({@link assertOneEngine},
 * checked here so that no command opening an engine can skip it). An `s3://` lake without
 * `--athena` is a usage error that says which flags to add. With `everyInstance`, a lake of several
 * instances needs no `--instance` (the SQL chooses).
 */
export async function openEngineTarget(
  values: EngineValues,
  athenaClient: AthenaClient | undefined,
  options: EngineTargetOptions,
): Promise<EngineTarget> {
  assertOneEngine(values, options.use);
  if (values.athena) return openAthena(values, athenaClient, options);
  const athenaOnly = givenFlags(values, ['workgroup', 'database', 'region']);
  if (athenaOnly.length > 0) {
    // Without --athena they would be ignored, and the local (often the demo's) lake answer instead.
    throw new UsageError(
      `${athenaOnly.join(', ')} ${athenaOnly.length === 1 ? 'applies' : 'apply'} to Athena only: add --athena to query the deployed lake, or leave them out to query the local lake with DuckDB`,
    );
  }
  const lakeOption = options.lake ?? parseLakeOption(values.lake ?? DEFAULT_LAKE);
  const { value: lake, spec } = lakeOption;
  if (spec.kind === 's3') {
    throw new UsageError(
      `--lake ${lake} is in S3: DuckDB reads a local lake only; for the deployed lake replace --lake with --athena --workgroup <wg> --database <db> (the stack's AthenaWorkGroup and AthenaDatabase outputs)`,
    );
  }
  const target = await openLakeTarget(lakeOption, values.instance, {
    access: 'read',
    ...(options.everyInstance ? { everyInstance: true } : {}),
  });
  // Loaded here, not with the module: DuckDB's package costs ~0.4 CPU-s to load, which commands
  // that open no engine (`query --list`, `--help`, a usage error) need not pay.
  const { openDuckDbEngine } = await import('../adapters/duckdb-engine.ts');
  return {
    engine: await openDuckDbEngine({
      lakeDir: spec.dir,
      ...rowLimits(options),
    }),
    where: `DuckDB ${spec.dir}`,
    instance: target.instance,
    severalInstances: target.instances.length > 1,
  };
}

async function openAthena(
  values: EngineValues,
  athenaClient: AthenaClient | undefined,
  options: EngineTargetOptions,
): Promise<EngineTarget> {
  const { athenaWatch: watch = {}, timeoutAdvice } = options;
  if (!values.workgroup || !values.database) {
    throw new UsageError(
      '--athena needs --workgroup <name> and --database <name> (the deployed lake catalog)',
    );
  }
  if (values.instance !== undefined) optionValue('--instance', values.instance, instanceOption);
  const region = athenaRegion(values.region);
  const client = athenaClient ?? newAthenaClient(region);
  // A client handed in (a test's) may have no region: only the CLI's own must.
  const resolvedRegion = region ?? (await regionOf(client, !athenaClient));
  // A name the stack did not deploy would read no partition and answer with empty rows, as if
  // nothing had happened: checked against the table's projection, as a local lake's folders are.
  const where = `Athena ${values.workgroup}/${values.database}`;
  const deployed = await athenaLakeInstances(
    client,
    { database: values.database, workGroup: values.workgroup },
    watch.signal,
  );
  if (values.instance !== undefined && deployed !== undefined && !deployed.includes(values.instance)) {
    // Not "the lake holds no instance": a name dropped from cdk.json keeps its objects in the bucket.
    throw new Error(
      `the stack behind ${where} deploys no instance "${values.instance}"; it deploys: ${deployed.join(', ')} (${instanceSuggestion(values.instance, deployed, '--database')}). An instance removed from cdk.json is no longer in its tables, though its objects stay in the bucket`,
    );
  }
  const instance =
    deployed === undefined
      ? (values.instance ?? DEFAULT_INSTANCE)
      : chooseInstance(where, values.instance, deployed, {
          access: 'read',
          everyInstance: options.everyInstance === true,
        });
  const engine = new AthenaQueryEngine({
    client,
    workGroup: values.workgroup,
    database: values.database,
    ...(watch.onStop ? { onStop: watch.onStop } : {}),
    ...(watch.onRunning ? { onRunning: watch.onRunning } : {}),
    ...(timeoutAdvice ? { timeoutAdvice } : {}),
    ...rowLimits(options),
  });
  return {
    engine,
    where,
    instance,
    severalInstances: (deployed?.length ?? 0) > 1,
    ...(resolvedRegion ? { region: resolvedRegion } : {}),
  };
}

/**
 * `--region` checked, or undefined to let the SDK find one. An empty value (a script's unset
 * `$REGION`) is refused rather than taken as absent: the script meant a region, and the one
 * AWS_REGION or the profile gives may not be the stack's.
 */
function athenaRegion(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') {
    throw new UsageError('--region is empty: leave it out to use AWS_REGION or your AWS profile');
  }
  return optionValue('--region', value, awsRegion);
}

/** The CLI's Athena client: `region` when given, else the environment's; bounded network waits. */
export const newAthenaClient = (region: string | undefined, bounds: SdkHttpBounds = SDK_HTTP_BOUNDS) =>
  new AthenaClient({ ...(region ? { region } : {}), requestHandler: sdkRequestHandler(bounds) });

/** The client's region; `required`: none is a usage error saying how to give one. */
async function regionOf(client: AthenaClient, required: boolean): Promise<string | undefined> {
  try {
    const region = await client.config.region();
    if (region) return region;
  } catch {
    // The SDK says "Region is missing" without saying how to set it.
  }
  if (!required) return undefined;
  throw new UsageError(
    "--athena needs an AWS region: pass --region <the stack's region> or export AWS_REGION",
  );
}
