/**
 * What the check.py of an `evidence` bundle finds, run by python3 as its receiver runs it: the
 * bundle as written passes, alone and against the lake; each tamper a forger could try fails, with
 * what it names. Apart from evidence-command.test.ts, which writes the bundles, because the script
 * runs the same on any Node: the Node 24 pass leaves it out (scripts/lambda-node-tests.ts).
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex as sha256 } from '../../functions/core/lake/digest.ts';
import { coverageKey } from '../../functions/core/lake/layout.ts';
import { floorHour } from '../../functions/core/time-units.ts';
import { evidenceDemoLake, EVIDENCE_FROM as FROM, runEvidence } from '../support/evidence-demo-lake.ts';

let dir: string;
let lake: string;
let user: string;

const evidence = (args: readonly string[]) => runEvidence(lake, args);

beforeAll(async () => {
  ({ dir, lake, user } = await evidenceDemoLake('evidence-check-py-'));
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
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
