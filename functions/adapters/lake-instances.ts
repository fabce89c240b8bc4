import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { isInstanceName, TABLE_PREFIXES } from '../core/lake/layout.ts';
import type { LakeSpec } from './lake-location.ts';
import { s3Failure } from './s3-failure.ts';

// An empty name too (`instance=/`): a stray folder, which DuckDB's `instance=*` reads all the same.
const INSTANCE_SEGMENT = /^instance=([^/]*)\/?$/;

const instanceOf = (segment: string): string | undefined => INSTANCE_SEGMENT.exec(segment)?.[1];

async function fsChildren(dir: string, files = false): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => (files ? e.isFile() : e.isDirectory()))
      .map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** One level of `prefix` (Delimiter): its folders' and its files' names. */
async function s3Level(
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ folders: string[]; files: string[] }> {
  const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const folders: string[] = [];
  const files: string[] = [];
  let token: string | undefined;
  do {
    // One "folder" level only (Delimiter): a year of hours is never listed just to name instances.
    const page = await client
      .send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          Delimiter: '/',
          ContinuationToken: token,
        }),
      )
      .catch((error: unknown) => {
        throw s3Failure('ListObjectsV2', `s3://${bucket}/${prefix}`, bucket, prefix, error);
      });
    for (const common of page.CommonPrefixes ?? []) folders.push((common.Prefix ?? '').slice(prefix.length));
    for (const object of page.Contents ?? []) files.push((object.Key ?? '').slice(prefix.length));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { folders, files };
}

/** What a lake's folders say of its instances. */
interface LakeInstanceFolders {
  /** The instances it holds, sorted. */
  instances: string[];
  /**
   * `instance=<name>/` folders whose name no instance can have (`activity_log/instance=Main/`):
   * `verify` fails on them and no instance's query reads them, while a local query over every
   * instance reads what they hold, under the folder's own name.
   */
  strayFolders: string[];
  /**
   * Names whose only trace is a `state/instance=<name>/` folder holding a run's `last-run.json`,
   * which says the run failed and wrote no event, and neither a checkpoint nor a customer binding,
   * and no `digest/instance=<name>/` folder: a run refused or failed before it stored anything (a
   * mistyped `--instance`, wrong credentials). Not instances: see {@link lakeInstances}.
   */
  failedRunsOnly: string[];
}

/**
 * The instances a lake holds: any `instance=<name>` folder with a valid name under `activity_log/`,
 * `coverage/` or `state/`, and the folders there whose name is none; a `state/` folder alone holding
 * only a failed run's record is no instance (`failedRunsOnly`) unless `digest/` holds a folder of
 * that name (a chain: an ingest of it ran). One listing per folder; for names found in `state/`
 * alone, one of `digest/`, and one listing and one read of the run record per name.
 */
export async function lakeInstances(spec: LakeSpec, s3Client?: S3Client): Promise<LakeInstanceFolders> {
  const found = new Set<string>();
  const strayFolders: string[] = [];
  for (const folder of ['activity_log', 'coverage'] as const) {
    classifyInstanceFolders(folder, await childrenOf(spec, folder, s3Client), found, strayFolders);
  }
  const inState = new Set<string>();
  classifyInstanceFolders(
    STATE_FOLDER,
    await childrenOf(spec, STATE_FOLDER, s3Client),
    inState,
    strayFolders,
  );
  const stateOnly = [...inState].filter((n) => !found.has(n));
  const digested = new Set<string>();
  if (stateOnly.length > 0)
    classifyInstanceFolders(DIGEST_FOLDER, await childrenOf(spec, DIGEST_FOLDER, s3Client), digested, []);
  const failedRunsOnly: string[] = [];
  for (const name of stateOnly) {
    const folder = `${STATE_FOLDER}/instance=${name}`;
    const failedOnly =
      !digested.has(name) &&
      holdsOnlyARunRecord(await filesOf(spec, folder, s3Client)) &&
      (await recordsAFailedRunOnly(spec, `${folder}/last-run.json`, s3Client));
    if (failedOnly) failedRunsOnly.push(name);
    else found.add(name);
  }
  return {
    instances: [...found].sort(),
    strayFolders: strayFolders.sort(),
    failedRunsOnly: failedRunsOnly.sort(),
  };
}

const STATE_FOLDER = 'state';

