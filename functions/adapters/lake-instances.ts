import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { LakeSpec } from './lake-location.ts';
import { s3Failure } from './s3-failure.ts';

/** The top-level folders whose `instance=<name>/` children say which instances a lake holds. */
const INSTANCE_FOLDERS = ['activity_log', 'coverage', 'state'] as const;
const INSTANCE_SEGMENT = /^instance=([^/]+)\/?$/;

const instanceOf = (segment: string): string | undefined => INSTANCE_SEGMENT.exec(segment)?.[1];

async function fsChildren(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function s3Children(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const names: string[] = [];
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
    for (const common of page.CommonPrefixes ?? []) names.push((common.Prefix ?? '').slice(prefix.length));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return names;
}

/**
 * The instances a lake holds (sorted): any `instance=<name>` folder under `activity_log/`,
 * `coverage/` or `state/`. Reads folder names only, so it needs nothing but list access.
 */
export async function lakeInstances(spec: LakeSpec, s3Client?: S3Client): Promise<string[]> {
  const found = new Set<string>();
  for (const folder of INSTANCE_FOLDERS) {
    const children =
      spec.kind === 'fs'
        ? await fsChildren(join(spec.dir, folder))
        : await s3Children(
            s3Client ?? missingClient(),
            spec.bucket,
            `${spec.prefix === '' ? '' : `${spec.prefix}/`}${folder}/`,
          );
    for (const child of children) {
      const name = instanceOf(child);
      if (name) found.add(name);
    }
  }
  return [...found].sort();
}

function missingClient(): never {
  throw new Error('lakeInstances: an s3:// lake needs an S3 client');
}
