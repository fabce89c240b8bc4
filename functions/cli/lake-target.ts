import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { digestChainNames, lakeInstances } from '../adapters/lake-instances.ts';
import { type LakeSpec, newS3Client, openLakeAt, parseLakeSpec } from '../adapters/lake-location.ts';
import { INGEST_FOLDERS } from '../core/lake/layout.ts';
import type { ObjectStore } from '../core/ports.ts';
import { fileOnPath } from './file-on-path.ts';
import { inspectLakeDirectory, listFound } from './lake-directory.ts';
import { exampleKeys, inspectLakePrefix } from './lake-prefix.ts';
import { instanceOption, instanceSuggestion } from './nearest-instance.ts';
import { optionValue } from './options.ts';
import { firstRunOnlyMessage } from './stopped-run.ts';
import { UsageError } from './usage-error.ts';
import { assertLakeWritable, type DirectoryWriteAccess } from './writable-lake.ts';

/**
 * The instance name a new lake gets when no `--instance` is given: the same name as the deployed
 * stack's default instance (cdk.json), so the runbook's commands read both without extra flags.
 */
export const DEFAULT_INSTANCE = 'main';

/** A lake the command will read (it must exist and hold the instance) or write (it may be new). */
type LakeAccess = 'read' | 'write';

export interface LakeTarget {
  spec: LakeSpec;
  store: ObjectStore;
  instance: string;
  /** Every instance the lake held when it was opened. */
  instances: string[];
  /** Its `instance=` folders of a name no instance can have (see `lakeInstances`). */
  strayInstanceFolders: string[];
  /** For S3 lakes: the client the store uses (already checked to have a region). */
  s3Client?: S3Client;
}

/** `--lake` as typed (for messages) and as parsed: parsed once, and handed on to every check. */
export interface LakeOption {
  value: string;
  spec: LakeSpec;
}

/** `--lake`, parsed; a value that names no lake is a usage error naming the flag. */
export function parseLakeOption(value: string): LakeOption {
  return { value, spec: optionValue('--lake', value, parseLakeSpec) };
}

interface LakeTargetOptions {
  access: LakeAccess;
  /** Without --instance, several instances are fine (the command covers them all). */
  everyInstance?: boolean;
  /** Injected by tests; default: a client from the environment's region and credentials. */
  s3Client?: S3Client;
  /** For a directory lake: where its lock waits and broken locks are told. */
  onLockNotice?: (line: string) => void;
  /** Injected by tests (which run as root, whom no permission stops); default: `access(2)`. */
  directoryWriteAccess?: (dir: string) => Promise<DirectoryWriteAccess>;
}

/**
 * Opens `--lake`, parsed by the command ({@link parseLakeOption}: once, beside its other options), refusing wrong targets before any
 * work starts: a missing directory, a file, a folder that holds no lake, or an instance the lake
 * does not hold is an error (exit 1) naming the instances it does hold. Without `--instance`, the
 * lake's only instance is used. For writing, a directory must be missing, empty or a lake already,
 * and an S3 prefix empty or a lake (a usage error otherwise); an existing directory must also be
 * writable by this user (an error otherwise).
 */
export async function openLakeTarget(
  lakeOption: LakeOption,
  instance: string | undefined,
  options: LakeTargetOptions,
): Promise<LakeTarget> {
  const { value: lake, spec } = lakeOption;
  if (instance !== undefined) optionValue('--instance', instance, instanceOption);
  const where = spec.kind === 'fs' ? spec.dir : lake;
  const s3Client = spec.kind === 's3' ? await s3ClientWithRegion(lake, options.s3Client) : undefined;
  if (spec.kind === 'fs' && !(await isLakeDirectory(spec.dir, options.access))) {
    throw new Error(await noDirectoryMessage(spec));
  }
  if (spec.kind === 'fs' && options.access === 'write') await assertEmptyOrLake(spec.dir);
  const { instances, strayFolders, failedRunsOnly } = await lakeInstances(spec, s3Client);
  if (options.access === 'read') refuseFailedRunOnly(where, instance, failedRunsOnly, instances);
  if (options.access === 'read' && instances.length === 0) {
    throw new Error(await notALake(spec, where, failedRunsOnly, s3Client));
  }
  const chosen = chooseInstance(where, instance, instances, options);
  if (spec.kind === 'fs' && options.access === 'write') {
    await assertLakeWritable(spec.dir, chosen, options.directoryWriteAccess);
  }
  const store = await openLakeAt(spec, { s3Client, onLockNotice: options.onLockNotice });
  if (options.access === 'write') await assertEmptyOrLakePrefix(lake, spec, instances, store);
  return {
    spec,
    store,
    instance: chosen,
    instances,
    strayInstanceFolders: strayFolders,
    ...(s3Client ? { s3Client } : {}),
  };
}