/**
 * Whether a state folder holds a run's record and nothing that makes an instance real (a checkpoint:
 * an hour done; a customer binding: a page read). A run under a mistyped name, refused by the
 * binding or by Domo before it stored anything, must not add an instance every command then asks
 * for, or that `status` shows late forever (review R-MULTI M1). An empty folder still counts, as
 * before: it holds no sign of a failed run.
 */
const holdsOnlyARunRecord = (files: readonly string[]): boolean =>
  files.includes('last-run.json') &&
  !files.includes('checkpoint.json') &&
  !files.includes('domo-customer.json');

/** The quarantine table's `instance=` folders no instance's check reads ({@link quarantineInstanceFolders}). */
interface QuarantineInstanceFolders {
  /** Of a name no instance can have. */
  strayFolders: string[];
  /** Of a name with no events, manifest, checkpoint or digest folder: put there, as no ingest ran. */
  withoutTables: string[];
  /**
   * Of a name with no events, manifest or checkpoint folder but a digest folder: an ingest of that
   * instance ran (it writes its genesis digest first), and its first run was interrupted before its
   * first manifest, every entry of its first hours set aside, or still runs.
   */
  firstIngests: string[];
}

/**
 * The `instance=<name>/` folders of the quarantine table that {@link lakeInstances} does not read
 * (it names instances by their events, manifests and checkpoint): each of a name no instance can
 * have (`strayFolders`), and each of a name `instances` does not hold: `firstIngests` when a
 * `digest/instance=<name>/` folder says an ingest of it ran, else `withoutTables`. A local query of
 * the quarantine table over every instance reads them all, while no instance's check lists them.
 * One delimited listing of `quarantine/` (a LIST per 1,000 instance folders on S3), which only
 * verify makes, and one of `digest/` only when there is a folder of a name `instances` does not hold.
 */
export async function quarantineInstanceFolders(
  spec: LakeSpec,
  instances: readonly string[],
  s3Client?: S3Client,
): Promise<QuarantineInstanceFolders> {
  const found = new Set<string>();
  const strayFolders: string[] = [];
  classifyInstanceFolders(
    QUARANTINE_FOLDER,
    await childrenOf(spec, QUARANTINE_FOLDER, s3Client),
    found,
    strayFolders,
  );
  const unknown = [...found].filter((name) => !instances.includes(name)).sort();
  const digested = new Set<string>();
  if (unknown.length > 0)
    classifyInstanceFolders(DIGEST_FOLDER, await childrenOf(spec, DIGEST_FOLDER, s3Client), digested, []);
  const folder = (name: string) => `${QUARANTINE_FOLDER}/instance=${name}/`;
  return {
    strayFolders: strayFolders.sort(),
    withoutTables: unknown.filter((name) => !digested.has(name)).map(folder),
    firstIngests: unknown.filter((name) => digested.has(name)).map(folder),
  };
}

const DIGEST_FOLDER = 'digest';

/** The names of the `digest/instance=<name>/` folders (the chains) of a lake: one delimited listing. */
export async function digestChainNames(spec: LakeSpec, s3Client?: S3Client): Promise<string[]> {
  const names = new Set<string>();
  classifyInstanceFolders(DIGEST_FOLDER, await childrenOf(spec, DIGEST_FOLDER, s3Client), names, []);
  return [...names].sort();
}

/**
 * What lies in `digest/` outside the chains' `instance=<name>/` folders: files there
 * (`digest/0000000001.json`), and folders of a name no instance can have
 * (`digest/instance=main.old/`, `digest/old/`). No chain reads or vouches for them, and the check
 * of each chain lists only its own folder, so a digest copied or moved beside the chains passed
 * every check, while the same stray in a table folder fails verify (review R-SECOND5 L4). One
 * delimited listing.
 */
export async function digestFolderStrays(spec: LakeSpec, s3Client?: S3Client): Promise<DigestFolders> {
  const { folders, files } =
    spec.kind === 'fs'
      ? {
          folders: await fsChildren(join(spec.dir, DIGEST_FOLDER)),
          files: await fsChildren(join(spec.dir, DIGEST_FOLDER), true),
        }
      : await s3Level(s3Client ?? missingClient(), spec.bucket, s3PrefixOf(spec, DIGEST_FOLDER));
  const names = folders.map((folder) => folder.replace(/\/$/, ''));
  const strayFolders = names
    .filter((folder) => !isInstanceName(instanceOf(folder) ?? ''))
    .map((folder) => `${DIGEST_FOLDER}/${folder}/`);
  const chains = names.flatMap((folder) => {
    const name = instanceOf(folder);
    return name !== undefined && isInstanceName(name) ? [name] : [];
  });
  return { strays: [...strayFolders, ...files.map((file) => `${DIGEST_FOLDER}/${file}`)].sort(), chains };
}

