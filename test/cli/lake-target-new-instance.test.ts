import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLakeTarget, parseLakeOption } from '../../functions/cli/lake-target.ts';

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-lake-target-'));
  lake = join(dir, 'lake');
  await mkdir(join(lake, 'state', 'instance=main'), { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('an instance the lake does not hold yet', () => {
  it('is accepted for writing: an ingest adds a second instance to a lake', async () => {
    const target = await openLakeTarget(parseLakeOption(lake), 'acme', { access: 'write' });
    expect(target.instance).toBe('acme');
    expect(target.instances).toEqual(['main']);
  });

  it('is refused for reading, naming the instances the lake holds', async () => {
    await expect(openLakeTarget(parseLakeOption(lake), 'acme', { access: 'read' })).rejects.toThrow(
      `the lake at ${lake} holds no instance "acme"; it holds: main (none is near "acme": check the name, and --lake)`,
    );
  });
});