/**
 * A read of a name whose only trace is the record of a run that failed before it stored anything
 * (`failedRunsOnly` of lakeInstances): said as such, so a mistyped `--instance` of an earlier ingest
 * is recognised, with how to remove the record. Without `--instance`, the lake's instances are
 * chosen among as if the record were not there.
 */
function refuseFailedRunOnly(
  where: string,
  asked: string | undefined,
  failedRunsOnly: readonly string[],
  held: readonly string[],
): void {
  if (asked === undefined || !failedRunsOnly.includes(asked)) return;
  const holds =
    held.length === 0 ? 'no instance yet' : `instance${held.length > 1 ? 's' : ''} ${held.join(', ')}`;
  throw new Error(
    `"${asked}" is no instance of the lake at ${where}: its only trace is state/instance=${asked}/last-run.json, the record of an ingest run that failed before it stored anything (a mistyped instance name, or credentials Domo refused). The lake holds ${holds}. That record is ignored; remove state/instance=${asked}/ if the name was a typo`,
  );
}

/** Why a lake read finds no directory at all at `spec`. */
async function noDirectoryMessage(spec: LakeSpec & { kind: 'fs' }): Promise<string> {
  const absolute = fullPathOf(spec.dir);
  const shown = `${spec.dir} (${absolute === undefined ? '' : `${absolute}: `}no such directory)`;
  return (
    lakeAboveMessage(shown, await lakeAbove(spec, undefined)) ??
    `there is no lake at ${shown}: point --lake at a lake that ingest or demo wrote`
  );
}

/**
 * The full path of a relative `dir`, for messages: `npm run` starts the command in the checkout's
 * root, wherever in the checkout it was typed, so `../lake` may not be where the user thinks.
 */
const fullPathOf = (dir: string): string | undefined => (isAbsolute(dir) ? undefined : resolve(dir));

/**
 * Why a lake read finds no instance at `where`: a first run's lock alone, nothing written yet (an
 * empty folder, or a new stack's bucket whose runs skip until its secret holds the Domo client),
 * digest chains whose instances' tables and state are gone, failed runs' records alone, or no lake
 * at all.
 */
async function notALake(
  spec: LakeSpec,
  where: string,
  failedRunsOnly: readonly string[],
  s3Client: S3Client | undefined,
): Promise<string> {
  const absolute = spec.kind === 'fs' ? fullPathOf(spec.dir) : undefined;
  const shown = absolute === undefined ? where : `${where} (${absolute})`;
  const firstRun = spec.kind === 'fs' ? await firstRunOnlyMessage(spec.dir, shown) : undefined;
  return (
    firstRun ??
    lakeAboveMessage(shown, await lakeAbove(spec, s3Client)) ??
    (await nothingWrittenMessage(spec, where, shown, s3Client)) ??
    chainsOnlyMessage(shown, await digestChainNames(spec, s3Client)) ??
    failedRunsOnlyMessage(shown, failedRunsOnly) ??
    `${shown} is not a lake: it holds no activity_log/, coverage/, state/ or digest/ folder of any instance; point --lake at the lake's root`
  );
}

/**
 * A lake whose digest chains remain while their instances' tables and state are gone (deleted or
 * moved): evidence of what the lake held, which no "not a lake" must hide (review revid4 M1).
 */
const chainsOnlyMessage = (shown: string, chains: readonly string[]): string | undefined =>
  chains.length === 0
    ? undefined
    : `${shown} holds the digest chain of ${chains.map((name) => `instance ${name} (digest/instance=${name}/)`).join(', ')} but no activity_log/, coverage/ or state/ folder of any instance: the tables and state its chain lists are gone (deleted, or moved). Keep digest/ as it is (it is the record of what the lake held), and restore the lake's other folders from a copy, or point --lake at the lake's root if this is not it`;