/** What `digest/` holds: its strays ({@link digestFolderStrays}), and the names of its chains. */
interface DigestFolders {
  strays: string[];
  chains: string[];
}

/**
 * The chains (`digest/instance=<name>/`) of names the lake holds no instance of (`instances`, by
 * their events, manifests and checkpoint): no check reads them, since `verify --instance` takes
 * only an instance's name. A chain copied beside its own under a valid name (`instance=mainbak`)
 * passed every check unseen (review R-SECOND7 L1); a first ingest interrupted after its genesis
 * digest leaves one too, so they are named, not failed on. `named` (the interrupted first ingests
 * the quarantine folder already names) are left out.
 */
export const chainsWithoutInstance = (
  chains: readonly string[],
  instances: readonly string[],
  named: readonly string[],
): string[] =>
  chains
    .filter((name) => !instances.includes(name) && !named.includes(name))
    .sort()
    .map((name) => `${DIGEST_FOLDER}/instance=${name}/`);

const QUARANTINE_FOLDER = TABLE_PREFIXES.quarantine;

const s3PrefixOf = (spec: LakeSpec & { kind: 's3' }, folder: string): string =>
  `${spec.prefix === '' ? '' : `${spec.prefix}/`}${folder}/`;

/** The names of the folders in `folder` of the lake (one level). */
function childrenOf(spec: LakeSpec, folder: string, s3Client: S3Client | undefined): Promise<string[]> {
  return spec.kind === 'fs'
    ? fsChildren(join(spec.dir, folder))
    : s3Level(s3Client ?? missingClient(), spec.bucket, s3PrefixOf(spec, folder)).then(
        (level) => level.folders,
      );
}

/**
 * Whether the run record at `key` says a run failed having written no event, and is not the deployed
 * ingest function's (`trigger` "schedule"). The deployed function's instance is one the stack
 * configures, however its runs fail (a wrong secret from the first run, a client another instance
 * is bound to), and `status` must list it. A record of a run that wrote events is an instance's whose
 * tables are gone (deleted, or moved): taken for a typo, verify would refuse the name instead of
 * naming every object its chain lists and the lake lacks (review revid4 M1). A record that cannot be
 * read or parsed is none either: the name stays an instance, as before.
 */
async function recordsAFailedRunOnly(
  spec: LakeSpec,
  key: string,
  s3Client: S3Client | undefined,
): Promise<boolean> {
  try {
    const text =
      spec.kind === 'fs'
        ? await readFile(join(spec.dir, key), 'utf8')
        : await s3Text(
            s3Client ?? missingClient(),
            spec.bucket,
            spec.prefix === '' ? key : `${spec.prefix}/${key}`,
          );
    const record = JSON.parse(text) as {
      outcome?: unknown;
      events_written?: unknown;
      trigger?: unknown;
    } | null;
    return record?.outcome === 'failed' && record.events_written === 0 && record.trigger !== 'schedule';
  } catch {
    return false;
  }
}

async function s3Text(client: S3Client, bucket: string, key: string): Promise<string> {
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await answer.Body?.transformToString('utf8')) ?? '';
}

/** The names of the files directly in `folder` of the lake (one listing; a state folder holds a few). */
async function filesOf(spec: LakeSpec, folder: string, s3Client: S3Client | undefined): Promise<string[]> {
  if (spec.kind === 'fs') return fsChildren(join(spec.dir, folder), true);
  return (await s3Level(s3Client ?? missingClient(), spec.bucket, s3PrefixOf(spec, folder))).files;
}

/** Each `instance=<name>` child of `folder`: an instance, or a stray folder when no instance has that name. */
function classifyInstanceFolders(
  folder: string,
  children: readonly string[],
  found: Set<string>,
  stray: string[],
): void {
  for (const child of children) {
    const name = instanceOf(child);
    if (name === undefined) continue;
    if (isInstanceName(name)) found.add(name);
    else stray.push(`${folder}/instance=${name}/`);
  }
}

function missingClient(): never {
  throw new Error('lakeInstances: an s3:// lake needs an S3 client');
}
