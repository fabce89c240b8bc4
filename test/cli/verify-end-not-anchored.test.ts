import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { digestSignerOf, fakeKmsKey } from '../support/fake-kms-signer.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const key = fakeKmsKey('arn:aws:kms:eu-west-1:123456789012:key/end-not-anchored');
const signer = digestSignerOf(key);

/** A signed scheduled run of instance `acme` on the lake on disk at `lake`, its clock at `nowMs`. */
async function signedRunAt(lake: string, nowMs: number) {
  const source = new MemoryAuditSource(
    Array.from({ length: 16 }, (_, i) => viewEntry(day0 + i * 30 * 60_000, i)),
  );
  const deps = { ...quietIngestDeps(source, new FsObjectStore(lake), nowMs), digestSigner: signer };
  await runIngest(deps, { ...defaultIngestConfig('acme'), backfillDays: 1 });
}

async function verify(lake: string, ...options: string[]) {
  const io = captureIo();
  const argv = ['verify', '--lake', lake, '--instance', 'acme', '--integrity', ...options];
  const code = await main(argv, io.io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

let dir: string;
let before: string;
let cut: string;
let pub: string;
let headBeforeCut: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-end-not-anchored-'));
  pub = join(dir, 'key.b64');
  await writeFile(pub, key.publicKeyBase64);
  // Two signed runs; a copy of the lake after the first.
  before = join(dir, 'before');
  await signedRunAt(before, day0 + 6 * HOUR_MS + 1);
  const after = join(dir, 'after');
  await cp(before, after, { recursive: true });
  await signedRunAt(after, day0 + 8 * HOUR_MS + 1);
  const noted = JSON.parse((await verify(after, '--json', '--public-key', pub)).stdout).integrity.head;
  headBeforeCut = `${noted.key}=${noted.sha256}`;
  // The insider, without the key: the second run's digests cut off, tables and state rolled back.
  cut = join(dir, 'cut');
  await cp(after, cut, { recursive: true });
  const kept = new Set(await readdir(join(before, 'digest/instance=acme')));
  for (const name of await readdir(join(cut, 'digest/instance=acme')))
    if (!kept.has(name)) await rm(join(cut, 'digest/instance=acme', name));
  for (const table of ['activity_log', 'coverage', 'quarantine', 'state']) {
    await rm(join(cut, table), { recursive: true, force: true });
    await cp(join(before, table), join(cut, table), { recursive: true }).catch(() => undefined);
  }
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const NOT_ANCHORED = "the chain's end is not anchored";

describe('a signed chain cut at its end (review R-AUDITOR H1)', () => {
  it('passes its signatures, but the verdict and check.caveats say the end is not anchored', async () => {
    const { code, stdout } = await verify(cut, '--public-key', pub);
    expect(code, stdout).toBe(0);
    const verdict = stdout.trimEnd().split('\n').at(-1) as string;
    expect(verdict).toMatch(/^ {2}OK \(/);
    expect(verdict).toContain(
      `${NOT_ANCHORED}: digests removed from its end together with what they list pass`,
    );
    const json = JSON.parse((await verify(cut, '--public-key', pub, '--json')).stdout);
    expect(json.check.result).toBe('OK');
    expect(json.check.caveats).toEqual(expect.arrayContaining([expect.stringContaining(NOT_ANCHORED)]));
  });

  it('fails with the head noted before the cut, and a noted head still held anchors the end', async () => {
    expect((await verify(cut, '--public-key', pub, '--expect-head', headBeforeCut)).code).toBe(1);
    const json = JSON.parse((await verify(cut, '--public-key', pub, '--json')).stdout);
    const held = `${json.integrity.head.key}=${json.integrity.head.sha256}`;
    const { code, stdout } = await verify(cut, '--public-key', pub, '--expect-head', held);
    expect(code, stdout).toBe(0);
    expect(stdout).not.toContain(NOT_ANCHORED);
  });
});

describe('--require-anchor: a pass nothing outside the lake anchors exits 3 (review R-AUDITOR M2)', () => {
  it('ends NOT ANCHORED, exit 3, for the cut chain and for one whose signatures were not checked', async () => {
    for (const key of [['--public-key', pub], []]) {
      const { code, stdout } = await verify(cut, ...key, '--require-anchor');
      expect(code, stdout).toBe(3);
      expect(stdout.trimEnd().split('\n').at(-1)).toMatch(
        /^ {2}NOT ANCHORED \((the chain's end|consistency only)/,
      );
      expect(stdout).toContain('--require-anchor');
      const json = JSON.parse((await verify(cut, ...key, '--require-anchor', '--json')).stdout);
      expect(json.check.result).toBe('NOT ANCHORED');
      expect(json.check.options.requireAnchor).toBe(true);
      expect(json.check.caveats.length).toBeGreaterThan(0);
    }
  });

  it('exits 0 once a noted head and the key anchor it, and leaves the exit code alone without the switch', async () => {
    const json = JSON.parse((await verify(cut, '--public-key', pub, '--json')).stdout);
    const held = `${json.integrity.head.key}=${json.integrity.head.sha256}`;
    const anchored = await verify(cut, '--public-key', pub, '--expect-head', held, '--require-anchor');
    expect(anchored.code, anchored.stdout).toBe(0);
    expect(anchored.stdout.trimEnd().split('\n').at(-1)).toMatch(/^ {2}OK/);
    // Scripts and alarms already relying on exit 0 keep it: the switch is asked for.
    expect((await verify(cut)).code).toBe(0);
    // A broken check stays exit 1, whatever the switch.
    expect((await verify(cut, '--expect-head', headBeforeCut, '--require-anchor')).code).toBe(1);
  });

  it('is refused without --integrity (exit 2)', async () => {
    const io = captureIo();
    expect(await main(['verify', '--lake', cut, '--instance', 'acme', '--require-anchor'], io.io)).toBe(2);
    expect(io.stderr()).toContain('--require-anchor');
  });
});
