import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CLIENT_ID = 'c0ffee00-1111-2222-3333-444455556666';
// Planted afresh for each run: found in no process's arguments unless something put it there.
const OLD_SECRET = randomBytes(32).toString('hex');
const BASIC = Buffer.from(`${CLIENT_ID}:${OLD_SECRET}`).toString('base64');

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'query-sql-file-'));
  lake = join(dir, 'lake');
  await writeFixtureLake(lake, {
    instance: 'main',
    events: [
      event('2026-11-17 09:00:00', { event_id: 'echoes-secret', raw: JSON.stringify({ note: OLD_SECRET }) }),
      event('2026-11-17 10:00:00', {
        event_id: 'echoes-basic',
        raw: JSON.stringify({ header: `Authorization: Basic ${BASIC}` }),
      }),
      event('2026-11-17 11:00:00', { event_id: 'clean' }),
    ],
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SQL =
  "SELECT event_id FROM activity_log WHERE dt >= '2000-01-01' AND event_id <> 'clean' ORDER BY event_id";

async function run(argv: string[], stdin?: Readable) {
  const c = captureIo();
  const code = await main(['query', ...argv], { ...c.io, ...(stdin ? { stdin } : {}) });
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

describe('query --sql-file', () => {
  it('runs the SQL a file holds, and with - the SQL read from stdin', async () => {
    const file = join(dir, 'search.sql');
    await writeFile(file, `${SQL}\n`);
    const fromFile = await run(['--sql-file', file, '--lake', lake, '--format', 'csv']);
    expect(fromFile).toEqual({
      code: 0,
      stdout: 'event_id\r\nechoes-basic\r\nechoes-secret\r\n',
      stderr: '',
    });
    const fromStdin = await run(['--sql-file', '-', '--lake', lake, '--format', 'csv'], Readable.from([SQL]));
    expect(fromStdin).toEqual(fromFile);
  });

  it('refuses --sql beside it, a file it cannot read (its absolute path said) and a file without SQL', async () => {
    const both = await run(['--sql', SQL, '--sql-file', '-', '--lake', lake]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--sql and --sql-file each give the SQL to run: give one of them');
    const missing = await run(['--sql-file', 'no-such.sql', '--lake', lake]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `--sql-file no-such.sql: cannot read the file (ENOENT) at ${resolve('no-such.sql')}`,
    );
    const blank = join(dir, 'blank.sql');
    await writeFile(blank, '  \n');
    const empty = await run(['--sql-file', blank, '--lake', lake]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('holds no SQL');
    // A catalog option is refused before stdin is read: a refusal must not wait for input.
    const refused = await run(
      ['--sql-file', '-', '--limit', '3', '--lake', lake],
      new Readable({ read() {} }),
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--sql-file runs the SQL as written, so --limit would change nothing');
  });
});

/** The shells the snippet is run in: bash, and zsh where it is installed. */
const SHELLS = ['bash', ...(['/bin/zsh', '/usr/bin/zsh'].some((p) => existsSync(p)) ? ['zsh'] : [])];

/** The bash snippet of docs/ingest.md "After a secret rotation". */
function rotationSnippet(): string {
  const doc = readFileSync(join(ROOT, 'docs/ingest.md'), 'utf8');
  const start = doc.indexOf('# Run after revoking the old secret.');
  const end = doc.indexOf('```', start);
  if (start === -1 || end === -1) throw new Error('docs/ingest.md: the rotation snippet is gone');
  return doc
    .slice(start, end)
    .split('\n')
    .map((line) => line.replace(/^ {2}/, ''))
    .join('\n');
}

describe.skipIf(!existsSync('/proc/self/cmdline'))(
  'docs/ingest.md: the search after a secret rotation',
  () => {
    // zsh too, macOS's login shell: its `read -p` reads a coprocess, so the snippet's first form
    // read nothing there and searched for '' (every row) (review R-WINOPS M5).
    it.each(SHELLS)(
      '%s: finds the entries echoing the old secret, with the secret in no process arguments and no file left',
      async (shell) => {
        // A stand-in for npm on PATH: while the query is about to run (every process of the snippet
        // alive), it looks through every process's arguments for the secret and its Basic form, notes
        // the SQL file's mode, then runs the CLI as `npm run -s cli --` would.
        const base = join(dir, shell);
        await mkdir(base);
        const bin = join(base, 'bin');
        const scratch = join(base, 'tmp');
        await Promise.all([mkdir(bin), mkdir(scratch)]);
        const needles = join(base, 'needles');
        await writeFile(needles, `${OLD_SECRET}\n${BASIC}\n`);
        await writeFile(
          join(bin, 'npm'),
          `#!/bin/bash
for p in /proc/[0-9]*/cmdline; do
  if { tr '\\0' ' ' < "$p"; } 2>/dev/null | grep -qFf "$NEEDLES"; then echo "seen in $p: $(tr '\\0' ' ' < "$p" | head -c 80)" >> "$LOG"; fi
done
for a in "$@"; do case "$prev" in --sql-file) echo "file $a $(stat -c %a "$a")" >> "$LOG";; esac; prev=$a; done
shift 4 # run -s cli --
exec "${process.execPath}" "${join(ROOT, 'bin/domo-activity-lake.js')}" "$@" --format csv
`,
        );
        await chmod(join(bin, 'npm'), 0o755);
        const log = join(base, 'npm.log');
        const script = rotationSnippet().replace('<lake directory>', lake);
        expect(script).not.toContain(OLD_SECRET);
        const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
          const child = execFile(
            shell,
            ['-c', script],
            {
              cwd: ROOT,
              env: {
                ...process.env,
                PATH: `${bin}:${process.env.PATH}`,
                TMPDIR: scratch,
                DOMO_CLIENT_ID: CLIENT_ID,
                NEEDLES: needles,
                LOG: log,
              },
              timeout: 60_000,
            },
            (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }),
          );
          child.stdin?.end(`${OLD_SECRET}\n`);
        });
        expect(result, result.stderr).toMatchObject({ code: 0 });
        const ids = result.stdout.split('\r\n').map((line) => line.split(',')[2]);
        expect(ids.slice(1).sort()).toEqual(['echoes-basic', 'echoes-secret', undefined]);
        const seen = readFileSync(log, 'utf8').trim().split('\n');
        // The only line: the SQL file, mode 600. No process showed the secret or its Basic form.
        expect(seen).toEqual([expect.stringMatching(new RegExp(`^file ${scratch}/tmp\\.\\w+ 600$`))]);
        expect(await readdir(scratch)).toEqual([]);
      },
      90_000,
    );
  },
);
