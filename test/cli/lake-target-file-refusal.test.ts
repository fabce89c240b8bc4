import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLakeTarget, parseLakeOption } from '../../functions/cli/lake-target.ts';
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
    const error = await openLakeTarget(parseLakeOption(file), undefined, { access: 'write' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      `--lake ${file} is a file, not a directory: pass a directory (it is created if missing)`,
    );
  });
});

describe('a lake path that goes through a file', () => {
  const refusal = (lake: string, access: 'read' | 'write') =>
    openLakeTarget(parseLakeOption(lake), undefined, { access }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

  it('names the file on the way, not the lake path, when writing (usage error)', async () => {
    const lake = join(file, 'lake');
    const error = await refusal(lake, 'write');
    expect(error).toBeInstanceOf(UsageError);
    expect(error?.message).toBe(
      `--lake ${lake}: ${file} is a file, not a directory: pass a directory (it is created if missing)`,
    );
  });

  it('names the file on the way when reading', async () => {
    const lake = join(file, 'deeper', 'lake');
    expect((await refusal(lake, 'read'))?.message).toBe(
      `${lake}: ${file} is a file, not a lake: point --lake at the lake's directory`,
    );
  });
});
