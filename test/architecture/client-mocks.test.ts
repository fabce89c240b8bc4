import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSources } from './import-rules.ts';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Test files share each worker's modules (`isolate: false`): a mock of an AWS SDK client *class*
 * (`mockClient(AthenaClient)`) patches its prototype for every file the worker runs after, so a
 * later file's own client answers with the mock's rows. Each such mock must be restored.
 */
function unrestoredClassMocks(files: readonly { path: string; text: string }[]): string[] {
  return files.flatMap((file) => {
    const classMocks = file.text.match(/mockClient\(\s*[A-Z]\w*\s*\)/g)?.length ?? 0;
    const restores = file.text.match(/\.restore\(\)/g)?.length ?? 0;
    return classMocks > restores
      ? [`${file.path}: ${classMocks} class mock(s), ${restores} restore() call(s)`]
      : [];
  });
}

describe('AWS SDK client mocks in the tests', () => {
  it('restore every mock of a client class, so it cannot leak into the next file', () => {
    // This file's own examples are not mocks.
    const files = readSources(root, ['test']).filter(
      (f) => f.path !== 'test/architecture/client-mocks.test.ts',
    );
    expect(files.some((f) => /mockClient\(\s*[A-Z]/.test(f.text))).toBe(true);
    expect(unrestoredClassMocks(files)).toEqual([]);
  });

  it('tell a class mock from an instance mock', () => {
    expect(
      unrestoredClassMocks([
        { path: 'a.test.ts', text: 'const m = mockClient(AthenaClient);' },
        { path: 'b.test.ts', text: 'const m = mockClient(AthenaClient);\nafterAll(() => m.restore());' },
        { path: 'c.test.ts', text: 'const m = mockClient(client);' },
      ]),
    ).toEqual(['a.test.ts: 1 class mock(s), 0 restore() call(s)']);
  });
});
