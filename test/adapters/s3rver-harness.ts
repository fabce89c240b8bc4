import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';

// s3rver ships no types; this is the slice of its API the tests use.
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  /** Koa's: every error a request met, before s3rver turns it into its answer. */
  on(event: 'error', listener: (error: Error & { status?: number }) => void): unknown;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string; configs: string[] }[];
}) => S3rverServer;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

export interface LocalS3 {
  client: S3Client;
  stop(): Promise<void>;
}

/** An s3rver on 127.0.0.1 (free port, temp dir) with `bucket` created, and a client pointed at it. */
export async function startLocalS3(bucket: string): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  // s3rver answers an error of its own (not an S3 error: a file-system error, a bug) with a bare
  // 500 InternalError, and silent it logs nothing: the cause goes to the test's output, so a 500
  // that fails a test (after the client's retries) says what s3rver met.
  server.on('error', (error) => {
    if (error.status === undefined || error.status >= 500) {
      console.error(`s3rver answered 500 InternalError: ${error.stack ?? String(error)}`);
    }
  });
  const { port } = await server.run();
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    client,
    async stop() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
