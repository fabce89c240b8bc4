import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDemoLake } from '../../functions/cli/demo-lake.ts';

describe('isDemoLake', () => {
  it('knows a demo lake by the marker file earlier releases wrote too, and nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'demo-lake-'));
    try {
      expect(isDemoLake(dir)).toBe(false);
      await writeFile(join(dir, '.demo'), '');
      expect(isDemoLake(dir)).toBe(false);
      // The name is on the disks of existing demo lakes: renamed, `demo` would refuse to replace
      // them and `ingest` would write real pulls into them.
      await writeFile(join(dir, '.domo-activity-lake-demo'), '');
      expect(isDemoLake(dir)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
