import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLakeTarget } from '../../functions/cli/lake-target.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-lake-file-'));
  file = join(dir, 'lake.txt');
  await writeFile(file, 'not a lake');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a file given as the lake to write', () => {
  it('is a usage error (exit 2) saying to pass a directory', async () => {
    const error = await openLakeTarget(file, undefined, { access: 'write' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      `--lake ${file} is a file, not a directory: pass a directory (it is created if missing)`,
    );
  });
});
