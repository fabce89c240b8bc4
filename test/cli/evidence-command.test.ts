/**
 * `evidence` on the demo's lake on disk, end to end through the command line's entry: the bundle a
 * responder hands to legal (the events as stored, the hours' manifests, the lake's check, the user's
 * catalog queries, the manifest, SHA256SUMS and README), and its refusals. What the bundle's check.py
 * finds, run by python3: evidence-check-py.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { version as duckDbLibraryVersion } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionLine } from '../../functions/cli/cli-version.ts';
import { main } from '../../functions/cli/main.ts';
import { sha256Hex as sha256 } from '../../functions/core/lake/digest.ts';
import { activityKey, coverageKey } from '../../functions/core/lake/layout.ts';
import { captureIoAt } from '../support/clock-from.ts';
import {
  EVIDENCE_CLOCK as clock,
  evidenceDemoLake,
  EVIDENCE_FROM as FROM,
  runEvidence,
  EVIDENCE_SECRET as SECRET,
  EVIDENCE_TO as TO,
} from '../support/evidence-demo-lake.ts';
import { fakeSignals } from '../support/fake-signals.ts';

let dir: string;
let lake: string;
let user: string;

/** Every file under `root`, by its path inside it (`/`-separated). */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(root, path)).isFile())
    .map((path) => path.split('\\').join('/'))
    .sort();
}

const evidence = (args: readonly string[]) => runEvidence(lake, args);

