import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { event, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';

// `query --sql` read any file the user could: read_csv('/etc/passwd'), read_text, glob (review
// R-ANALYST M3). It reads the lake's own files only now, and cannot turn that back.
/** `text` inside a SQL string literal. */
const quoted = (text: string): string => text.replaceAll("'", "''");

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duckdb-lake-only-'));
  await mkdir(join(dir, 'outside'));
  await writeFile(join(dir, 'outside', 'secret.csv'), 'a,b\n1,2\n');
  // A lake whose name DuckDB's patterns take for wildcards: its views must still read it.
  await writeFixtureLake(join(dir, "la[k]e* o'q"), {
    events: [event('2026-10-05 10:00:00')],
    coverage: [manifest('2026-10-05 10:00')],
  });
  await symlink(join(dir, 'outside'), join(dir, "la[k]e* o'q", 'link'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('SQL a user writes reads the lake through its views, and no file outside it', async () => {
  const lake = join(dir, "la[k]e* o'q");
  const engine = await openDuckDbEngine({ lakeDir: lake });
  try {
    const count = await engine.runReadOnlySql(
      "SELECT count(*) AS n FROM activity_log WHERE instance = 'default' AND dt = '2026-10-05'",
      'your SQL',
    );
    expect(count.rows).toEqual([{ n: 1 }]);
    const outside = join(dir, 'outside', 'secret.csv');
    for (const sql of [
      `SELECT * FROM read_csv('${outside}')`,
      `SELECT * FROM read_text('${outside}')`,
      `SELECT * FROM glob('${join(dir, 'outside', '*')}')`,
      // Not normalised by path.join: DuckDB resolves the `..` itself, and refuses.
      `SELECT * FROM read_text('${quoted(`${lake}/../outside/secret.csv`)}')`,
      "SELECT * FROM read_text('/etc/hostname')",
      // A link in the lake to a folder outside it leads nowhere either.
      `SELECT * FROM read_text('${quoted(join(lake, 'link', 'secret.csv'))}')`,
    ]) {
      await expect(engine.runReadOnlySql(sql, 'your SQL'), sql).rejects.toThrow(
        /^your SQL reads ".*", outside the lake \(.*la\[k\]e\* o'q\): SQL run as written reads only the files under the lake's directory/,
      );
    }
    // The lake's other tables and files still read, and a pattern of its own name widens nothing.
    expect((await engine.runReadOnlySql('SELECT count(*) AS n FROM coverage', 'your SQL')).rows).toEqual([
      { n: 1 },
    ]);
    await expect(
      engine.runReadOnlySql(`SELECT * FROM read_text('${quoted(`${dir}/la*/../outside/*`)}')`, 'q'),
    ).rejects.toThrow(/outside the lake/);
    // Locked: the setting cannot be read back on, by SQL nor by the engine's own statements.
    await expect(engine.runSql('SET enable_external_access = true', [])).rejects.toThrow(/locked|enable/i);
    await expect(engine.runSql("SET allowed_directories = ['/']", [])).rejects.toThrow(/locked|allowed/i);
    await expect(engine.runReadOnlySql("SELECT * FROM read_text('/etc/hostname')", 'q')).rejects.toThrow(
      /outside the lake/,
    );
  } finally {
    await engine.close();
  }
});

it("spills to a temp directory of the engine's own, not the current directory's .tmp", async () => {
  // DuckDB allows its temp directory too: by default `.tmp` in the current directory, which SQL
  // then read (review R-SQLBOX M1).
  const engine = await openDuckDbEngine({ lakeDir: join(dir, "la[k]e* o'q") });
  let temp: string;
  try {
    await expect(engine.runReadOnlySql("SELECT * FROM read_text('.tmp/s.txt')", 'your SQL')).rejects.toThrow(
      /^your SQL reads ".*\.tmp\/s\.txt", outside the lake/,
    );
    const { rows } = await engine.runReadOnlySql("SELECT current_setting('temp_directory') AS t", 'q');
    temp = String(rows[0]?.t);
    expect(temp.startsWith(join(tmpdir(), 'domo-activity-lake-duckdb-'))).toBe(true);
    expect(existsSync(temp)).toBe(true);
  } finally {
    await engine.close();
  }
  expect(existsSync(temp)).toBe(false);
});

it("refuses SQL when a directory is named as the lake's escaped pattern, which it would allow", async () => {
  // The allow-list takes the views' pattern as text, `la[[]k]e[*] o'q`: a real directory of that
  // name beside the lake was readable (review R-SQLBOX L1).
  const parent = await mkdtemp(join(tmpdir(), 'duckdb-lake-only-twin-'));
  try {
    const lake = join(parent, "la[k]e* o'q");
    await writeFixtureLake(lake, { events: [event('2026-10-05 10:00:00')] });
    await mkdir(join(parent, "la[[]k]e[*] o'q"));
    await writeFile(join(parent, "la[[]k]e[*] o'q", 'secret.txt'), 'secret\n');
    const engine = await openDuckDbEngine({ lakeDir: lake });
    try {
      const sql = `SELECT * FROM read_text('${quoted(join(parent, "la[[]k]e[*] o'q", 'secret.txt'))}')`;
      await expect(engine.runReadOnlySql(sql, 'your SQL')).rejects.toThrow(
        /^DuckDB cannot keep SQL to the lake .*: its file patterns name it .*, and a file or directory of that name exists too/,
      );
    } finally {
      await engine.close();
    }
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

it("names DuckDB's own directory when SQL lists its extensions or secrets", async () => {
  // duckdb_extensions() and duckdb_secrets() failed with DuckDB's raw "Cannot access directory
  // .../.duckdb/..." (review R-SQLBOX L4).
  const engine = await openDuckDbEngine({ lakeDir: join(dir, "la[k]e* o'q") });
  try {
    for (const sql of ['SELECT * FROM duckdb_extensions()', 'SELECT * FROM duckdb_secrets()']) {
      await expect(engine.runReadOnlySql(sql, 'your SQL'), sql).rejects.toThrow(
        /^your SQL reads ".*\.duckdb.*", DuckDB's own directory of extensions and secrets \(duckdb_extensions\(\) and duckdb_secrets\(\) list it\), outside the lake \(.*\): SQL run as written reads only the files under the lake's directory/,
      );
    }
  } finally {
    await engine.close();
  }
});
