import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../../functions/adapters/duckdb-engine.ts';
import { type FixtureLake, writeFixtureLake } from './lake-fixture.ts';

/** A DuckDB engine over a fixture lake, and how to close it and remove the lake. */
export interface FixtureEngine {
  engine: DuckDbQueryEngine;
  /** The lake's directory. */
  dir: string;
  close(): Promise<void>;
}

/**
 * Writes `lake` into a new temporary directory named from `prefix` and opens DuckDB over it: what
 * the query tests over a handful of planted records start with. Apart from lake-fixture.ts, so the
 * tests that only build records do not load DuckDB.
 */
export async function openFixtureEngine(prefix: string, lake: FixtureLake): Promise<FixtureEngine> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await writeFixtureLake(dir, lake);
  const engine = await openDuckDbEngine({ lakeDir: dir });
  return {
    engine,
    dir,
    close: async () => {
      await engine.close?.();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The fixture engine of a test file: opened before its tests (beforeAll) and closed after them
 * (afterAll), the lake removed. Its engine and dir are read once it is open, in the tests.
 */
export function useFixtureEngine(prefix: string, lake: FixtureLake): Pick<FixtureEngine, 'engine' | 'dir'> {
  let opened: FixtureEngine | undefined;
  beforeAll(async () => {
    opened = await openFixtureEngine(prefix, lake);
  });
  afterAll(async () => {
    await opened?.close();
  });
  const open = (): FixtureEngine => {
    if (!opened) throw new Error('the fixture engine is opened before the tests');
    return opened;
  };
  return {
    get engine() {
      return open().engine;
    },
    get dir() {
      return open().dir;
    },
  };
}