beforeAll(async () => {
  ({ dir, lake, user } = await evidenceDemoLake('evidence-command-'));
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What a lake's state holds (checkpoint, run records, locks): run ids and tokens no bundle may carry. */
const STATE_MARKER = 'statemarker7c41e9';

/**
 * Plants {@link STATE_MARKER} in every JSON file of the lake's `state/` (a field added), in a file of
 * its own there, and as a run lock at the lake's root, named and filled by it; returns an undo.
 */
function plantStateMarker(root: string): () => void {
  const kept: [string, string][] = [];
  for (const file of filesUnder(join(root, 'state'))) {
    const path = join(root, 'state', file);
    if (!file.endsWith('.json')) continue;
    const text = readFileSync(path, 'utf8');
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    kept.push([path, text]);
    writeFileSync(path, JSON.stringify({ ...value, planted: STATE_MARKER }));
  }
  expect(kept.length).toBeGreaterThan(1);
  const added = [
    join(root, 'state/instance=main', `${STATE_MARKER}.json`),
    join(root, `.ingest-run-${STATE_MARKER}.lock`),
  ];
  for (const path of added)
    writeFileSync(path, JSON.stringify({ run_id: STATE_MARKER, token: STATE_MARKER }));
  return () => {
    for (const [path, text] of kept) writeFileSync(path, text);
    for (const path of added) rmSync(path);
  };
}

describe('evidence on a lake whose state holds run ids and tokens', () => {
  // First: the later cases leave the lake's check failing.
  it('puts none of it in any file of the bundle', async () => {
    const undo = plantStateMarker(lake);
    try {
      const out = join(dir, 'state-marked');
      const run = await evidence(['--user', user, '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      const files = filesUnder(out);
      expect(files).toContain('queries/user_activity.provenance.json');
      for (const file of files) {
        const bytes = readFileSync(join(out, file));
        const text = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
        expect(text, file).not.toContain(STATE_MARKER);
      }
      expect(run.stdout + run.stderr).not.toContain(STATE_MARKER);
    } finally {
      undo();
    }
  }, 120_000);
});

/**
 * The bundle's geo databases are those its lines name (the events no database placed, none having
 * an address, as version null), each with its data's date; and no file names a path of the
 * sender's machine (the lake's, the bundle's, the temporary folder's). Returns a placing database.
 */
function expectGeoAndNoLocalPath(
  out: string,
  files: readonly string[],
  geo: { version: string | null; released: string | null; events: number }[],
) {
  const geoVersions = readFileSync(join(out, 'events.ndjson'), 'utf8')
    .split('\n')
    .slice(0, -1)
    .map((line) => (JSON.parse(line) as { geo_db_version: string | null }).geo_db_version ?? null);
  expect(new Set(geo.map((g) => g.version))).toEqual(new Set(geoVersions));
  for (const { version, released, events } of geo) {
    expect(events).toBe(geoVersions.filter((v) => v === version).length);
    if (version !== null) expect(released).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }
  for (const file of files.filter((f) => f !== 'events.ndjson'))
    expect(readFileSync(join(out, file), 'utf8'), file).not.toContain(dir);
  return geo.find((g) => g.version !== null);
}

describe('evidence', () => {
  it("writes a user's bundle: the events as stored, manifests, the check, queries, and hashes that check", async () => {
    const out = join(dir, 'bundle');
    const run = await evidence(['--user', user, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`evidence bundle written to ${out}`);
    const files = filesUnder(out);
    expect(files).toEqual(
      expect.arrayContaining([
        'README.txt',
        'SHA256SUMS',
        'events.ndjson',
        'hours.json',
        'manifest.json',
        'quarantined.ndjson',
        'queries/user_activity.json',
        'queries/user_activity.provenance.json',
        'queries/user_addresses.json',
        'queries/user_addresses.provenance.json',
        'verify.json',
        'verify.txt',
        `lake/${coverageKey('main', Date.parse(`${FROM}T00:00:00Z`))}`,
        `lake/${coverageKey('main', Date.parse(`${FROM}T23:00:00Z`))}`,
      ]),
    );
    // SHA256SUMS lists every other file, each with its bytes' hash; the manifest all but itself too.
    const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8').trimEnd().split('\n');
    expect(sums.map((line) => line.slice(66))).toEqual(files.filter((f) => f !== 'SHA256SUMS'));
    for (const line of sums)
      expect(line.slice(0, 64), line).toBe(sha256(readFileSync(join(out, line.slice(66)))));
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(
      files.filter((f) => f !== 'SHA256SUMS' && f !== 'manifest.json'),
    );
    expect(manifest).toMatchObject({
      format: 'domo-activity-lake/evidence@1',
      tool: versionLine(),
      // The lake by its folder's name: its path would hand over the sender's home directory.
      lake: 'lake',
      node: process.version,
      duckdb: duckDbLibraryVersion(),
    });
    const placedBy = expectGeoAndNoLocalPath(out, files, manifest.geo_databases);
    // The anchor the sender records outside the bundle: SHA256SUMS's own sha256, printed.
    expect(run.stdout).toContain(
      `sha256 of SHA256SUMS: ${sha256(readFileSync(join(out, 'SHA256SUMS')))}; record it`,
    );
    const checked = spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' });
    if (checked.error === undefined) expect(checked.status, checked.stdout + checked.stderr).toBe(0);

    // The events: each line one of its hour object's, verbatim; the same events user_activity lists.
    const events = readFileSync(join(out, 'events.ndjson'), 'utf8').split('\n').slice(0, -1);
    expect(events.length).toBeGreaterThan(0);
    for (const line of events) {
      const { window_start_ms } = JSON.parse(line) as { window_start_ms: number };
      const stored = gunzipSync(readFileSync(join(lake, activityKey('main', window_start_ms)))).toString(
        'utf8',
      );
      expect(stored.split('\n')).toContain(line);
    }
    const rows = JSON.parse(readFileSync(join(out, 'queries/user_activity.json'), 'utf8')) as {
      event_id: string;
    }[];
    expect(events.map((line) => (JSON.parse(line) as { event_id: string }).event_id).sort()).toEqual(
      rows.map((row) => row.event_id).sort(),
    );

    // The queries' provenance names the rows inside the bundle, not where it was built or put.
    const provenance = JSON.parse(readFileSync(join(out, 'queries/user_activity.provenance.json'), 'utf8'));
    expect(provenance.output.file).toBe('queries/user_activity.json');
    // The SQL that ran is beside its rows: its sha256 is the provenance's, and DuckDB's version named.
    expect(sha256(readFileSync(join(out, 'queries/user_activity.sql')))).toBe(provenance.query.sqlSha256);
    expect(provenance.engine.version).toBe(duckDbLibraryVersion());
    expect(readdirSync(dir).filter((name) => name.includes('.incomplete-'))).toEqual([]);

    const verify = JSON.parse(readFileSync(join(out, 'verify.json'), 'utf8'));
    expect(verify.check).toMatchObject({ result: 'OK', options: { integrity: true } });
    expect(readFileSync(join(out, 'verify.txt'), 'utf8')).toContain('head: digest/instance=main/');
    const readme = readFileSync(join(out, 'README.txt'), 'utf8');
    for (const said of [
      `Domo user ${user}`,
      versionLine(),
      `Lake:     the folder "lake" (its path on the sender's machine is not written)`,
      `Places:   each event's country and network (ip_country, ip_asn, ip_org) are as stored`,
      'names; the queries read them as stored:',
      `${placedBy?.version} (data released ${placedBy?.released})`,
      "a query's from_ts and to_ts (the\n          SQL's parameters",
      'sha256sum -c SHA256SUMS',
      'instance main',
      // Which code made it: the tool's version and commit, Node's, and the engine of the queries.
      `Software: Node.js ${process.version}; the queries ran on DuckDB ${duckDbLibraryVersion()}.`,
      'Times:    UTC throughout',
      "and the queries' rows (their time_zone UTC)",
    ]) {
      expect(readme).toContain(said);
    }
    expect(readme).toContain(`${events.length} event`);
    expect(readme).toContain('Compared: every line of events.ndjson is a row of queries/user_activity.json');
    expect(readme).toContain('Get-FileHash -Algorithm SHA256');
    // Nothing of the environment's credentials in any file.
    for (const file of files) expect(readFileSync(join(out, file), 'utf8'), file).not.toContain(SECRET);
  }, 120_000);

  it("writes the lake's check once: its text and its JSON one run, made at one time", async () => {
    // A clock that moves on at each reading: two runs of the check would state two times.
    let now = clock.now();
    const { io, stderr } = captureIoAt({ now: () => (now += 61_000) });
    const out = join(dir, 'one-check');
    const code = await main(['evidence', '--lake', lake, '--from', FROM, '--to', TO, '--out', out], io);
    expect(code, stderr()).toBe(0);
    const verify = JSON.parse(readFileSync(join(out, 'verify.json'), 'utf8'));
    expect(readFileSync(join(out, 'verify.txt'), 'utf8')).toContain(`checked ${verify.check.checkedAt} by`);
    // No query ran: the README names Node, and no engine of queries.
    const readme = readFileSync(join(out, 'README.txt'), 'utf8');
    expect(readme).toContain(`Software: Node.js ${process.version}.\n`);
    expect(readme).not.toContain('DuckDB');
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toMatchObject({ duckdb: null });
  }, 120_000);

  it('a user with no event still gets a bundle, which says so', async () => {
    const out = join(dir, 'nobody');
    const run = await evidence(['--user', '4242424242', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('no event of the period names user 4242424242');
    expect(readFileSync(join(out, 'events.ndjson'), 'utf8')).toBe('');
    expect(readFileSync(join(out, 'README.txt'), 'utf8')).toContain(
      'NO EVENT of the period names user 4242424242',
    );
    expect(JSON.parse(readFileSync(join(out, 'hours.json'), 'utf8')).counts).toMatchObject({
      events: 0,
      hours: 24,
      hours_with_manifest: 24,
    });
    expect(existsSync(join(out, 'SHA256SUMS'))).toBe(true);
  }, 120_000);

  it('refuses a --user with blanks around the id, naming the id without them: never trimmed to another id', async () => {
    const out = join(dir, 'blanks');
    const padded = await evidence(['--user', ` ${user} `, '--out', out]);
    expect(padded.code).toBe(2);
    expect(padded.stderr).toContain(
      `--user " ${user} ": blanks around the id; an id is matched as stored, so give it without them: --user ${user}`,
    );
    expect((await evidence(['--user', `${user}\t`, '--out', out])).stderr).toContain('blanks around the id');
    const inner = await evidence(['--user', '12 34', '--out', out]);
    expect(inner.code).toBe(2);
    expect(inner.stderr).toContain(`--user "12 34": give Domo's id of the user`);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses --user 0 (or 0 in blanks) and a padded 00 or 042 before reading the lake, in the words of query', async () => {
    const out = join(dir, 'no-user');
    for (const [id, why] of [
      ['0', 'names no user'],
      [' 0 ', 'names no user'],
      ['00', "starts with 0: Domo's user ids are numbers"],
      ['042', "starts with 0: Domo's user ids are numbers"],
    ] as const) {
      const run = await evidence(['--user', id, '--out', out]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--user ${JSON.stringify(id)}: ${why}`);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a folder that holds anything, and one inside the lake, writing nothing', async () => {
    const out = join(dir, 'used');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const used = await evidence(['--user', user, '--out', out]);
    expect(used.code).toBe(2);
    expect(used.stderr).toContain('is not empty');
    expect(readdirSync(out)).toEqual(['notes.txt']);
    const inside = await evidence(['--user', user, '--out', join(lake, 'bundle')]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain('inside the lake');
    expect(existsSync(join(lake, 'bundle'))).toBe(false);
    // The deployed lake: its days are copied to disk first, where the queries' DuckDB reads them.
    const { io, stderr } = captureIoAt(clock);
    const s3 = await main(
      ['evidence', '--lake', 's3://my-lake-bucket', '--from', FROM, '--to', TO, '--out', join(dir, 's3')],
      io,
    );
    expect(s3).toBe(2);
    expect(stderr()).toContain("copy the period's days of the deployed lake first");
    expect(existsSync(join(dir, 's3'))).toBe(false);
  });

  it('a lake whose check finds a problem still gets its bundle, with the report, and exits 1', async () => {
    // A manifest of the period edited after ingest: the digest chain recorded other bytes.
    const key = join(lake, coverageKey('main', Date.parse(`${FROM}T06:00:00Z`)));
    writeFileSync(key, readFileSync(key, 'utf8').replace('"fetch_count":', '"fetch_count": '));
    const out = join(dir, 'problems');
    const run = await evidence(['--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("the lake's check of the period found problems");
    expect(readFileSync(join(out, 'verify.txt'), 'utf8')).toContain('PROBLEMS FOUND');
    expect(readFileSync(join(out, 'README.txt'), 'utf8')).toContain(
      'every event the lake holds for the period',
    );
    expect(relative(out, join(out, 'SHA256SUMS'))).toBe('SHA256SUMS');
    expect(existsSync(join(out, 'queries'))).toBe(false);
  }, 120_000);
});

describe('evidence on an hour folder holding a second object', () => {
  it("says the events are not the timeline's rows, and exits 1", async () => {
    // Another object beside an hour's, which the table reads and the bundle's hours do not.
    const hourMs = Date.parse(`${FROM}T05:00:00Z`);
    const line = JSON.stringify({
      event_id: 'second-object-1',
      event_time: `${FROM} 05:30:00.000`,
      event_time_ms: hourMs + 1_800_000,
      user_id: user,
      actor_id: '0',
      object_type: 'PAGE',
      object_id: '1',
      raw: '{}',
    });
    const extra = join(lake, activityKey('main', hourMs).replace('.ndjson.gz', '-copy.ndjson.gz'));
    writeFileSync(extra, gzipSync(`${line}\n`));
    try {
      const out = join(dir, 'second-object');
      const run = await evidence(['--user', user, '--out', out]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("the bundle's events are not the rows of user_activity");
      expect(run.stdout).toContain(
        'DISAGREE: 1 row(s) of user_activity have no line in events.ndjson, 0 line(s)',
      );
      expect(readFileSync(join(out, 'README.txt'), 'utf8')).toContain('Compared: DISAGREE: 1 row(s)');
    } finally {
      rmSync(extra);
    }
  }, 120_000);
});

describe('evidence stopped by Ctrl-C', () => {
  it("while a query runs: the query stopped, the bundle removed, the signal's status", async () => {
    const out = join(dir, 'stopped');
    // While it runs, no folder at --out: the bundle is built beside it and put there whole.
    const seen: boolean[] = [];
    const signals = fakeSignals((send) => {
      seen.push(existsSync(out));
      send('SIGINT');
    });
    const { io } = captureIoAt(clock);
    const code = await main(
      ['evidence', '--lake', lake, '--from', FROM, '--to', TO, '--user', user, '--out', out],
      { ...io, interrupts: signals.source },
    );
    expect(code).toBe(130);
    expect(signals.listened()).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).not.toContain(true);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.startsWith('stopped.'))).toEqual([]);
  }, 120_000);
});

describe('evidence on a damaged hour', () => {
  it('fails naming the object, and leaves no folder behind', async () => {
    const key = activityKey('main', Date.parse(`${FROM}T03:00:00Z`));
    writeFileSync(join(lake, key), 'not gzip');
    const out = join(dir, 'damaged');
    const run = await evidence(['--user', user, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(key);
    expect(existsSync(out)).toBe(false);
  });
});
