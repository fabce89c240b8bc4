import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LakeSpec } from '../../functions/adapters/lake-location.ts';
import { STACK_NAME_DEFAULT, stackRetiredInstances } from '../../functions/cli/stack-retired-instances.ts';
import { DEFAULT_STACK_NAME } from '../../infra/account-wide-names.ts';
import { dirPerTest } from '../support/dir-per-test.ts';

const GENERATED = 'domoactivitylake-storagelake1a2b3c4d-5e6f7g8h9i0j';
const s3 = (bucket: string, prefix = ''): LakeSpec => ({ kind: 's3', bucket, prefix });

describe('stackRetiredInstances', () => {
  let dir = '';
  dirPerTest('stack-retired-', (made) => {
    dir = made;
  });
  const file = (name: string, text: string) => writeFile(join(dir, name), text).then(() => join(dir, name));
  const config = (activityLake: unknown) => JSON.stringify({ context: { activityLake } });
  const names = async (activityLake: unknown, lake: LakeSpec = s3(GENERATED)) =>
    stackRetiredInstances(lake, 'there', await file('cdk.json', config(activityLake))).names;

  it("reads cdk.json's retiredInstances, and nothing from a file that is missing or not a config", async () => {
    expect(await names({ retiredInstances: ['globex', 'hooli'] })).toEqual(['globex', 'hooli']);
    // Synth refuses a name that is not text: status leaves it out rather than failing on it.
    expect(await names({ retiredInstances: ['globex', 7] })).toEqual(['globex']);
    expect(await names({ instances: [{ name: 'main' }] })).toEqual([]);
    // Still in instances, it still runs (synth refuses the pair): its lag stays counted.
    expect(
      await names({ instances: [{ name: 'acme' }, null], retiredInstances: ['acme', 'globex'] }),
    ).toEqual(['globex']);
    const lake = s3(GENERATED);
    expect(stackRetiredInstances(lake, 'x', await file('d.json', '{ not json'))).toEqual({
      names: [],
      leftOut: [],
      notApplied: null,
    });
    expect(stackRetiredInstances(lake, 'x', await file('e.json', 'null')).names).toEqual([]);
    expect(stackRetiredInstances(lake, 'x', join(dir, 'missing.json')).names).toEqual([]);
  });

  it('applies the list only to the lake the file deploys, and says when it does not', async () => {
    const retiredInstances = ['globex'];
    // The bucket CloudFormation names after the stack (the default stack name, or the file's).
    expect(await names({ retiredInstances })).toEqual(['globex']);
    expect(
      await names({ stackName: 'LakeEU', retiredInstances }, s3('lakeeu-storagelake9f8e7d6c-abc')),
    ).toEqual(['globex']);
    expect(await names({ stackName: 'LakeEU', retiredInstances })).toEqual([]);
    // Another stack whose name starts like this one's.
    expect(await names({ retiredInstances }, s3('domoactivitylakestaging-storagelake1a2b3c4d-x'))).toEqual(
      [],
    );
    // A kept lake: that bucket, and no other.
    const adoptLake = { bucketName: 'kept-lake' };
    expect(await names({ adoptLake, retiredInstances }, s3('kept-lake'))).toEqual(['globex']);
    expect(await names({ adoptLake, retiredInstances })).toEqual([]);
    // Under a prefix, or on disk: not where the stack's functions write.
    expect(await names({ retiredInstances }, s3(GENERATED, 'lake'))).toEqual([]);
    expect(await names({ retiredInstances }, { kind: 'fs', dir: './lake' })).toEqual([]);
    const cdk = await file('cdk.json', config({ retiredInstances: ['globex', 'hooli'] }));
    expect(stackRetiredInstances({ kind: 'fs', dir: './lake' }, './lake', cdk).notApplied).toBe(
      `${cdk}'s retiredInstances (globex, hooli) not applied: ./lake is not the lake it deploys (s3://domoactivitylake-storagelake…); to count them retired here, pass --retired globex,hooli`,
    );
    // Nothing to leave out, nothing to say: the shipped cdk.json beside the demo's lake.
    expect(
      stackRetiredInstances({ kind: 'fs', dir: './lake' }, './lake', await file('s.json', config({})))
        .notApplied,
    ).toBeNull();
  });

  it("takes the stack's default name as synth does", () => {
    expect(STACK_NAME_DEFAULT).toBe(DEFAULT_STACK_NAME);
  });
});
