import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { CoverageProvider } from 'vitest/node';

/** Vitest's code that keys a file in its module cache on disk by what coverage does to it. */
const KEY_PART =
  'String(this.vitest.config.coverage.enabled && this.vitest.coverageProvider?.requiresTransform?.(id))';

/**
 * The provider the suite's coverage runs with. Its class stands in: the real one loads Vitest's
 * node side and the V8 report code, ~0.7 CPU-s, where only what `getProvider` adds is asked.
 */
async function suiteProvider(): Promise<Partial<CoverageProvider>> {
  vi.doMock('../coverage-batch-merge.ts', () => ({ BatchMergingV8Provider: class {} }));
  try {
    const { default: module } = await import('../coverage-provider.ts');
    return (await module.getProvider()) as Partial<CoverageProvider>;
  } finally {
    vi.doUnmock('../coverage-batch-merge.ts');
  }
}

describe("the suite's coverage and Vitest's module cache on disk", () => {
  it("key a file alike with coverage and without, so one run reuses the other's transforms", async () => {
    const provider = await suiteProvider();
    // As Vitest's key reads it, with coverage on (the provider asked) and off (not asked).
    const key = (on: boolean, id: string) => String(on && provider.requiresTransform?.(id));
    for (const id of ['/repo/functions/core/once.ts', '/repo/test/core/once.test.ts'])
      expect(key(true, id)).toBe(key(false, id));
  });

  it("read the key as Vitest's installed version makes it", () => {
    // A Vitest that keys the cache another way makes the provider's answer moot: look again then.
    const chunks = join('node_modules', 'vitest', 'dist', 'chunks');
    const keyed = readdirSync(chunks)
      .filter((name) => name.endsWith('.js'))
      .some((name) => readFileSync(join(chunks, name), 'utf8').includes(KEY_PART));
    expect(keyed).toBe(true);
  });
});
