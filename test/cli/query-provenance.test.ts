/**
 * `query --provenance <file>` (review F-META): a file beside the rows saying what made them. The
 * rows handed over as evidence said nothing of the query, parameters, period, lake, engine, notes
 * (stderr only), time or version that made them; a header line or a wrapper would break their readers.
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  createWriteStream,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetTableMetadataCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { version as duckDbLibraryVersion } from '@duckdb/node-api';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionLine } from '../../functions/cli/cli-version.ts';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { PROVENANCE_FORMAT } from '../../functions/cli/query-provenance.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { loadQuery } from '../../functions/queries/catalog.ts';
import { event, login, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

let lake: string;
let out: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-provenance-lake-'));
  out = await mkdtemp(join(tmpdir(), 'query-provenance-out-'));
  const failures = ['1', '2', '3'].map((id, i) =>
    login(`2026-11-19 0${i}:00:00`, 'login_failed', { user_id: id, user_name: `U${id}` }),
  );
  // 2026-11-17 to 2026-11-21 covered, the rest of the default period not: a coverage note.
  const coverage = Array.from({ length: 4 * 24 }, (_, h) =>
    manifest(`2026-11-${17 + Math.floor(h / 24)} ${String(h % 24).padStart(2, '0')}:00`),
  );
  await writeFixtureLake(lake, { events: [...failures, event('2026-11-18 10:00:00')], coverage });
});
afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

const now = () => Date.parse('2026-11-24T15:00:00Z');
const run = async (argv: string[], deps: Parameters<typeof queryCommand>[2] = { now }) => {
  const c = captureIo();
  await queryCommand(argv, { ...c.io, log: silentLog }, deps);
  return { stdout: c.stdout(), stderr: c.stderr() };
};
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const refusal = (argv: string[]) =>
  queryCommand(argv, { ...captureIo().io, log: silentLog }, { now }).then(
    () => undefined,
    (error: unknown) => error,
  );

describe('query --provenance writes what made the rows beside them', () => {
  it('names the catalog query, its parameters with the defaults, the period, lake, notes and the hash of stdout', async () => {
    const file = join(out, 'failed.provenance.json');
    const { stdout, stderr } = await run([
      'failed_logins_and_lockouts',
      '--lake',
      lake,
      '--param',
      'max_rows=2',
      '--format',
      'csv',
      '--provenance',
      file,
    ]);
    const doc = read(file);
    expect(doc).toMatchObject({
      format: PROVENANCE_FORMAT,
      ranAt: '2026-11-24T15:00:00.000Z',
      tool: versionLine(),
      query: {
        name: 'failed_logins_and_lockouts',
        sqlSha256: sha256(loadQuery('failed_logins_and_lockouts').sql),
      },
      period: { from: '2026-11-17T00:00:00.000Z', to: '2026-11-24T00:00:00.000Z' },
      // It counts no local days: no zone.
      timeZone: null,
      engine: { name: 'duckdb', lake, version: duckDbLibraryVersion() },
      instance: 'default',
      rows: { count: 2, cut: { bound: 'max_rows', total: 3 } },
      output: { to: 'stdout', format: 'csv', bytes: Buffer.byteLength(stdout), sha256: sha256(stdout) },
    });
    expect(doc.params).toMatchObject({
      instance: 'default',
      max_rows: '2',
      from_ts: '2026-11-17 00:00:00.000',
      to_ts: '2026-11-24 00:00:00.000',
    });
    // The bound times again with their zone, beside them (review AUDIT4): the params stay as bound.
    expect(doc.paramTimes).toMatchObject({
      from_ts: '2026-11-17T00:00:00.000Z',
      to_ts: '2026-11-24T00:00:00.000Z',
    });
    expect(Object.values(doc.paramTimes).every((t) => String(t).endsWith('Z'))).toBe(true);
    // Every note stderr printed, the coverage gap and the cut rows among them.
    expect(doc.notes.join('\n')).toBe(stderr.trimEnd());
    expect(doc.notes.some((n: string) => n.startsWith('note: showing 2 of 3 rows'))).toBe(true);
    expect(doc.notes.length).toBeGreaterThan(1);
  });

  it("names SQL given as written by its text; a --sql-file's by its file, not its text", async () => {
    const sql = "SELECT count(*) AS n FROM activity_log WHERE dt >= '2000-01-01'";
    const file = join(out, 'sql.provenance.json');
    const { stdout } = await run(['--sql', sql, '--lake', lake, '--format', 'json', '--provenance', file]);
    expect(read(file)).toMatchObject({
      query: { sql, sqlSha256: sha256(sql) },
      params: null,
      paramTimes: null,
      period: null,
      instance: null,
      rows: { count: 1, cut: null },
      notes: [],
      output: { format: 'json', sha256: sha256(stdout) },
    });
    const sqlFile = join(out, 'secret.sql');
    writeFileSync(sqlFile, "SELECT count(*) AS n FROM activity_log WHERE raw LIKE '%old-secret%'");
    await run(['--sql-file', sqlFile, '--lake', lake, '--provenance', file]);
    const text = readFileSync(file, 'utf8');
    expect(read(file).query).toEqual({ sqlFile, sqlSha256: sha256(readFileSync(sqlFile)) });
    expect(text).not.toContain('old-secret');
  });

  it('names the Athena workgroup, database and region', async () => {
    const athena = mockClient(AthenaClient);
    try {
      athena.on(GetTableMetadataCommand).resolves({
        TableMetadata: { Name: 'activity_log', Parameters: { 'projection.instance.values': 'main' } },
      });
      athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
      athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
      athena.on(GetQueryResultsCommand).resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'bigint' }] },
          Rows: [{ Data: [{ VarCharValue: 'n' }] }, { Data: [{ VarCharValue: '0' }] }],
        },
      });
      const file = join(out, 'athena.provenance.json');
      await run(
        ['--sql', 'SELECT 0 AS n', '--athena', '--workgroup', 'wg', '--database', 'db', '--provenance', file],
        { now, athenaClient: new AthenaClient({ region: 'eu-west-1' }) },
      );
      expect(read(file).engine).toEqual({
        name: 'athena',
        workgroup: 'wg',
        database: 'db',
        region: 'eu-west-1',
      });
    } finally {
      athena.restore();
    }
  });

  it('keeps the partial local days a zone gives, which JSON and CSV do not print', async () => {
    const file = join(out, 'daily.provenance.json');
    const argv = ['daily_activity', '--lake', lake, '--from', '2026-11-18', '--to', '2026-11-20'];
    argv.push('--time-zone', 'Asia/Tokyo', '--provenance', file);
    const { stdout, stderr } = await run([...argv, '--format', 'csv']);
    expect(stdout + stderr).not.toContain('partial day');
    const doc = read(file);
    expect(doc.timeZone).toBe('Asia/Tokyo');
    expect(doc.notes).toContain(
      'note: 2026-11-18 is a partial day in Asia/Tokyo: the period covers 15 of its 24 hours',
    );
    // The table prints them under it: the same lines.
    const table = await run([...argv, '--format', 'table']);
    expect(table.stdout).toContain('note: 2026-11-18 is a partial day in Asia/Tokyo');
    expect(read(file).notes).toEqual(doc.notes);
  });

  it('replaces a provenance file it wrote before', async () => {
    const file = join(out, 'again.provenance.json');
    await run(['period_totals', '--lake', lake, '--provenance', file]);
    await run(['period_totals', '--lake', lake, '--format', 'json', '--provenance', file]);
    expect(read(file).output.format).toBe('json');
  });
});

describe('query --provenance refuses, before the query runs, a file it must not write', () => {
  const message = async (argv: string[]) => {
    const error = await refusal(argv);
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  };

  it('refuses stdout, which carries the rows', async () => {
    expect(await message(['period_totals', '--lake', lake, '--provenance', '-'])).toMatch(
      /^--provenance - : stdout carries the rows/,
    );
  });

  it("refuses a file of something else, the rows' own (emptied by the shell) included, and leaves it as it was", async () => {
    const rows = join(out, 'rows.json');
    writeFileSync(rows, '[{"n":1}]\n');
    expect(await message(['period_totals', '--lake', lake, '--provenance', rows])).toContain(
      'is a file query did not write: it would be overwritten',
    );
    expect(readFileSync(rows, 'utf8')).toBe('[{"n":1}]\n');
    const emptied = join(out, 'emptied.json');
    writeFileSync(emptied, '');
    expect(await message(['period_totals', '--lake', lake, '--provenance', emptied])).toContain(
      'is an empty file (the one the rows are redirected to?)',
    );
  });

  it('refuses a directory, a missing folder and a file inside the lake', async () => {
    expect(await message(['period_totals', '--lake', lake, '--provenance', out])).toContain('is a directory');
    expect(
      await message(['period_totals', '--lake', lake, '--provenance', join(out, 'no-such', 'p.json')]),
    ).toContain('the file cannot be written there (ENOENT)');
    mkdirSync(join(lake, 'notes'), { recursive: true });
    const inLake = join(lake, 'notes', 'p.json');
    expect(await message(['period_totals', '--lake', lake, '--provenance', inLake])).toContain(
      'is inside the lake',
    );
    expect(existsSync(inLake)).toBe(false);
  });

  it('is refused by --list and --all, which hand over no rows', async () => {
    expect(await message(['--list', '--provenance', join(out, 'l.json')])).toContain('--provenance');
    expect(await message(['--all', '--lake', lake, '--provenance', join(out, 'a.json')])).toContain(
      'leave --provenance out',
    );
  });
});

describe('query --out writes the rows to a file, which the provenance names (review F-RESPOND2 1)', () => {
  it('writes the rows whole to --out, nothing to stdout, and names the file and its hash in the provenance', async () => {
    const rows = join(out, 'out-rows.csv');
    const file = join(out, 'out-rows.provenance.json');
    const argv = ['period_totals', '--lake', lake, '--format', 'csv', '--out', rows, '--provenance', file];
    const { stdout } = await run(argv);
    expect(stdout).toBe('');
    const written = readFileSync(rows);
    expect(written.toString()).toMatch(/^[a-z_]+(,[a-z_]+)*\r\n/);
    expect(read(file).output).toEqual({
      to: 'file',
      file: rows,
      format: 'csv',
      bytes: written.length,
      sha256: sha256(written),
    });
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses an --out file already there unless --force, and leaves it as it was', async () => {
    const rows = join(out, 'kept.csv');
    writeFileSync(rows, 'evidence\r\n');
    const error = await refusal(['period_totals', '--lake', lake, '--format', 'csv', '--out', rows]);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(`--out ${rows} exists: give a new file, or --force to replace it`);
    expect(readFileSync(rows, 'utf8')).toBe('evidence\r\n');
    await run(['period_totals', '--lake', lake, '--format', 'csv', '--out', rows, '--force']);
    expect(readFileSync(rows, 'utf8')).not.toBe('evidence\r\n');
    expect(((await refusal(['period_totals', '--lake', lake, '--force'])) as Error).message).toContain(
      '--force replaces an existing --out file: give --out too',
    );
  });

  it('writes the SQL run as written to --out too', async () => {
    const rows = join(out, 'sql-rows.json');
    const file = join(out, 'sql-rows.provenance.json');
    const argv = ['--sql', 'SELECT 1 AS n', '--lake', lake, '--format', 'json', '--out', rows];
    const { stdout } = await run([...argv, '--provenance', file]);
    expect(stdout).toBe('');
    expect(JSON.parse(readFileSync(rows, 'utf8'))).toEqual([{ n: 1 }]);
    expect(read(file).output).toMatchObject({ to: 'file', file: rows, sha256: sha256(readFileSync(rows)) });
  });

  it('is refused by --all and --list, which hand over no rows', async () => {
    const rows = join(out, 'all.csv');
    expect(((await refusal(['--all', '--lake', lake, '--out', rows])) as Error).message).toContain(
      'leave --out out',
    );
    expect(((await refusal(['--list', '--out', rows])) as Error).message).toContain('--out');
    expect(existsSync(rows)).toBe(false);
  });
});

describe('query --provenance refuses the file the rows go to (review F-RESPOND2 2)', () => {
  it('refuses the --out file, by its path or a link to it, and writes neither', async () => {
    const rows = join(out, 'same.csv');
    const error = await refusal(['period_totals', '--lake', lake, '--out', rows, '--provenance', rows]);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(
      /^--provenance \S+ is the --out file: the provenance would replace the rows/,
    );
    expect(existsSync(rows)).toBe(false);
    const first = join(out, 'linked.provenance.json');
    await run(['period_totals', '--lake', lake, '--provenance', first]);
    const link = join(out, 'linked-too.json');
    linkSync(first, link);
    const argv = ['period_totals', '--lake', lake, '--out', link, '--force', '--provenance', first];
    expect(((await refusal(argv)) as Error).message).toContain('is the --out file');
  });

  it('refuses the file stdout is appended to (`>> p.json`), an earlier provenance, and leaves it as it was', async () => {
    const file = join(out, 'appended.provenance.json');
    await run(['period_totals', '--lake', lake, '--provenance', file]);
    const before = readFileSync(file, 'utf8');
    const stdout = createWriteStream(file, { fd: openSync(file, 'a') });
    try {
      const c = captureIo();
      const error = await queryCommand(
        ['period_totals', '--lake', lake, '--format', 'csv', '--provenance', file],
        { ...c.io, stdout, log: silentLog },
        { now },
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(
        /is the file stdout is redirected to: the provenance would replace the rows/,
      );
    } finally {
      await new Promise((done) => stdout.end(done));
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    // Stdout to another file is no reason to refuse.
    const other = join(out, 'other-stdout.csv');
    const elsewhere = createWriteStream(other, { fd: openSync(other, 'a') });
    try {
      await queryCommand(
        ['period_totals', '--lake', lake, '--format', 'csv', '--provenance', file],
        { ...captureIo().io, stdout: elsewhere, log: silentLog },
        { now },
      );
    } finally {
      await new Promise((done) => elsewhere.end(done));
    }
    expect(read(file).output.sha256).toBe(sha256(readFileSync(other)));
  });

  it("refuses it in the real command line, whose stdout is the process's (`>> p.json`)", () => {
    const file = join(out, 'shell.provenance.json');
    writeFileSync(file, `${JSON.stringify({ format: PROVENANCE_FORMAT })}\n`);
    const before = readFileSync(file, 'utf8');
    const fd = openSync(file, 'a');
    try {
      const argv = [
        'bin/domo-activity-lake.js',
        'query',
        'period_totals',
        '--lake',
        lake,
        '--provenance',
        file,
      ];
      const child = spawnSync(process.execPath, argv, { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      expect(child.stderr).toContain('is the file stdout is redirected to');
      expect(child.status).toBe(2);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
