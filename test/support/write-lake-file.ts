import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Writes `body` at `key` under `dir`, making its folders: how the fixtures lay a lake out on disk
 * for DuckDB. Synchronous on purpose: a month of hours is ~1,000 small files, and each awaited
 * mkdir and writeFile is a trip through libuv's thread pool; one after the other they took ~0.17
 * CPU-s a lake against ~0.03 written synchronously. Plain writes, not the lake's store (no temp
 * file, fsync or lock): what the queries read is the same.
 */
export function writeLakeFile(dir: string, key: string, body: Uint8Array): void {
  const file = join(dir, key);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, body);
}

/** Every object of a memory store laid out under `dir` by its key (see {@link writeLakeFile}). */
export function writeLakeObjects(dir: string, objects: Iterable<[string, { body: Uint8Array }]>): void {
  for (const [key, object] of objects) writeLakeFile(dir, key, object.body);
}
