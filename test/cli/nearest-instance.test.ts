import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLakeTarget, parseLakeOption } from '../../functions/cli/lake-target.ts';
import { instanceOption, nearestInstance } from '../../functions/cli/nearest-instance.ts';

// Review R-MULTI L1: the refusal offered the first instance in order, whatever was typed.
const HELD = ['acme', 'acme-eu', 'acme_apac'];

describe('the instance a name not held most likely meant', () => {
  it('is the one spelled the same but for - and _, else a near spelling', () => {
    expect(nearestInstance('acme_eu', HELD)).toBe('acme-eu');
    expect(nearestInstance('acme-apac', HELD)).toBe('acme_apac');
    expect(nearestInstance('amce', HELD)).toBe('acme');
    expect(nearestInstance('acme-ue', HELD)).toBe('acme-eu');
  });

  it('is none when nothing is near, or two are as near', () => {
    expect(nearestInstance('main', HELD)).toBeUndefined();
    expect(nearestInstance('beta', HELD)).toBeUndefined();
    expect(nearestInstance('a-b', ['a_b', 'ab'])).toBeUndefined();
  });
});

describe("a read of a lake's instance it does not hold", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-nearest-instance-'));
    for (const name of HELD) await mkdir(join(dir, 'state', `instance=${name}`), { recursive: true });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('offers the nearest instance, or none', async () => {
    const read = (instance: string) => openLakeTarget(parseLakeOption(dir), instance, { access: 'read' });
    await expect(read('acme_eu')).rejects.toThrow(
      `the lake at ${dir} holds no instance "acme_eu"; it holds: acme, acme-eu, acme_apac (did you mean --instance acme-eu?)`,
    );
    await expect(read('main')).rejects.toThrow(
      `holds no instance "main"; it holds: acme, acme-eu, acme_apac (none is near "main": check the name, and --lake)`,
    );
  });
});

// Review MSP (2026-12-07): `--instance Acme`, a customer written as its company is, was refused with
// the naming rule alone.
describe('an --instance that is no instance name', () => {
  it('offers its lower case when that is one, before the lake is read', async () => {
    expect(instanceOption('acme-eu')).toBe('acme-eu');
    await expect(
      openLakeTarget(parseLakeOption('./no-such-lake'), 'Acme', { access: 'read' }),
    ).rejects.toThrow(
      '--instance "Acme": instance name "Acme" is not valid: use 1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit (did you mean --instance acme?)',
    );
  });

  it('offers nothing when its lower case is no name either', () => {
    expect(() => instanceOption('Acme Corp')).toThrow(/^instance name "Acme Corp" is not valid: [^(]*$/);
    expect(() => instanceOption('-acme')).toThrow(/^instance name "-acme" is not valid: [^(]*$/);
  });
});
