import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { procIdentity } from '../../functions/adapters/process-identity.ts';
import { event, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';

// A crash of DuckDB (an abort) or a signal during a long query left the engine's temp directory,
// spills and all, in /tmp for good (review R-SQLBOX2 L1). The next engine opened removes those of
// processes gone; a process.exit with an engine open removes its own.
let dir: string;
let lake: string;
/** The TMPDIR the engines of these tests make their directories under. */
let temp: string;
const savedTmpdir = process.env.TMPDIR;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duckdb-temp-directory-'));
  lake = join(dir, 'lake');
  temp = join(dir, 'tmp');
  await mkdir(temp);
  await writeFixtureLake(lake, {
    events: [event('2026-10-05 10:00:00')],
    coverage: [manifest('2026-10-05 10:00')],
  });
  process.env.TMPDIR = temp;
});
afterAll(async () => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  await rm(dir, { recursive: true, force: true });
});

/** A pid no process holds now: a child's, once it has exited. */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
};

const ns = /\d+/.exec(procIdentity.pidNamespace() ?? '')?.[0] ?? '0';

it("removes a dead process's directory when the next engine opens, and no live one's", async () => {
  const dead = `domo-activity-lake-duckdb-${ns}-${deadPid()}-abcdef`;
  const alive = `domo-activity-lake-duckdb-${ns}-${process.pid}-ghijkl`;
  const otherNamespace = `domo-activity-lake-duckdb-${ns}1-${deadPid()}-mnopqr`;
  const unrelated = `someone-else-${deadPid()}-stuvwx`;
  for (const name of [dead, alive, otherNamespace, unrelated])
    await mkdir(join(temp, name, 'spill'), { recursive: true });
  const engine = await openDuckDbEngine({ lakeDir: lake });
  try {
    expect(existsSync(join(temp, dead))).toBe(false);
    for (const name of [alive, otherNamespace, unrelated])
      expect(existsSync(join(temp, name)), name).toBe(true);
  } finally {
    await engine.close();
  }
  // Its own, removed at close.
  expect(readdirSync(temp).sort()).toEqual([alive, otherNamespace, unrelated].sort());
  for (const name of [alive, otherNamespace, unrelated]) await rm(join(temp, name), { recursive: true });
});

it('removes its directory when the process exits with the engine open', () => {
  const script = `
    import { openDuckDbEngine } from ${JSON.stringify(resolve('functions/adapters/duckdb-engine.ts'))};
    const engine = await openDuckDbEngine({ lakeDir: ${JSON.stringify(lake)} });
    await engine.runReadOnlySql('SELECT 1 AS one', 'q');
    process.exit(3);
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: temp },
  });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(3);
  // tsx keeps its cache there too.
  expect(readdirSync(temp).filter((name) => name.startsWith('domo-activity-lake-duckdb-'))).toEqual([]);
});
