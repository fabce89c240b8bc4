import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLakeTarget, parseLakeOption } from '../../functions/cli/lake-target.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';

// `report` and `alerts` parsed --lake for their --out check, then again to open it (alerts a
// third time in openLakeTarget, a fourth in openLake): the parse is now done once and handed on.

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-lake-option-'));
  lake = join(dir, 'lake');
  await mkdir(join(lake, 'state', 'instance=main'), { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--lake parsed once', () => {
  it('keeps the value as typed beside what it names', () => {
    expect(parseLakeOption(` ${lake} `)).toEqual({ value: ` ${lake} `, spec: { kind: 'fs', dir: lake } });
    expect(parseLakeOption('s3://bucket/lake/')).toEqual({
      value: 's3://bucket/lake/',
      spec: { kind: 's3', bucket: 'bucket', prefix: 'lake' },
    });
  });

  it('is refused as a usage error naming the flag', () => {
    expect(() => parseLakeOption('http://lake')).toThrow(UsageError);
    expect(() => parseLakeOption('http://lake')).toThrow(
      /^--lake "http:\/\/lake": unsupported lake location/,
    );
  });

  it('is opened as parsed, not parsed again from its text', async () => {
    const target = await openLakeTarget(
      { value: 'the lake as typed', spec: { kind: 'fs', dir: lake } },
      undefined,
      { access: 'read' },
    );
    expect(target.spec).toEqual({ kind: 'fs', dir: lake });
    expect(target.instance).toBe('main');
  });
});
