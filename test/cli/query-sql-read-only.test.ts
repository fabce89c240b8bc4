import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'query-sql-read-only-'));
  await writeFixtureLake(join(dir, 'lake'), { events: [event('2026-10-05 10:00:00')] });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('query --sql refuses a statement that writes, as a usage error (exit 2), and writes nothing', async () => {
  const file = join(dir, 'x.csv');
  const { io, stdout, stderr } = captureIo();
  const sql = `COPY (SELECT 42) TO '${file}'`;
  expect(await main(['query', '--lake', join(dir, 'lake'), '--sql', sql], io), stderr()).toBe(2);
  expect(stderr()).toBe(
    'error: --sql: your SQL is not a query (DuckDB reads a COPY statement): only a single read-only query runs (SELECT, WITH, VALUES, SHOW, DESCRIBE, or EXPLAIN of a query), nothing that writes files or changes the lake (see: query --help)\n',
  );
  expect(stdout()).toBe('');
  expect(existsSync(file)).toBe(false);
});
