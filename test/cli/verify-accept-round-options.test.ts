/**
 * The round that accepts a dead run's findings, as `verify --integrity` prints it, is pasted as
 * printed. It left out the options of the check that printed it: a check with `--expect-head` failed
 * on a forgery after the noted head, and the pasted round, without it, said OK (review R-EVIDENCE3
 * H1). It now repeats them, and keeps only the dead run's findings of the report.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { lakeWithKilledRePull, rewriteAsFirstVersion } from '../support/first-version-chain.ts';
import { forgeHourOneAfterHead } from '../support/forged-hour-on-disk.ts';
import type { MemoryObjectStore } from '../support/memory-store.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;

/** A lake of the first digest version whose re-pull of hours 1-4 died after writing hour 3's manifest. */
async function lakeAfterKilledRePull(): Promise<MemoryObjectStore> {
  const { lake, domo } = await lakeWithKilledRePull(day0);
  const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };
  await runIngest(quietIngestDeps(domo, lake, hour(7) + 30 * 60_000), config, { runId: 'next' });
  await rewriteAsFirstVersion(lake, 'acme');
  return lake;
}

let dir: string;
let lake: string;
let noted: string;
let keyFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-accept-round-options-'));
  lake = join(dir, 'lake');
  const store = new FsObjectStore(lake);
  for (const [key, { body }] of (await lakeAfterKilledRePull()).objects) await store.put(key, body);
  const head = JSON.parse((await verify('--json')).stdout).integrity.head as { key: string; sha256: string };
  noted = `${head.key}=${head.sha256}`;
  // The forgery: hour 1 rewritten in a column plain verify does not read, listed by a digest after the head.
  await forgeHourOneAfterHead(lake, store, day0);
  keyFile = join(dir, 'key.pem');
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await writeFile(keyFile, publicKey.export({ type: 'spki', format: 'pem' }));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function verify(...extra: string[]) {
  const io = captureIo();
  const code = await main(['verify', '--lake', lake, '--instance', 'acme', '--integrity', ...extra], io.io);
  return { code, stdout: io.stdout() };
}

/** The two command lines of the accept round, as printed. */
function acceptRound(stdout: string): string[] {
  const lines = stdout.split('\n');
  const at = lines.findIndex((line) => line.startsWith('  once checked, accept them'));
  expect(at, stdout).toBeGreaterThan(-1);
  return lines.slice(at + 1, at + 3).map((line) => line.trim());
}

/** Runs `lines` in a shell, in `dir`, `verify` being the CLI as built: pasted as printed. */
function paste(lines: readonly string[]): { code: number; stdout: string } {
  const cli = resolve('bin/domo-activity-lake.js');
  const script = `verify() { node '${cli}' verify "$@"; }\n${lines.join('\n')}\n`;
  try {
    return { code: 0, stdout: execFileSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' }) };
  } catch (error) {
    const failed = error as { status: number; stdout: string };
    return { code: failed.status, stdout: failed.stdout };
  }
}

describe('the accept round verify --integrity prints', () => {
  it('repeats --expect-head in both commands, and still fails on the forgery after the noted head', async () => {
    const check = await verify('--expect-head', noted);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('changed-since-noted');
    const round = acceptRound(check.stdout);
    expect(round).toHaveLength(2);
    for (const line of round) expect(line).toContain(` --expect-head ${noted}`);
    const pasted = paste(round);
    expect(pasted.code, pasted.stdout).toBe(1);
    expect(pasted.stdout).toContain('changed-since-noted');
    // The dead run's findings are accepted: only the forgery is left.
    expect(pasted.stdout).toContain('accepted as known');
    expect(pasted.stdout).not.toMatch(/^ {2}unvouched:/m);
  });

  it('repeats --public-key (as an absolute path) in both commands', async () => {
    const check = await verify('--expect-head', noted, '--public-key', keyFile);
    const round = acceptRound(check.stdout);
    for (const line of round) expect(line).toContain(` --public-key ${keyFile} `);
    const pasted = paste(round);
    expect(pasted.code, pasted.stdout).toBe(1);
  });

  // Review R-SECOND6 H1: the operator's bound for aged-out hours; without it the round judges more.
  it('repeats --max-days in both commands', async () => {
    const check = await verify('--expect-head', noted, '--max-days', '36500');
    const round = acceptRound(check.stdout);
    for (const line of round) expect(line).toContain(' --max-days 36500');
  });

  it('keeps the report in another file than one the check accepted, which the round would empty first', async () => {
    const first = join(dir, 'findings.json');
    // Another finding accepted already: the dead run's are still to accept.
    const report = JSON.parse((await verify('--expect-head', noted, '--json')).stdout);
    const others = report.integrity.problems.filter((p: { kind: string }) => p.kind !== 'unvouched');
    await writeFile(first, JSON.stringify(others));
    const check = await verify('--expect-head', noted, '--accept', first);
    const round = acceptRound(check.stdout);
    expect(round[0]).toMatch(/ --accept \S+\/findings\.json --json \| jq .* > findings-2\.json$/);
    expect(round[1]).toMatch(/ --accept \S+\/findings\.json --accept findings-2\.json$/);
  });
});
