import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cp, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { describeIntegrity } from '../../functions/cli/integrity-report-text.ts';
import { main } from '../../functions/cli/main.ts';
import { emptyIntegrityReport, type IntegrityReport } from '../../functions/core/lake/integrity-report.ts';
import { coverageKey } from '../../functions/core/lake/layout.ts';
import { captureIo } from '../support/capture-io.ts';
import { dirPerFile } from '../support/dir-per-test.ts';
import { ingestKnownVersionsLake } from '../support/known-versions-lake.ts';

let dir: string;
let lake: string;
dirPerFile('verify-known-versions-', async (made) => {
  dir = made;
  lake = join(dir, 'lake');
  await ingestKnownVersionsLake(lake);
});

async function verify(...options: string[]) {
  const io = captureIo();
  const code = await main(['verify', '--lake', lake, '--instance', 'acme', ...options], io.io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('verify --integrity --known-versions', () => {
  it('on a lake on disk reads every object, says why, and writes the file of the lake it read', async () => {
    const file = join(dir, 'versions.json');
    const { code, stdout, stderr } = await verify('--integrity', '--known-versions', file);
    expect(code, stderr).toBe(0);
    const checked = Number(/(\d+) object\(s\) checked/.exec(stdout)?.[1]);
    expect(checked).toBeGreaterThan(0);
    expect(stdout).toContain(
      `object versions: not listed (the store keeps none: a lake on disk, or an S3-compatible store without the versions API): all ${checked} object(s) read`,
    );
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written).toMatchObject({
      format: 'domo-activity-lake/known-versions@1',
      lake: new FsObjectStore(lake).location,
      instance: 'acme',
      versions: [],
    });
    // The file it wrote is taken by the next check.
    expect((await verify('--integrity', '--known-versions', file)).code).toBe(0);
  });

  it('counts the checks that wrote the file, whose turn picks the share read again; --reread-turns is checked', async () => {
    const file = join(dir, 'turns.json');
    for (const checks of [1, 2]) {
      expect((await verify('--integrity', '--known-versions', file, '--reread-turns', '3')).code).toBe(0);
      expect(JSON.parse(readFileSync(file, 'utf8')).checks).toBe(checks);
    }
    const alone = await verify('--integrity', '--reread-turns', '3');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--reread-turns shares out the objects --known-versions spares');
    const odd = await verify('--integrity', '--known-versions', file, '--reread-turns', '1.5');
    expect(odd.code).toBe(2);
    expect(odd.stderr).toContain('--reread-turns "1.5": give a whole number from 0');
  });

  it('names the file it read and the one it wrote, each by its sha256 (review revid4 L5)', async () => {
    const file = join(dir, 'named.json');
    const first = await verify('--integrity', '--known-versions', file);
    const wrote = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(first.stdout).toContain(
      `known versions: no file at ${file} yet; wrote sha256 ${wrote} (0 entries): note it with the head`,
    );
    const writtenAt = JSON.parse(readFileSync(file, 'utf8')).written_at;
    const second = await verify('--integrity', '--known-versions', file, '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).integrity.versionsTaken.file).toEqual({
      path: file,
      read: { sha256: wrote, writtenAt, entries: 0 },
      written: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/), entries: 0 },
    });
  });

  it('is refused without --integrity, for a file that is not one, and for another lake', async () => {
    const noIntegrity = await verify('--known-versions', join(dir, 'none.json'));
    expect(noIntegrity.code).toBe(2);
    expect(noIntegrity.stderr).toContain(
      '--known-versions takes objects by the versions the integrity check read',
    );

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format":"something else"}');
    const notOne = await verify('--integrity', '--known-versions', bad);
    expect(notOne.code).toBe(2);
    expect(notOne.stderr).toContain(`--known-versions ${bad}: not a file of versions verify wrote`);

    const other = join(dir, 'other.json');
    const body = { format: 'domo-activity-lake/known-versions@1', lake: 's3://b/p/', instance: 'acme' };
    writeFileSync(other, JSON.stringify({ ...body, written_at: '2026-12-01T00:00:00.000Z', versions: [] }));
    const elsewhere = await verify('--integrity', '--known-versions', other);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain('the file is of instance "acme" at s3://b/p/');
  });

  it('with --from/--to still looks for every object the chain lists: one deleted before the range fails', async () => {
    const copy = join(dir, 'copy');
    const gone = coverageKey('acme', Date.parse('2026-09-30T12:00:00Z'));
    await cp(lake, copy, { recursive: true });
    // An hour of the day before the range's (the backfill's first day: covered, no events).
    await unlink(join(copy, ...gone.split('/')));
    const range = ['--from', '2026-10-01T04:00:00Z', '--to', '2026-10-01T05:00:00Z'];
    const argv = ['verify', '--lake', copy, '--instance', 'acme', '--integrity', ...range];
    // The ranged check of a copy of some days does not look for it...
    const ranged = captureIo();
    expect(await main(argv, ranged.io), ranged.stdout()).toBe(0);
    // ...the routine check, whose range only spares the lake's checks the hours read before, does.
    const routine = captureIo();
    const known = ['--known-versions', join(dir, 'copy-versions.json')];
    expect(await main([...argv, ...known], routine.io)).toBe(1);
    expect(routine.stdout()).toContain(`missing: ${gone}: a digest lists this object, but it is gone`);
  });

  it('says how many objects it took by version and how many it read, or why it read them all', () => {
    const report = (versionsTaken: IntegrityReport['versionsTaken']) =>
      describeIntegrity({ ...emptyIntegrityReport('acme'), ...(versionsTaken ? { versionsTaken } : {}) });
    expect(report({ listing: 'listed', taken: 40, read: 3 })).toContain(
      '  object versions: 40 object(s) judged by the version an earlier check read (not read again), 3 read; the file now holds the versions seen',
    );
    const share = { of: 12, turn: 4 };
    expect(report({ listing: 'listed', taken: 37, read: 6, rereadInTurn: 4, rereadShare: share })).toContain(
      '  object versions: 37 object(s) judged by the version an earlier check read (not read again), 6 read (4 of them read again in turn: share 5 of 12, so every object is read again within 12 checks); the file now holds the versions seen',
    );
    expect(report({ listing: 'failed', taken: 0, read: 43 })).toContain(
      '  object versions: not listed (listing them failed: the caller may lack s3:ListBucketVersions): all 43 object(s) read',
    );
    expect(report(undefined).join('\n')).not.toContain('object versions');
  });
});