/** A place whose only traces are failed runs' records, said as such rather than "no state/ folder". */
const failedRunsOnlyMessage = (shown: string, names: readonly string[]): string | undefined =>
  names.length === 0
    ? undefined
    : `${shown} holds no instance yet: its only traces are ${names.map((name) => `state/instance=${name}/last-run.json`).join(', ')}, the record${names.length > 1 ? 's' : ''} of ingest runs that failed before they stored anything (a mistyped instance name, or credentials Domo refused). Run ingest again once its cause is fixed`;

/** A lake above the place `--lake` named, as `--lake` would name it, and its instances. */
interface LakeAbove {
  where: string;
  instances: readonly string[];
}

/** The folders or prefixes above `spec`, nearest first, up to the root or the bucket. */
function above(spec: LakeSpec): LakeSpec[] {
  const found: LakeSpec[] = [];
  if (spec.kind === 's3') {
    const segments = spec.prefix === '' ? [] : spec.prefix.split('/');
    for (let n = segments.length - 1; n >= 0; n--)
      found.push({ kind: 's3', bucket: spec.bucket, prefix: segments.slice(0, n).join('/') });
    return found;
  }
  for (let dir = spec.dir, up = dirname(dir); up !== dir; dir = up, up = dirname(up))
    found.push({ kind: 'fs', dir: up });
  return found;
}

/**
 * The nearest lake above `spec`, if any: a typo in the last part of `--lake` (`s3://bucket/lakke`,
 * `./lake/lakke`) otherwise read as a new stack's empty bucket ("set the secret") or a missing
 * directory, far from the mistake. A prefix needs one listing per level up; one that cannot be
 * listed (a user scoped to the prefix) is passed over.
 */
async function lakeAbove(spec: LakeSpec, s3Client: S3Client | undefined): Promise<LakeAbove | undefined> {
  for (const up of above(spec)) {
    const held = await lakeInstances(up, s3Client).catch(() => undefined);
    if (held !== undefined && held.instances.length > 0)
      return {
        where: up.kind === 'fs' ? up.dir : `s3://${up.bucket}${up.prefix === '' ? '' : `/${up.prefix}`}`,
        instances: held.instances,
      };
  }
  return undefined;
}

/** What to say of `shown`, no lake, when a lake is above it. */
const lakeAboveMessage = (shown: string, found: LakeAbove | undefined): string | undefined =>
  found &&
  `there is no lake at ${shown}, but ${found.where} is a lake (instance${found.instances.length > 1 ? 's' : ''} ${found.instances.join(', ')}): point --lake at ${found.where}, the lake's root`;

/**
 * A lake nothing has written to yet, as `--lake` names it: an empty directory, or an S3 prefix
 * holding no object or only those of the stack's other functions (no ingest run's): on a new
 * stack, the runs skipped on the secret's placeholder, which write nothing. Undefined: it holds
 * something else.
 */
async function nothingWrittenMessage(
  spec: LakeSpec,
  where: string,
  shown: string,
  s3Client: S3Client | undefined,
): Promise<string | undefined> {
  if (spec.kind === 'fs') {
    if ((await inspectLakeDirectory(spec.dir)).kind !== 'empty') return undefined;
    return `${shown} is empty: no ingest or demo has written a lake there yet. Run ingest --lake ${where} (or the demo) first, or point --lake at an existing lake's root`;
  }
  const contents = await inspectLakePrefix(await openLakeAt(spec, { s3Client }));
  if (contents.kind === 'other') return undefined;
  return `no ingest run has written to the lake at ${where} yet. If the stack is new: its scheduled runs are skipped, writing nothing, until the instance's secret holds the Domo client id and secret (README, step 4); each skipped run logs "Domo credentials are not set" and counts in the SecretPlaceholder metric. Once the secret is set, the next scheduled run (within 15 minutes by default) writes the lake: run status again after it. Otherwise check --lake: the stack's LakeBucketName output, with no prefix`;
}

/**
 * The instance a command works on: the one asked for, which a lake read must hold, else the lake's
 * only one; several need `--instance`, unless the command reads every instance (`everyInstance`).
 */
