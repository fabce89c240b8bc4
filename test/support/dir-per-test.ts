import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

type Hook = typeof beforeAll;

/** A new folder made before (`before`) and removed after (`after`), `made` hearing it first. */
function dirBetween(
  prefix: string,
  made: (dir: string) => void | Promise<void>,
  before: Hook,
  after: Hook,
): void {
  let dir: string | undefined;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    await made(dir);
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
}

/**
 * A new empty folder for each test of the file, named `<prefix>…` in the temporary folder and
 * removed after the test: `made` hears it first (to open a store there, or build a lake in it), so
 * each test starts on its own lake whatever the one before it left.
 */
export function dirPerTest(prefix: string, made: (dir: string) => void | Promise<void>): void {
  dirBetween(prefix, made, beforeEach, afterEach);
}

/**
 * One new empty folder for all the tests of the file (or of the describe it is called in), named
 * `<prefix>…` in the temporary folder and removed after the last: `made` hears it first (to build
 * the lake the tests only read, or copy), so a lake slow to build is built once. The tests share
 * whatever one of them leaves there.
 */
export function dirPerFile(prefix: string, made: (dir: string) => void | Promise<void>): void {
  dirBetween(prefix, made, beforeAll, afterAll);
}

/** A string's UTF-8 bytes, as a store takes a body. */
export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
