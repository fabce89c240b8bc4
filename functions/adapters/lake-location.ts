import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { errorMessage } from '../core/error-message.ts';
import type { ObjectStore } from '../core/ports.ts';
import { assertBucketName } from './bucket-name.ts';
import { FsObjectStore, type FsObjectStoreOptions } from './fs-store.ts';
import { CLI_S3_HTTP_BOUNDS, type SdkHttpBounds, sdkRequestHandler } from './sdk-http.ts';

/** Where a lake lives, parsed from `--lake` (or the Lambda's configuration). */
export type LakeSpec = { kind: 'fs'; dir: string } | { kind: 's3'; bucket: string; prefix: string };

interface OpenLakeOptions {
  /** Client for an `s3://` lake; default: a client from the environment's region and credentials. */
  s3Client?: S3Client;
  /** For a directory lake: where its lock waits and broken locks are told (see FsObjectStore). */
  onLockNotice?: FsObjectStoreOptions['onLockNotice'];
}

export const DEFAULT_LAKE = './lake';

const usage = 'use a directory path (default ./lake) or s3://bucket/prefix';

/**
 * `~name/…`: a shell's way of writing `name`'s home directory (a POSIX user name, then a slash;
 * or a backslash, as typed on Windows).
 */
const USER_HOME = /^~([A-Za-z_][A-Za-z0-9._-]*\$?)[/\\]/;

/**
 * Why no shell expanded it: `~\` is Windows' spelling, whose shells (PowerShell for a native
 * command, cmd) never expand a `~` (review R-WINOPS M6: `--lake ~\lake` made a folder `~` in the
 * checkout, which .gitignore does not cover).
 */
const notExpandedBecause = (path: string): string =>
  /^~[^/]*\\/.test(path)
    ? 'PowerShell and cmd do not expand it'
    : 'it was quoted, or came from a crontab, a unit file or YAML';

/**
 * Why a directory path cannot be meant as written, if it starts with `~/` or `~\`, is `~`, or
 * starts with `~name/` or `~name\`: only a shell expands those, and not in quotes, a crontab, a
 * systemd unit or YAML, where they would make a folder literally named `~` (or `~name`) in the
 * working directory. A bare
 * `~name` without a slash is left alone: a folder may be called that.
 */
export function unexpandedHomeReason(path: string): string | undefined {
  const unexpanded = (folder: string, full: string) =>
    `the shell did not expand its leading ~ (${notExpandedBecause(path)}), so it names a folder "${folder}" in the working directory: write the full path, ${full}`;
  if (path === '~' || path.startsWith('~/') || path.startsWith('~\\'))
    return unexpanded('~', join(homedir(), path.slice(1)));
  const user = USER_HOME.exec(path)?.[1];
  if (user === undefined) return undefined;
  const rest = path.slice(user.length + 2);
  // Only the current user's home is known without reading the user database.
  return unexpanded(
    `~${user}`,
    user === currentUser() ? join(homedir(), rest) : `the home directory of ${user} followed by /${rest}`,
  );
}

/** The name of the user running the CLI; undefined where the platform has none to give. */
function currentUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

/** Parses a lake location: a directory path, or `s3://bucket[/prefix]`. Throws a fix-it message otherwise. */
export function parseLakeSpec(spec: string): LakeSpec {
  const text = spec.trim();
  if (text === '') throw new Error(`the lake location is empty: ${usage}`);
  const home = unexpandedHomeReason(text);
  if (home) throw new Error(home);
  if (/^s3:\/\//i.test(text)) return parseS3Spec(spec, text.slice('s3://'.length));
  if (/^s3:/i.test(text)) throw new Error(`"${spec}" is a malformed S3 URI: write s3://bucket/prefix`);
  // Any other URI scheme (http://, s3a://, file://) or an ARN: a directory named like that is far
  // less likely than a mistake. Single letters are left alone (Windows drive letters).
  const scheme = /^([a-z][a-z0-9+.-]+):\/\//i.exec(text)?.[1] ?? (/^arn:/i.test(text) ? 'arn' : undefined);
  if (scheme) throw new Error(`unsupported lake location "${spec}" (${scheme}): ${usage}`);
  return { kind: 'fs', dir: text };
}

/** `s3://bucket[/prefix]`, given what follows `s3://`. */
function parseS3Spec(spec: string, rest: string): LakeSpec {
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  if (bucket === '') throw new Error(`"${spec}" names no bucket: ${usage}`);
  try {
    assertBucketName(bucket);
  } catch (error) {
    throw new Error(`lake location "${spec}": ${errorMessage(error)}`, { cause: error });
  }
  if (
    prefix !== '' &&
    prefix.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')
  ) {
    throw new Error(`lake location "${spec}" has an empty, "." or ".." segment in its prefix: ${usage}`);
  }
  return { kind: 's3', bucket, prefix };
}

/**
 * Opens the lake at `spec` (directory or `s3://bucket/prefix`) as an {@link ObjectStore}. The S3
 * SDK is loaded only for an S3 lake: ~320 KB of the CLI's bundle that a local lake never runs.
 */
export function openLake(spec: string = DEFAULT_LAKE, options: OpenLakeOptions = {}): Promise<ObjectStore> {
  return openLakeAt(parseLakeSpec(spec), options);
}

/** {@link openLake} of a location parsed already (the CLI parses `--lake` once, for its checks). */
export async function openLakeAt(parsed: LakeSpec, options: OpenLakeOptions = {}): Promise<ObjectStore> {
  if (parsed.kind === 'fs') return new FsObjectStore(parsed.dir, { onLockNotice: options.onLockNotice });
  const [client, { S3ObjectStore }] = await Promise.all([
    options.s3Client ?? newS3Client(),
    import('./s3-store.ts'),
  ]);
  return new S3ObjectStore({ client, bucket: parsed.bucket, prefix: parsed.prefix });
}

/**
 * An S3 client from the environment's region and credentials, loading the SDK on first use. It
 * follows redirects, so a bucket in another region than the environment's still works, and bounds
 * each attempt's wait on the network ({@link CLI_S3_HTTP_BOUNDS}: a CLI on a slow link uploads).
 */
export async function newS3Client(bounds: SdkHttpBounds = CLI_S3_HTTP_BOUNDS): Promise<S3Client> {
  const { S3Client } = await import('@aws-sdk/client-s3');
  return new S3Client({ followRegionRedirects: true, requestHandler: sdkRequestHandler(bounds) });
}
