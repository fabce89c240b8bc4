/**
 * `evidence` on the demo's lake on disk, end to end through the command line's entry: the bundle a
 * responder hands to legal (the events as stored, the hours' manifests, the lake's check, the user's
 * catalog queries, the manifest, SHA256SUMS and README), and its refusals.
 */
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { version as duckDbLibraryVersion } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionLine } from '../../functions/cli/cli-version.ts';
import { main } from '../../functions/cli/main.ts';
import { activityKey, coverageKey } from '../../functions/core/lake/layout.ts';
import { floorHour } from '../../functions/core/time-units.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';
import { demoLake } from '../support/demo-lake.ts';
import { fakeSignals } from '../support/fake-signals.ts';

const clock = clockFrom(Date.parse('2026-12-06T13:05:00Z'));
const FROM = '2026-12-05';
const TO = '2026-12-06';
const SECRET = 'evidence-test-client-secret-7f3a';

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

async function evidence(args: readonly string[]) {
  const { io, stdout, stderr } = captureIoAt(clock, { DOMO_CLIENT_SECRET: SECRET, DOMO_CLIENT_ID: 'id' });
  const code = await main(['evidence', '--lake', lake, '--from', FROM, '--to', TO, ...args], io);
  return { code, stdout: stdout(), stderr: stderr() };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evidence-command-'));
  lake = join(dir, 'lake');
  const { io } = captureIoAt(clock);
  await demoLake(['--lake', lake, '--out', join(dir, 'demo-out'), '--days', '2', '--users', '6'], io);
  // A user with events that day: the first event's of its first hour that holds any.
  const day = join(lake, 'activity_log/instance=main', `dt=${FROM}`);
  const hour = readdirSync(day).sort()[0] ?? '';
  const first = gunzipSync(readFileSync(join(day, hour)))
    .toString('utf8')
    .split('\n')[0];
  user = (JSON.parse(first ?? '{}') as { user_id: string }).user_id;
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

/** Runs the bundle's check.py with python3, as a receiver does: its status and what it printed. */
function checkScript(out: string, ...args: string[]) {
  const run = spawnSync('python3', [join(out, 'check.py'), ...args], { cwd: tmpdir(), encoding: 'utf8' });
  if (run.error !== undefined) throw run.error;
  return { status: run.status, stdout: run.stdout + run.stderr };
}

/** Takes files already removed from a bundle out of its manifest and SHA256SUMS too, as a forger would. */
function unlist(out: string, gone: string[]): void {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  manifest.files = manifest.files.filter((f: { path: string }) => !gone.includes(f.path));
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8').split('\n');
  writeFileSync(join(out, 'SHA256SUMS'), sums.filter((line) => !gone.includes(line.slice(66))).join('\n'));
}

/** Rewrites a file of the bundle, its SHA256SUMS line and manifest entry with it: a tamper that sha256sum -c passes. */
function rewriteListed(out: string, path: string, change: (text: string) => string): void {
  writeFileSync(join(out, path), change(readFileSync(join(out, path), 'utf8')));
  const bytes = readFileSync(join(out, path));
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  for (const entry of manifest.files)
    if (entry.path === path) Object.assign(entry, { sha256: sha256(bytes), bytes: bytes.byteLength });
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const file = line.slice(66);
      return `${sha256(readFileSync(join(out, file)))}  ${file}`;
    });
  writeFileSync(join(out, 'SHA256SUMS'), `${sums.join('\n')}\n`);
}

/**
 * A copy of the lake whose digest chain is signed with `key` (P-256), as the stack's KMS key signs:
 * each digest's JSON without its signature, the links written again over the new bytes.
 */
function signedLakeCopy(
  from: string,
  to: string,
  key: KeyObject,
  unsigned: (index: number, count: number) => boolean = () => false,
): void {
  cpSync(from, to, { recursive: true });
  const folder = join(to, 'digest/instance=main');
  let previous: string | undefined;
  const names = readdirSync(folder).sort();
  for (const [index, name] of names.entries()) {
    const { signature: _unsigned, ...digest } = JSON.parse(readFileSync(join(folder, name), 'utf8'));
    if (previous !== undefined) digest.previous.sha256 = previous;
    if (unsigned(index, names.length)) {
      const body = `${JSON.stringify(digest)}\n`;
      writeFileSync(join(folder, name), body);
      previous = sha256(Buffer.from(body));
      continue;
    }
    const value = sign('sha256', Buffer.from(JSON.stringify(digest)), key).toString('base64');
    const body = `${JSON.stringify({ ...digest, signature: { algorithm: 'ECDSA_SHA_256', key_id: 'test-key', value } })}\n`;
    writeFileSync(join(folder, name), body);
    previous = sha256(Buffer.from(body));
  }
}

