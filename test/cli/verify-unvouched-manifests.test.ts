import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { coverageKey } from '../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { day0, lakeWithUnvouchedManifest } from '../support/unvouched-manifest-lake.ts';

/**
 * `verify --integrity` counts the unvouched manifests whose events are vouched for on one line,
 * and the runbook's one command accepts them all with a note (docs/operations.md, "Bytes no digest
 * vouches for").
 */
let dir: string;
let lake: string;
const manifest = coverageKey('acme', day0 + 3 * HOUR_MS);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-unvouched-manifests-'));
  lake = join(dir, 'lake');
  const built = await lakeWithUnvouchedManifest(day0 + 3 * HOUR_MS);
  const disk = new FsObjectStore(lake);
  for (const [key, { body }] of built.objects) await disk.put(key, body);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const verify = async (...extra: string[]) => {
  const io = captureIo();
  const code = await main(['verify', '--lake', lake, '--instance', 'acme', '--integrity', ...extra], io.io);
  return { code, stdout: io.stdout() };
};

describe('verify --integrity on unvouched manifests whose events are vouched for', () => {
  it('counts them on one line, apart from the findings about events, and lists each in JSON', async () => {
    const text = await verify();
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      "  unvouched: 1 coverage manifest(s) whose events a digest vouches for (their event count and content hash are those of the hour's vouched events object): only their figures of the pulls are no digest's.",
    );
    expect(text.stdout).not.toContain(`unvouched: ${manifest}:`);
    const json = await verify('--json');
    const problems = JSON.parse(json.stdout).integrity.problems;
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'unvouched', key: manifest, agreesWithVouchedEvents: true }),
    ]);
  });

  it('accepts them all with a note, in the one command the runbook gives', async () => {
    const report = await verify('--json');
    // What the runbook's jq does: every such finding, with the operator's note.
    const note = 'events vouched for; pull figures compared with the version before, 2026-12-06';
    const accepted = JSON.parse(report.stdout)
      .integrity.problems.filter((p: { agreesWithVouchedEvents?: boolean }) => p.agreesWithVouchedEvents)
      .map(({ kind, key, sha256 }: { kind: string; key: string; sha256: string }) => ({
        kind,
        key,
        sha256,
        note,
      }));
    const file = join(dir, 'manifests-accepted.json');
    await writeFile(file, JSON.stringify(accepted));
    const passed = await verify('--accept', file);
    expect(passed.code, passed.stdout).toBe(0);
    expect(passed.stdout).toContain(`unvouched: ${manifest} (${note})`);
  });
});
