import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { TODAY_START, todayLake, verifyAt } from '../support/verify-today-lake.ts';

// Review R-SECOND7 L1: a chain copied beside its own under a valid, unused instance name passed
// verify unseen: only names no instance can have were reported.

const NOW = TODAY_START + DAY_MS;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-chain-without-instance-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('a digest chain of a name the lake holds no instance of', () => {
  it('is named, not failed on', async () => {
    const lake = join(dir, 'lake');
    await todayLake(lake, { maxDays: 400 });
    const clean = await verifyAt(lake, NOW, ['--integrity', '--json']);
    expect(JSON.parse(clean.stdout).chainsWithoutInstance).toBeUndefined();
    await cp(join(lake, 'digest/instance=acme'), join(lake, 'digest/instance=acmebak'), { recursive: true });
    const json = await verifyAt(lake, NOW, ['--integrity', '--json', '--instance', 'acme']);
    expect(json.code, json.stdout).toBe(clean.code);
    expect(JSON.parse(json.stdout).chainsWithoutInstance).toEqual(['digest/instance=acmebak/']);
    const text = await verifyAt(lake, NOW, ['--integrity', '--instance', 'acme']);
    expect(text.stdout).toContain('digest/instance=acmebak/ is a digest chain of an instance "acmebak"');
  });
});
