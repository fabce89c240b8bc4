import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { describeIntegrity } from '../../functions/cli/integrity-report-text.ts';
import { main } from '../../functions/cli/main.ts';
import { describeReport } from '../../functions/cli/verify-report-text.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { emptyIntegrityReport, type IntegrityReport } from '../../functions/core/lake/integrity-report.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { verifyIntegrity } from '../../functions/core/lake/verify-integrity.ts';
import type { VerifyReport } from '../../functions/core/lake/verify-report.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { startLocalS3 } from '../adapters/s3rver-harness.ts';
import { captureIo } from '../support/capture-io.ts';
import { digestSignerOf, fakeKmsKey } from '../support/fake-kms-signer.ts';
import { ingestSixHours, SIX_HOURS_DAY0 } from '../support/six-hours-ingest.ts';

const day0 = SIX_HOURS_DAY0;
/** The command's clock just after the lake's last run: its report says no lag. */
const lakeClock = { now: () => day0 + 6 * HOUR_MS + 30 * 60_000 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-integrity-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('verify --integrity', () => {
  it('passes on a lake on disk and exits 1 naming an object whose bytes changed', async () => {
    const lake = join(dir, 'lake');
    await ingestSixHours(new FsObjectStore(lake));
    const ok = captureIo();
    expect(
      await main(['verify', '--lake', lake, '--instance', 'acme', '--integrity'], {
        ...ok.io,
        clock: lakeClock,
      }),
      ok.stderr(),
    ).toBe(0);
    expect(ok.stdout()).toMatch(
      /integrity: \d+ digest\(s\), \d+ object\(s\) checked, none signed \(an unsigned chain: a key checks nothing\)/,
    );
    // What the pass proves: a chain anyone who can write its folder can rewrite, with no head noted.
    expect(ok.stdout()).toMatch(
      /\n {2}OK \(consistency only: the chain is unsigned and no noted head was given \(--expect-head\)\)\n$/,
    );
    // The head to note (key and whole sha256), and why a disk lake cannot show a deleted one.
    expect(ok.stdout()).toMatch(
      / {2}head: digest\/instance=acme\/\d{10}\.json, sha256 [0-9a-f]{64}: note both/,
    );
    expect(ok.stdout()).toContain(
      'digest versions: not checked (the store keeps none, or lists none: a lake on disk, or an S3-compatible store without the versions API)',
    );

    const key = activityKey('acme', day0 + HOUR_MS);
    // Valid gzip NDJSON, so only the integrity check can tell: one hour emptied.
    await writeFile(join(lake, ...key.split('/')), gzipSync(''));
    const bad = captureIo();
    expect(await main(['verify', '--lake', lake, '--instance', 'acme', '--integrity'], bad.io)).toBe(1);
    expect(bad.stdout()).toContain(`changed: ${key}: its bytes`);
    expect(bad.stdout()).toContain('PROBLEMS FOUND');
  });

  it('passes with --accept naming the findings of an investigated incident, and refuses a bad list', async () => {
    const lake = join(dir, 'accepted');
    await ingestSixHours(new FsObjectStore(lake));
    const key = activityKey('acme', day0 + 2 * HOUR_MS);
    // A name changed in place: the hour still matches its manifest; only the chain can tell.
    const file = join(lake, ...key.split('/'));
    const records = decodeNdjsonGzip(await readFile(file)) as EventRecord[];
    // A column verify does not read again from `raw` (which would fail the check apart from --accept).
    await writeFile(file, encodeNdjsonGzip(records.map((r) => ({ ...r, ip_org: 'Mallory' }))));
    const args = ['verify', '--lake', lake, '--instance', 'acme', '--integrity'];
    const incident = captureIo();
    expect(await main([...args, '--json'], incident.io)).toBe(1);
    const incidentFile = join(dir, 'incident.json');
    await writeFile(incidentFile, incident.stdout());

    const known = captureIo();
    expect(
      await main([...args, '--accept', incidentFile], { ...known.io, clock: lakeClock }),
      known.stdout(),
    ).toBe(0);
    expect(known.stdout()).toContain('1 finding(s) accepted as known (--accept), not counted as problems:');
    expect(known.stdout()).toContain(`    changed: ${key}`);
    // What the pass proves says the accepted bytes are not a digest's (review REVIEW90).
    expect(known.stdout()).toContain(
      '; except the 1 finding(s) accepted as known (--accept), listed above\n',
    );
    expect(known.stdout()).toMatch(
      / {2}OK \(consistency only: the chain is unsigned and no noted head was given \(--expect-head\)\)\n$/,
    );

    const withoutIntegrity = captureIo();
    expect(await main(['verify', '--lake', lake, '--accept', incidentFile], withoutIntegrity.io)).toBe(2);
    expect(withoutIntegrity.stderr()).toContain(
      '--accept lists known findings of the integrity check: use it with --integrity',
    );
    const notJson = join(dir, 'not.json');
    await writeFile(notJson, 'changed a/b');
    const bad = captureIo();
    expect(await main([...args, '--accept', notJson], bad.io)).toBe(2);
    expect(bad.stderr()).toContain(`--accept ${notJson}:`);
    expect(bad.stderr()).toContain('Give a JSON file');

    // The runbook's report written with `npm run` (no -s): its banner lines come first.
    const withBanner = join(dir, 'with-banner.json');
    await writeFile(
      withBanner,
      `\n> domo-activity-lake@0.1.0 cli\n> node bin/domo-activity-lake.js verify\n\n${incident.stdout()}`,
    );
    const banner = captureIo();
    expect(await main([...args, '--accept', withBanner], banner.io)).toBe(2);
    const [line, ...more] = banner.stderr().trimEnd().split('\n');
    expect(more).toEqual([]);
    expect(line).toContain('write the report with `npm run -s cli -- verify …`');
    expect(line).toContain('Give a JSON file');

    // A list from before digest findings carried their sha256: the command says how to make one.
    const stale = join(dir, 'stale.json');
    await writeFile(
      stale,
      JSON.stringify([{ kind: 'unsigned', key: 'digest/instance=main/0000000001.json' }]),
    );
    const old = captureIo();
    expect(await main([...args, '--accept', stale], old.io)).toBe(2);
    expect(old.stderr()).toContain(
      'cannot say which bytes. Run verify --integrity --json again, check that the finding is still the digest you investigated, and accept that report instead.',
    );
  });

  it("refuses with exit 2 an --accept report of another lake's chain, and takes a copy's", async () => {
    const args = (lake: string) => ['verify', '--lake', lake, '--instance', 'acme', '--integrity'];
    const lakeA = join(dir, 'lake-a');
    const lakeB = join(dir, 'lake-b');
    await ingestSixHours(new FsObjectStore(lakeA));
    await ingestSixHours(new FsObjectStore(lakeB));
    const ofA = captureIo();
    expect(await main([...args(lakeA), '--json'], ofA.io)).toBe(0);
    const report = JSON.parse(ofA.stdout());
    expect(report.integrity.lake).toBe(lakeA);
    expect(report.integrity.genesis.key).toBe('digest/instance=acme/0000000000.json');
    const fileA = join(dir, 'report-of-a.json');
    await writeFile(fileA, ofA.stdout());
    const other = captureIo();
    expect(await main([...args(lakeB), '--accept', fileA], other.io)).toBe(2);
    expect(other.stderr()).toContain(`--accept ${fileA} is the report of another chain than the one checked`);
    expect(other.stdout()).toBe('');
    // A copy of lake A elsewhere is the same chain.
    const copy = join(dir, 'lake-a-copy');
    await cp(lakeA, copy, { recursive: true });
    const ofCopy = captureIo();
    expect(await main([...args(copy), '--accept', fileA], ofCopy.io), ofCopy.stderr()).toBe(0);
  });

  it('refuses --public-key or --accept without --integrity before it opens the lake', async () => {
    // A lake that is not there is the lake's failure (exit 1): a usage error is said first (exit 2).
    const missing = join(dir, 'no-such-lake');
    for (const extra of [
      ['--public-key', 'AAAA'],
      ['--accept', join(dir, 'findings.json')],
    ]) {
      const { io, stderr } = captureIo();
      expect(await main(['verify', '--lake', missing, ...extra], io), stderr()).toBe(2);
      expect(stderr()).toContain('use it with --integrity');
    }
  });

  it('refuses a --public-key that names a directory or an unreadable file as a usage error', async () => {
    const { io, stderr } = captureIo();
    const args = ['verify', '--lake', join(dir, 'no-such-lake'), '--integrity', '--public-key', dir];
    expect(await main(args, io), stderr()).toBe(2);
    expect(stderr()).toContain(`--public-key ${dir}: it cannot be read (`);
    expect(stderr()).toContain('DigestPublicKeyCommand');
  });

  it('refuses --public-key without --integrity', async () => {
    const { io, stderr } = captureIo();
    expect(await main(['verify', '--lake', join(dir, 'lake'), '--public-key', 'AAAA'], io)).not.toBe(0);
    expect(stderr()).toContain('--public-key checks digest signatures: use it with --integrity');
  });

  it('checks signatures offline with the public key as PEM, base64 or DER file; refuses a key that is none', async () => {
    const key = fakeKmsKey();
    const signer = digestSignerOf(key);
    const lake = join(dir, 'signed');
    await ingestSixHours(new FsObjectStore(lake), signer);
    const files = {
      pem: key.publicKeyPem,
      b64: `${key.publicKeyBase64}\n`,
      der: Buffer.from(key.publicKeyBase64, 'base64'),
    };
    for (const [name, content] of Object.entries(files)) {
      const file = join(dir, `key.${name}`);
      await writeFile(file, content);
      const run = captureIo();
      const args = ['verify', '--lake', lake, '--instance', 'acme', '--integrity', '--public-key', file];
      expect(await main(args, run.io), `${name}: ${run.stdout()}${run.stderr()}`).toBe(0);
      expect(run.stdout()).toMatch(/integrity: (\d+) digest\(s\), \d+ object\(s\) checked, \1 signed/);
    }

    const other = fakeKmsKey();
    await writeFile(join(dir, 'other.pem'), other.publicKeyPem);
    const wrong = captureIo();
    const wrongArgs = ['verify', '--lake', lake, '--instance', 'acme', '--integrity', '--public-key'];
    expect(await main([...wrongArgs, join(dir, 'other.pem')], wrong.io)).toBe(1);
    expect(wrong.stdout()).toMatch(/bad-signature: digest\/instance=acme\/.*does not match/);

    await writeFile(join(dir, 'not-a-key.txt'), 'hello');
    const garbage = captureIo();
    expect(await main([...wrongArgs, join(dir, 'not-a-key.txt')], garbage.io)).toBe(2);
    expect(garbage.stderr()).toContain('is not a DER SubjectPublicKeyInfo');
    expect(garbage.stderr()).not.toContain('no such file');

    const missing = captureIo();
    expect(await main([...wrongArgs, join(dir, 'nokey.b64')], missing.io)).toBe(2);
    expect(missing.stderr()).toMatch(
      /--public-key .*nokey\.b64: there is no such file, and it is not a key given inline either \(/,
    );
  });

  it('walks the chain of a lake in S3 (s3rver) the same way', async () => {
    const s3 = await startLocalS3('integrity-bucket');
    try {
      const store = new S3ObjectStore({ client: s3.client, bucket: 'integrity-bucket', prefix: 'lake' });
      await ingestSixHours(store);
      const report = await verifyIntegrity(store, 'acme', { versions: store });
      expect(report).toMatchObject({ ok: true, problems: [] });
      // s3rver has no versions API: the check says it could not look (mocked S3: s3-store-list-versions).
      expect(report.digestVersions).toBe('not-available');
      expect(report.digests).toBeGreaterThan(0);
      expect(report.objectsChecked).toBeGreaterThan(5);
    } finally {
      await s3.stop();
    }
  });
});

describe('verify --integrity text: versions first recorded on read', () => {
  const describeWith = (versions: number, unsealedHead: IntegrityReport['unsealedHead'] = null): string => {
    const recordedOnRead = Array.from({ length: versions }, (_, i) => ({
      key: `activity_log/instance=acme/v${i}.ndjson.gz`,
      digest: `digests/instance=acme/d${i}.json`,
      as: i % 2 === 0 ? ('read' as const) : ('replaced' as const),
      runId: `run-${i}`,
      runs: ['run-dead'],
    }));
    const integrity: IntegrityReport = {
      instance: 'acme',
      digests: versions,
      head: null,
      genesis: null,
      digestVersions: 'not-available',
      objectsChecked: versions,
      adoptedAtGenesis: 0,
      recordedOnRead,
      signedDigests: 0,
      signaturesChecked: false,
      unsignedBeforeSigning: 0,
      unsealedHead,
      problems: [],
      problemsFound: 0,
      accepted: [],
      acceptedNotFound: [],
      ok: true,
    };
    const report = {
      instance: 'acme',
      fromMs: day0,
      toMs: day0 + HOUR_MS,
      windowsCovered: 1,
      windowsExpected: 1,
      gaps: [],
      events: 1,
      duplicateIds: 0,
      misplacedRecords: 0,
      lateEventsTotal: 0,
      quarantined: 0,
      outOfWindow: 0,
      quarantineReasons: [],
      watermarkMs: day0 + HOUR_MS,
      uncoveredBelowWatermark: 0,
      interruptedWindows: 0,
      manifestMismatches: [],
      grownPastManifest: [],
      duplicates: [],
      unreadable: [],
      unreadableCount: 0,
      foreignKeys: [],
      foreignKeyCount: 0,
      integrity,
      ok: true,
    } as unknown as VerifyReport;
    return describeReport(report, '/lake');
  };
  const listed = (text: string) => text.split('\n').filter((line) => /^ {4}activity_log\//.test(line));

  it('lists five and says how many more there are', () => {
    const text = describeWith(7);
    expect(text).toContain('  7 version(s) first recorded when a run read them or wrote over them');
    expect(listed(text)).toHaveLength(5);
    expect(text).toContain(
      '    activity_log/instance=acme/v3.ndjson.gz (written over by run run-3 in digests/instance=acme/d3.json; unsealed: run run-dead)\n',
    );
    expect(text).toContain(
      '    activity_log/instance=acme/v4.ndjson.gz (read by run run-4 in digests/instance=acme/d4.json; unsealed: run run-dead)\n    ... and 2 more (--json lists them)\n',
    );
    expect(text).not.toContain('v5.ndjson.gz');
  });

  it('says when the last digest is not sealed, and what to do before judging', () => {
    const head = {
      key: 'digests/instance=acme/d4.json',
      runId: 'run-9',
      createdAt: '2026-10-01T05:00:00.000Z',
      fromMs: null,
    };
    expect(describeWith(0)).not.toContain('not sealed');
    expect(describeWith(0, head)).toContain(
      '  the last digest (digests/instance=acme/d4.json, run run-9, 2026-10-01T05:00:00.000Z) is not sealed: that run died or is still running',
    );
  });

  it('lists exactly five with no "and more" line, and six rather than "and 1 more"', () => {
    for (const n of [5, 6]) {
      const text = describeWith(n);
      expect(listed(text)).toHaveLength(n);
      expect(text).not.toMatch(/and \d+ more/);
    }
  });
});

describe('verify --integrity text: more problems than the report lists', () => {
  it('says how many of how many are listed, and how to list the others', () => {
    const problems = Array.from({ length: 30 }, (_, i) => ({
      kind: 'unvouched' as const,
      key: `activity_log/instance=acme/v${i}.ndjson.gz`,
      detail: 'no digest vouches for these bytes',
      sha256: 'a'.repeat(64),
    }));
    const integrity = { ...emptyIntegrityReport('acme'), digests: 3, problems, problemsFound: 42, ok: false };
    const text = describeIntegrity(integrity).join('\n');
    expect(text).toContain('  ... and 10 more (--json lists them)');
    expect(text).toContain(
      '  30 of 42 problem(s) listed (--json lists those 30): once they are investigated, give that report to --accept and verify again to list the 12 others',
    );
    expect(text).not.toContain('lists them all');
    const one = describeIntegrity({ ...integrity, problemsFound: 31 }).join('\n');
    expect(one).toContain('verify again to list the 1 other (docs/operations.md');
  });
});
