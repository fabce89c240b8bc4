import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const testRoot = path.resolve(import.meta.dirname, '..');

/**
 * Test files share each worker's modules (vitest.config.ts, isolate: false): a hoisted `vi.mock`
 * reaches a module only when no file the worker ran before had imported it, so in the suite it
 * silently did not. catch-up-moves-watermark.test.ts mocked the ingest's compression so; after any
 * other ingest test the real one ran in the thread pool, and the test failed under load only. A
 * file that mocks a module calls `vi.resetModules()`, `vi.doMock` and imports what uses it anew
 * (and undoes both after its tests), as that file and unknown-entry-shape.test.ts do.
 */
it('no test file mocks a module by a hoisted vi.mock', () => {
  const offenders = readdirSync(testRoot, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(test\.)?[cm]?ts$/.test(file))
    .filter((file) => /\bvi\s*\.\s*mock\s*\(/.test(readFileSync(path.join(testRoot, file), 'utf8')));
  expect(offenders).toEqual([]);
});