describe("the bundle's check.py (python3, standard library), as a receiver runs it", () => {
  let out: string;
  beforeAll(async () => {
    out = join(dir, 'checked');
    const run = await evidence(['--user', user, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
  }, 120_000);

  it('passes the bundle as written, alone and against the lake and its chain', () => {
    const alone = checkScript(out);
    expect(alone.stdout).toContain('OK: 0 check(s) failed');
    expect(alone.status, alone.stdout).toBe(0);
    expect(alone.stdout).toContain('OK: the rows of user_activity are the lines of events.ndjson');
    expect(alone.stdout).toContain('OK: every hour has a coverage manifest');
    const withLake = checkScript(out, '--lake', lake);
    expect(withLake.status, withLake.stdout).toBe(0);
    expect(withLake.stdout).toContain('are what the digest chain last recorded of each');
    // Every file is the sender's: alone, agreeing files prove no more than that (review REVIEW88C).
    expect(alone.stdout).toContain('NOTE: the files were held to each other only');
    expect(withLake.stdout).not.toContain('held to each other only');
    expect(alone.stdout).toContain(
      "OK: queries/user_activity.sql: the SQL that ran, as its provenance's sqlSha256",
    );
    const readme = readFileSync(join(out, 'README.txt'), 'utf8');
    for (const said of [
      'python3 check.py',
      'python3 check.py --lake',
      'DigestSigningKeyArn',
      'openssl dgst',
      '--expect-head N=<sha256>',
      '--output text | base64 -d | sha256sum',
      'and so does one who changed check.py itself',
      'run: domo-activity-lake evidence --check-script <new file>',
      'prints its sha256; sha256sum check.py here must print the same',
    ])
      expect(readme).toContain(said);
    // The sha256 README.txt gives is the bundle's own check.py's, as written.
    expect(readme).toContain(`check.py has the sha256\n  ${sha256(readFileSync(join(out, 'check.py')))}.`);
  });

  it('fails a line removed whose SHA256SUMS was written again, which sha256sum -c passes', () => {
    const copy = join(dir, 'checked-line-removed');
    cpSync(out, copy, { recursive: true });
    rewriteListed(copy, 'events.ndjson', (text) => text.split('\n').slice(1).join('\n'));
    const sums = spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: copy, encoding: 'utf8' });
    expect(sums.status).toBe(0);
    const run = checkScript(copy);
    expect(run.status, run.stdout).toBe(1);
    expect(run.stdout).toContain('FAILED: the rows of user_activity are not the lines of events.ndjson');
  });

  it('fails an hour dropped from the account, naming it NOT PULLED', () => {
    const copy = join(dir, 'checked-hour-dropped');
    cpSync(out, copy, { recursive: true });
    const dropped = coverageKey('main', Date.parse(`${FROM}T07:00:00Z`));
    rmSync(join(copy, 'lake', dropped));
    unlist(copy, [`lake/${dropped}`]);
    rewriteListed(copy, 'hours.json', (text) => {
      const account = JSON.parse(text);
      for (const hour of account.hours) if (hour.coverage?.key === dropped) hour.coverage = null;
      return `${JSON.stringify(account, null, 2)}\n`;
    });
    const run = checkScript(copy);
    expect(run.status, run.stdout).toBe(1);
    expect(run.stdout).toContain(`FAILED: 1 hour(s) NOT PULLED (no coverage manifest)`);
    expect(run.stdout).toContain(`${FROM}T07:00Z .. ${FROM}T08:00Z`);
  });

  it('fails a SHA256SUMS line naming a file outside the folder, or a file twice', () => {
    const copy = join(dir, 'checked-sums-outside');
    cpSync(out, copy, { recursive: true });
    const outside = join(dir, 'outside.txt');
    writeFileSync(outside, 'not the bundle\n');
    const sums = readFileSync(join(copy, 'SHA256SUMS'), 'utf8');
    const first = sums.split('\n')[0] ?? '';
    writeFileSync(
      join(copy, 'SHA256SUMS'),
      `${sums}${sha256(readFileSync(outside))}  ../outside.txt\n${first}\n`,
    );
    const run = checkScript(copy);
    expect(run.status, run.stdout).toBe(1);
    expect(run.stdout).toContain(
      "'../outside.txt': SHA256SUMS names a path that is not a file of this folder",
    );
    expect(run.stdout).toContain(`${first.slice(66)}: listed more than once in SHA256SUMS`);
  });

  it("verifies each digest's signature with openssl given the public key, failing closed", () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signed = join(dir, 'lake-signed');
    signedLakeCopy(lake, signed, privateKey);
    const pem = join(dir, 'pub.pem');
    writeFileSync(pem, publicKey.export({ type: 'spki', format: 'pem' }));
    const b64 = join(dir, 'pub.b64');
    writeFileSync(b64, `${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}\n`);
    const fingerprint = sha256(publicKey.export({ type: 'spki', format: 'der' }));
    for (const key of [pem, b64]) {
      const run = checkScript(out, '--lake', signed, '--public-key', key);
      expect(run.status, run.stdout).toBe(0);
      expect(run.stdout).toContain('verifies with the key given (openssl; key_id test-key)');
      expect(run.stdout).toContain(`SHA-256 fingerprint (of its DER) is ${fingerprint}`);
    }
    const other = join(dir, 'other.pem');
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    writeFileSync(other, otherKey.export({ type: 'spki', format: 'pem' }));
    const wrongKey = checkScript(out, '--lake', signed, '--public-key', other);
    expect(wrongKey.status, wrongKey.stdout).toBe(1);
    expect(wrongKey.stdout).toContain('its signature does not verify with the key given');
    const otherFingerprint = sha256(otherKey.export({ type: 'spki', format: 'der' }));
    expect(wrongKey.stdout).toContain(
      `do not verify with the key given, whose SHA-256 fingerprint (of its DER) is ${otherFingerprint}`,
    );
    const unsigned = checkScript(out, '--lake', lake, '--public-key', pem);
    expect(unsigned.status, unsigned.stdout).toBe(1);
    expect(unsigned.stdout).toContain('no digest of the chain is signed: who wrote it is not proved');
    const lastUnsigned = join(dir, 'lake-last-unsigned');
    signedLakeCopy(lake, lastUnsigned, privateKey, (index, count) => index === count - 1);
    const afterSigned = checkScript(out, '--lake', lastUnsigned, '--public-key', pem);
    expect(afterSigned.status, afterSigned.stdout).toBe(1);
    expect(afterSigned.stdout).toContain('not signed (no "signature" field), after a signed digest');
    const firstUnsigned = join(dir, 'lake-first-unsigned');
    signedLakeCopy(lake, firstUnsigned, privateKey, (index) => index === 0);
    const signedFromSomeDay = checkScript(out, '--lake', firstUnsigned, '--public-key', pem);
    expect(signedFromSomeDay.status, signedFromSomeDay.stdout).toBe(0);
    expect(signedFromSomeDay.stdout).toContain('1 digest(s) before the first signed one are unsigned');
    const noOpenssl = spawnSync(
      process.env.PYTHON3 ?? '/usr/bin/python3',
      [join(out, 'check.py'), '--lake', signed, '--public-key', pem],
      {
        cwd: tmpdir(),
        encoding: 'utf8',
        env: { PATH: join(dir, 'no-such-bin') },
      },
    );
    expect(noOpenssl.status, noOpenssl.stdout).toBe(1);
    expect(noOpenssl.stdout).toContain('FAILED: openssl could not be run');
    expect(checkScript(out, '--public-key', pem).status).toBe(2);
  }, 120_000);

  it('fails a chain that ends before the head noted, and notes one gone on past it', () => {
    const folder = join(lake, 'digest/instance=main');
    const names = readdirSync(folder).sort();
    const head = names.length - 1;
    const whole = checkScript(out, '--lake', lake, '--expect-head', String(head));
    expect(whole.status, whole.stdout).toBe(0);
    expect(whole.stdout).toContain(`(digest ${head})=`);
    expect(whole.stdout).toContain(`the chain holds the head noted, digest ${head}`);
    // The number alone pins nothing a sender cannot write again: said.
    expect(whole.stdout).toContain(
      'the head was noted by its number alone, which a chain written again whole',
    );
    const headSha = sha256(readFileSync(join(folder, names[head] ?? '')));
    const withSha = checkScript(out, '--lake', lake, '--expect-head', `${names[head]}=${headSha}`);
    expect(withSha.status, withSha.stdout).toBe(0);
    expect(withSha.stdout).not.toContain('noted by its number alone');
    const upper = checkScript(
      out,
      '--lake',
      lake,
      '--expect-head',
      `${names[head]}=${headSha.toUpperCase()}`,
    );
    expect(upper.status, upper.stdout).toBe(0);
    expect(upper.stdout).toContain(`the chain holds the head noted, digest ${head} with its sha256`);
    const short = checkScript(out, '--lake', lake, '--expect-head', `${head}=${headSha.slice(1)}`);
    expect(short.status, short.stdout).toBe(2);
    expect(short.stdout).toContain('the sha256 after "=" is not 64 hex digits');
    const earlier = checkScript(out, '--lake', lake, '--expect-head', `${head - 1}=${headSha}`);
    expect(earlier.status, earlier.stdout).toBe(1);
    expect(earlier.stdout).toContain(`digest ${head - 1} is not the one noted`);
    const cut = join(dir, 'lake-head-removed');
    cpSync(lake, cut, { recursive: true });
    rmSync(join(cut, 'digest/instance=main', names[head] ?? ''));
    expect(checkScript(out, '--lake', cut).status).toBe(0);
    const removed = checkScript(out, '--lake', cut, '--expect-head', String(head));
    expect(removed.status, removed.stdout).toBe(1);
    expect(removed.stdout).toContain(`the chain ends at digest ${head - 1}, before the head noted (${head})`);
    const later = checkScript(out, '--lake', lake, '--expect-head', String(head - 1));
    expect(later.status, later.stdout).toBe(0);
    expect(later.stdout).toContain('NOTE: ');
    expect(later.stdout).toContain('the chain goes on past the head noted: 1 digest(s) written since');
    expect(checkScript(out, '--expect-head', String(head)).status).toBe(2);
  }, 120_000);

  // Digests after the head noted are vouched for by nobody without a key: a sender who rewrote an
  // object (a line of the case cut out) and re-recorded it in a digest appended after the head
  // passed with a NOTE that digests were written since. Here the object is only packed again (the
  // same lines, other bytes), so that nothing but the re-record is in question.
  it('fails an object re-recorded after the head noted with other bytes, unless the signatures verify', () => {
    const copy = join(dir, 'checked-re-recorded');
    cpSync(out, copy, { recursive: true });
    const again = join(dir, 'lake-re-recorded');
    cpSync(lake, again, { recursive: true });
    const hours = JSON.parse(readFileSync(join(copy, 'hours.json'), 'utf8'));
    const read = hours.hours.find(
      (h: { activity: { kept: number } | null }) => (h.activity?.kept ?? 0) > 0,
    ).activity;
    const body = gzipSync(gunzipSync(readFileSync(join(again, read.key))), { level: 9 });
    writeFileSync(join(again, read.key), body);
    const folder = join(again, 'digest/instance=main');
    const names = readdirSync(folder).sort();
    const last = names.at(-1) ?? '';
    const head = JSON.parse(readFileSync(join(folder, last), 'utf8'));
    const record = {
      key: read.key,
      sha256: sha256(body),
      bytes: body.byteLength,
      records: read.lines,
      how: 'write',
      replaced: null,
    };
    const appended = {
      ...head,
      sequence: head.sequence + 1,
      previous: { key: `digest/instance=main/${last}`, sha256: sha256(readFileSync(join(folder, last))) },
      objects: [record],
      intents: [],
    };
    writeFileSync(
      join(folder, `${String(head.sequence + 1).padStart(10, '0')}.json`),
      `${JSON.stringify(appended)}\n`,
    );
    rewriteListed(copy, 'hours.json', (text) =>
      text.replace(
        `"sha256": "${read.sha256}",\n        "bytes": ${read.bytes},`,
        `"sha256": "${record.sha256}",\n        "bytes": ${record.bytes},`,
      ),
    );
    const noted = String(head.sequence);
    const unnoted = checkScript(copy, '--lake', again);
    expect(unnoted.status, unnoted.stdout).toBe(0);
    const run = checkScript(copy, '--lake', again, '--expect-head', noted);
    expect(run.status, run.stdout).toBe(1);
    expect(run.stdout).toContain(
      `FAILED: 1 object(s) of the bundle were recorded again after the head noted (digest ${noted}), with other bytes`,
    );
    expect(run.stdout).toContain(read.key);
    // Signed by the lake's key, the later digest is the lake's: a late pull's merge passes.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signed = join(dir, 'lake-re-recorded-signed');
    signedLakeCopy(again, signed, privateKey);
    const pem = join(dir, 're-recorded.pem');
    writeFileSync(pem, publicKey.export({ type: 'spki', format: 'pem' }));
    const keyed = checkScript(copy, '--lake', signed, '--expect-head', noted, '--public-key', pem);
    expect(keyed.status, keyed.stdout).toBe(0);
  });

  it("fails a line left out with its hour's count, its row and every list written again, against the lake", () => {
    const copy = join(dir, 'checked-line-left-out');
    cpSync(out, copy, { recursive: true });
    const [first = '', ...rest] = readFileSync(join(copy, 'events.ndjson'), 'utf8').split('\n');
    const { event_id: gone, event_time_ms: at, geo_db_version: geo } = JSON.parse(first);
    const hour = new Date(floorHour(at)).toISOString();
    rewriteListed(copy, 'events.ndjson', () => rest.join('\n'));
    // hours.json's hour and counts, manifest.json's counts and geo databases, one line fewer.
    const lowered = (text: string) => {
      const value = JSON.parse(text);
      const hours: { hour: string; activity: { kept: number } }[] = value.hours ?? [];
      const geos: { version: string | null; events: number }[] = value.geo_databases ?? [];
      for (const each of hours.filter((h) => h.hour === hour)) each.activity.kept -= 1;
      for (const each of [value.counts, ...geos.filter((g) => g.version === (geo || null))]) each.events -= 1;
      return `${JSON.stringify(value, null, 2)}\n`;
    };
    rewriteListed(copy, 'hours.json', lowered);
    rewriteListed(copy, 'queries/user_activity.json', (text) =>
      JSON.stringify(
        JSON.parse(text).filter((row: { event_id: string }) => row.event_id !== gone),
        null,
        2,
      ),
    );
    const rows = readFileSync(join(copy, 'queries/user_activity.json'));
    rewriteListed(copy, 'queries/user_activity.provenance.json', (text) => {
      const value = JSON.parse(text);
      value.output = { ...value.output, sha256: sha256(rows), bytes: rows.byteLength };
      value.rows.count -= 1;
      return JSON.stringify(value, null, 2);
    });
    rewriteListed(copy, 'manifest.json', lowered);
    // The bundle alone cannot tell: every list agrees with every other.
    const alone = checkScript(copy);
    expect(alone.status, alone.stdout).toBe(0);
    const run = checkScript(copy, '--lake', lake);
    expect(run.status, run.stdout).toBe(1);
    expect(run.stdout).toMatch(
      /FAILED: activity_log\/\S+: 1 line\(s\) of the case in it are not lines of the bundle: left out/,
    );
  });

  it("fails a user's bundle whose user_activity query was removed with its lines", () => {
    const copy = join(dir, 'checked-query-removed');
    cpSync(out, copy, { recursive: true });
    const gone = readdirSync(join(copy, 'queries'))
      .filter((name) => name.startsWith('user_activity.'))
      .map((name) => `queries/${name}`);
    expect(gone).toContain('queries/user_activity.provenance.json');
    for (const path of gone) rmSync(join(copy, path));
    unlist(copy, gone);
    rewriteListed(copy, 'hours.json', (text) => text);
    expect(spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: copy }).status).toBe(0);
    const run = checkScript(copy);
    expect(run.status, run.stdout).toBe(1);
    expect(run.stdout).toContain(
      'FAILED: queries/user_activity.provenance.json: absent from a bundle of user',
    );
  });

  it("fails a user's bundle passed off as one of every event, its user cut from the case", () => {
    const uncase = (text: string) => {
      const value = JSON.parse(text);
      value.case.user_id = null;
      return `${JSON.stringify(value, null, 2)}\n`;
    };
    const copy = join(dir, 'checked-user-cut');
    cpSync(out, copy, { recursive: true });
    rewriteListed(copy, 'hours.json', uncase);
    rewriteListed(copy, 'manifest.json', uncase);
    expect(spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: copy }).status).toBe(0);
    const withQueries = checkScript(copy);
    expect(withQueries.status, withQueries.stdout).toBe(1);
    expect(withQueries.stdout).toContain(
      `queries/user_activity.provenance.json: its query is of user '${user}', the bundle's case of every event`,
    );
    const gone = readdirSync(join(copy, 'queries')).map((name) => `queries/${name}`);
    rmSync(join(copy, 'queries'), { recursive: true });
    unlist(copy, gone);
    rewriteListed(copy, 'hours.json', (text) => text);
    expect(spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: copy }).status).toBe(0);
    const run = checkScript(copy);
    expect(run.status, run.stdout).toBe(1);
    expect(run.stdout).toContain('in a bundle of every event (no user), which keeps them all');
    expect(run.stdout).toContain(
      'FAILED: README.txt does not state the case hours.json and manifest.json state',
    );
  });

  // README.txt is what a person reads first: another case's What: line above the bundle's own was
  // read so, and passed, since check.py found the bundle's further down.
  it("fails a README.txt stating a second case above the bundle's own", () => {
    const copy = join(dir, 'checked-second-what');
    cpSync(out, copy, { recursive: true });
    rewriteListed(copy, 'README.txt', (text) =>
      text.replace(
        'What:     the events of Domo user',
        'What:     every event the lake holds for the period.\nWhat:     the events of Domo user',
      ),
    );
    const run = checkScript(copy);
    expect(run.status, run.stdout).toBe(1);
    expect(run.stdout).toContain(
      `FAILED: README.txt does not state the case hours.json and manifest.json state (user ${user}) alone: it has 2 What: lines`,
    );
  });

  it('fails a manifest whose geo databases are not those the lines name', () => {
    expect(checkScript(out).stdout).toContain('OK: manifest.json names the geo database(s) of the lines');
    const copy = join(dir, 'checked-geo-renamed');
    cpSync(out, copy, { recursive: true });
    rewriteListed(copy, 'manifest.json', (text) => {
      const manifest = JSON.parse(text);
      for (const geo of manifest.geo_databases)
        if (geo.version !== null) geo.version = 'newer-geo@2026120100';
      return `${JSON.stringify(manifest, null, 2)}\n`;
    });
    const run = checkScript(copy);
    expect(run.status, run.stdout).toBe(1);
    expect(run.stdout).toContain(
      'FAILED: manifest.json: its geo_databases are not the geo_db_version of the lines of events.ndjson',
    );
  });

  it('fails a file missing or not JSON with a FAILED line and status 1, not a traceback', () => {
    const copy = join(dir, 'checked-unreadable');
    cpSync(out, copy, { recursive: true });
    rmSync(join(copy, 'hours.json'));
    const missing = checkScript(copy);
    expect(missing.status, missing.stdout).toBe(1);
    expect(missing.stdout).toContain('FAILED: stopped, a file of the bundle cannot be read');
    expect(missing.stdout).not.toContain('Traceback');
    cpSync(out, copy, { recursive: true });
    rewriteListed(copy, 'hours.json', () => 'not JSON');
    const garbled = checkScript(copy);
    expect(garbled.status, garbled.stdout).toBe(1);
    expect(garbled.stdout).toContain('FAILED: stopped, a file of the bundle cannot be read');
  });

  it('fails a line edited, with its lists written again, only against the lake', () => {
    const copy = join(dir, 'checked-line-edited');
    cpSync(out, copy, { recursive: true });
    rewriteListed(copy, 'events.ndjson', (text) => text.replace('"event_text":"', '"event_text":"x'));
    expect(checkScript(copy).status).toBe(0);
    const run = checkScript(copy, '--lake', lake);
    expect(run.status, run.stdout).toBe(1);
    expect(run.stdout).toContain('a line of the bundle is not in it, in its order');
  });
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
