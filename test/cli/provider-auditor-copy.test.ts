/**
 * docs/operations.md, "One customer's auditor": the command the auditor runs on the customer's
 * lake copied to disk. Review AUDITOR2 (2026-12-07): it gave the key alone, so a copy whose
 * chain's end was cut passed, and a lake with an erasure accepted by the provider failed, with no
 * word of the files that accept it. Run here as written, on a signed lake with a rewritten hour.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { verifyOptions } from '../../functions/cli/commands/verify.ts';
import { main } from '../../functions/cli/main.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { digestSignerOf, fakeKmsKey } from '../support/fake-kms-signer.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';

const operations = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
const section = operations.slice(
  operations.indexOf("**One customer's auditor, that customer's data only.**"),
  operations.indexOf('- **Athena**: not per customer in one stack.'),
);

/** The section's `verify` command, its continued lines joined, as the words after `verify`. */
function documentedVerify(): string[] {
  const start = section.indexOf('```bash');
  const block = section.slice(start, section.indexOf('```', start + 7)).replace(/\\\n\s*/g, ' ');
  const line = block.split('\n').find((l) => l.trim().startsWith('npx --no domo-activity-lake verify '));
  const words = (line ?? '').match(/'[^']*'|"[^"]*"|\S+/g) ?? [];
  const unquoted = words.map((w) => w.replace(/^(['"])(.*)\1$/, '$2'));
  return unquoted.slice(unquoted.indexOf('verify') + 1);
}

const day0 = Date.parse('2026-10-01T00:00:00Z');
const key = fakeKmsKey('arn:aws:kms:eu-west-1:123456789012:key/provider-auditor-copy');

let dir: string;
let lake: string;
const files: Record<string, string> = {};

async function verify(...argv: string[]) {
  const io = captureIo();
  const code = await main(['verify', ...argv], io.io);
  return { code, stdout: io.stdout() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provider-auditor-copy-'));
  lake = join(dir, 'lake-acme');
  const source = new MemoryAuditSource(
    Array.from({ length: 16 }, (_, i) => viewEntry(day0 + i * 30 * 60_000, i)),
  );
  const deps = {
    ...quietIngestDeps(source, new FsObjectStore(lake), day0 + 8 * HOUR_MS),
    digestSigner: digestSignerOf(key),
  };
  await runIngest(deps, { ...defaultIngestConfig('acme'), backfillDays: 1 });
  files.key = join(dir, 'digest-public-key.b64');
  await writeFile(files.key, key.publicKeyBase64);
  const head = JSON.parse((await verify('--lake', lake, '--integrity', '--json')).stdout).integrity.head;
  files.head = `${head.key}=${head.sha256}`;
  // The provider rewrites an hour on purpose (its events kept, its bytes other), then accepts it
  // as privacy.md's step 5 does.
  const hour1 = join(lake, activityKey('acme', day0 + HOUR_MS));
  await writeFile(hour1, gzipSync(gunzipSync(await readFile(hour1)), { level: 1 }));
  files.accepted = join(dir, 'erasure-case.json');
  await writeFile(files.accepted, (await verify('--lake', lake, '--integrity', '--json')).stdout);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("operations.md's verify of one customer's lake copied by its auditor", () => {
  it('gives the key, the noted head, --require-anchor and the accepted files, all options verify has', () => {
    const args = documentedVerify();
    for (const option of ['--integrity', '--public-key', '--expect-head', '--require-anchor', '--accept'])
      expect(args, option).toContain(option);
    for (const option of args.filter((a) => a.startsWith('--')))
      expect(Object.keys(verifyOptions), option).toContain(option.slice(2));
  });

  it('passes as written on the copy, anchored, the rewrite accepted; not without the head or the file', async () => {
    const args = documentedVerify().map(
      (a) =>
        ({
          'lake-$i': lake,
          'digest-public-key.b64': files.key,
          '<the head noted last>': files.head,
          'erasure-<case>.json': files.accepted,
        })[a] ?? a,
    );
    const run = await verify(...args);
    expect(run.code, run.stdout).toBe(0);
    // OK, anchored; the lake's watermark is old by this machine's clock, which it notes.
    expect(run.stdout).toMatch(/\n {2}OK( \(the watermark is [^\n]* behind[^\n]*\))?\n$/);
    expect(run.stdout).toContain('1 finding(s) accepted as known (--accept)');
    const accept = args.indexOf('--accept');
    const without = await verify(...args.slice(0, accept), ...args.slice(accept + 2));
    expect(without.code).toBe(1);
    // Without the noted head, nothing outside the copy anchors the chain's end: exit 3.
    const head = args.indexOf('--expect-head');
    expect((await verify(...args.slice(0, head), ...args.slice(head + 2))).code).toBe(3);
  });
});
