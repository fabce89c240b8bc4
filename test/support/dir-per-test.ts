import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/**
 * A new empty folder for each test of the file, named `<prefix>…` in the temporary folder and
 * removed after the test: `made` hears it first (to open a store there, or build a lake in it), so
 * each test starts on its own lake whatever the one before it left.
 */
export function dirPerTest(prefix: string, made: (dir: string) => void | Promise<void>): void {
  let dir: string | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    await made(dir);
  });
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
}

/** A string's UTF-8 bytes, as a store takes a body. */
export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
