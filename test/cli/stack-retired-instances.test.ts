import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stackRetiredInstances } from '../../functions/cli/stack-retired-instances.ts';
import { dirPerTest } from '../support/dir-per-test.ts';

describe('stackRetiredInstances', () => {
  let dir = '';
  dirPerTest('stack-retired-', (made) => {
    dir = made;
  });

  it("reads cdk.json's retiredInstances, and nothing from a file that is missing or not a config", async () => {
    const file = (name: string, text: string) => writeFile(join(dir, name), text).then(() => join(dir, name));
    const config = (activityLake: unknown) => JSON.stringify({ context: { activityLake } });
    expect(
      stackRetiredInstances(await file('a.json', config({ retiredInstances: ['globex', 'hooli'] }))),
    ).toEqual(['globex', 'hooli']);
    // Synth refuses a name that is not text: status leaves it out rather than failing on it.
    expect(stackRetiredInstances(await file('b.json', config({ retiredInstances: ['globex', 7] })))).toEqual([
      'globex',
    ]);
    expect(stackRetiredInstances(await file('c.json', config({ instances: [{ name: 'main' }] })))).toEqual(
      [],
    );
    // Still in instances, it still runs (synth refuses the pair): its lag stays counted.
    expect(
      stackRetiredInstances(
        await file(
          'f.json',
          config({ instances: [{ name: 'acme' }, null], retiredInstances: ['acme', 'globex'] }),
        ),
      ),
    ).toEqual(['globex']);
    expect(stackRetiredInstances(await file('d.json', '{ not json'))).toEqual([]);
    expect(stackRetiredInstances(await file('e.json', 'null'))).toEqual([]);
    expect(stackRetiredInstances(join(dir, 'missing.json'))).toEqual([]);
  });
});