export function chooseInstance(
  where: string,
  asked: string | undefined,
  held: readonly string[],
  { access, everyInstance = false }: { access: LakeAccess; everyInstance?: boolean },
): string {
  if (everyInstance && asked === undefined) return held[0] ?? DEFAULT_INSTANCE;
  if (asked !== undefined) {
    if (access === 'read' && !held.includes(asked)) {
      throw new Error(
        `the lake at ${where} holds no instance "${asked}"; it holds: ${held.join(', ')} (${instanceSuggestion(asked, held, '--lake')})`,
      );
    }
    return asked;
  }
  if (held.length > 1) {
    throw new UsageError(`the lake at ${where} holds instances ${held.join(', ')}: pass --instance <name>`);
  }
  return held[0] ?? DEFAULT_INSTANCE;
}

/** True when `dir` is a directory; false when it is missing and the command needs to read it. */
async function isLakeDirectory(dir: string, access: LakeAccess): Promise<boolean> {
  try {
    if ((await stat(dir)).isDirectory()) return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return access === 'write';
    if (code !== 'ENOTDIR') throw error;
  }
  // The file may be a folder on the way (`notes.txt/lake`): name that one, not the path as a whole.
  const file = fileOnPath(dir) ?? dir;
  const where = file === dir ? `${dir} is` : `${dir}: ${file} is`;
  if (access === 'write') {
    throw new UsageError(
      `--lake ${where} a file, not a directory: pass a directory (it is created if missing)`,
    );
  }
  throw new Error(`${where} a file, not a lake: point --lake at the lake's directory`);
}

/**
 * Refuses to write a lake into a directory that holds something else (a home directory, a project
 * folder): its folders would be scattered among the user's files, and the next command reading
 * that directory would take it for a lake.
 */
async function assertEmptyOrLake(dir: string): Promise<void> {
  const contents = await inspectLakeDirectory(dir);
  if (contents.kind !== 'other') return;
  const folders = INGEST_FOLDERS.map((folder) => `${folder}/`).join(', ');
  throw new UsageError(
    `--lake ${dir} is not empty and is not a lake (it holds ${listFound(contents.found)}): the lake's folders (${folders}) would be written among those. Pass a new or empty directory (e.g. --lake ./domo-lake), or the root of an existing lake`,
  );
}

/**
 * For an S3 lake, the same refusal for a prefix (or a whole bucket): the lake's folders would land
 * among another application's objects, and whatever reads that prefix would meet them. Judged only
 * when no instance was found, so a run into an existing lake sends no extra request, and a lake
 * whose keys sort after its owner's other objects is still recognised. A new prefix costs one
 * listing of a few keys. The ingest Lambda needs no such check: it writes into the bucket its
 * stack created for the lake.
 */
async function assertEmptyOrLakePrefix(
  lake: string,
  spec: LakeSpec,
  instances: readonly string[],
  store: ObjectStore,
): Promise<void> {
  if (spec.kind !== 's3' || instances.length > 0) return;
  const contents = await inspectLakePrefix(store);
  if (contents.kind !== 'other') return;
  const folders = INGEST_FOLDERS.map((folder) => `${folder}/`).join(', ');
  // A sibling of the prefix given (the same parent, which a prefix-scoped user may write to).
  const segments = spec.prefix === '' ? [] : spec.prefix.split('/');
  const name = segments.at(-1) === 'domo-lake' ? 'domo-activity-lake' : 'domo-lake';
  const fresh = [...segments.slice(0, -1), name].join('/');
  throw new UsageError(
    `--lake ${lake} is not empty and is not a lake (it holds ${exampleKeys(contents.found)}): the lake's folders (${folders}) would be written among those objects. Pass a prefix that holds nothing yet (e.g. --lake s3://${spec.bucket}/${fresh}), or the prefix of an existing lake (the one holding its activity_log/ and state/ folders)`,
  );
}

/**
 * An S3 client whose region is known, checked before anything else happens (an ingest would
 * otherwise pull from Domo first and fail at its first write).
 */
async function s3ClientWithRegion(lake: string, injected: S3Client | undefined): Promise<S3Client> {
  const client = injected ?? (await newS3Client());
  try {
    const region = await client.config.region();
    if (region) return client;
  } catch {
    // The SDK's own message ("Region is missing") does not say how to set it; ours does below.
  }
  throw new UsageError(
    `--lake ${lake} is in S3 but no AWS region is set: export AWS_REGION=<the stack's region> (e.g. eu-west-1), or set region in your AWS profile`,
  );
}
