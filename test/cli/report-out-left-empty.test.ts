import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLocalReport } from '../../functions/cli/commands/report.ts';
import type { QueryEngine } from '../../functions/core/ports.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-report-out-empty-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("report's --out while the week's queries run", () => {
  it('is not there yet, so a Ctrl-C or a failed query leaves no empty directory behind', async () => {
    const outDir = join(dir, 'new', 'out');
    const seen: boolean[] = [];
    // A query that fails, as one a signal ends the process in: what is on disk meanwhile stays.
    const engine: QueryEngine = {
      run: async () => {
        seen.push(existsSync(outDir));
        throw new Error('the query failed');
      },
    };
    const nowMs = Date.UTC(2026, 10, 30, 10);
    const written = writeLocalReport({
      engine,
      outDir,
      instance: 'main',
      timeZone: 'UTC',
      nowMs,
      from: 'a@example.com',
      to: ['b@example.com'],
    });
    await expect(written).rejects.toThrow();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((there) => !there)).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });
});
