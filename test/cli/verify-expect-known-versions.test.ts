import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';
import { dirPerFile } from '../support/dir-per-test.ts';
import { ingestKnownVersionsLake } from '../support/known-versions-lake.ts';

// Review F-VERIFY2 2: the routine check's pass rests on the known-versions file; whoever can edit
// it between two checks could name a forged version with an object's old sha256. The sha256 noted
// from the previous check's output now guards it.

let dir: string;
let lake: string;
dirPerFile('verify-expect-known-', async (made) => {
  dir = made;
  lake = join(dir, 'lake');
  await ingestKnownVersionsLake(lake);
});

async function verify(...options: string[]) {
  const io = captureIo();
  const code = await main(['verify', '--lake', lake, '--instance', 'acme', '--integrity', ...options], io.io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('verify --expect-known-versions', () => {
  it('takes the file whose sha256 is the one the previous check wrote, and says so', async () => {
    const file = join(dir, 'match.json');
    const first = await verify('--known-versions', file, '--json');
    expect(first.code, first.stderr).toBe(0);
    const noted = JSON.parse(first.stdout).check.options.knownVersions.writtenSha256;
    expect(noted).toBe(sha256(file));
    const second = await verify(
      '--known-versions',
      file,
      '--expect-known-versions',
      noted.toUpperCase(),
      '--json',
    );
    expect(second.code, second.stderr).toBe(0);
    const known = JSON.parse(second.stdout).check.options.knownVersions;
    expect(known).toMatchObject({ readSha256: noted, expectedSha256: noted });
    const before = sha256(file);
    const text = await verify('--known-versions', file, '--expect-known-versions', before);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      `--known-versions ${file} (read sha256 ${before}, as expected, wrote sha256 `,
    );
  });

  it('refuses a file edited since, naming both sha256, before reading anything or writing it', async () => {
    const file = join(dir, 'edited.json');
    expect((await verify('--known-versions', file)).code).toBe(0);
    const noted = sha256(file);
    // An edit that leaves it a valid file: an entry added, the format kept.
    const body = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, `${JSON.stringify({ ...body, written_at: '2026-01-01T00:00:00.000Z' })}\n`);
    const edited = sha256(file);
    const refused = await verify('--known-versions', file, '--expect-known-versions', noted);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(
      `error: --known-versions ${file} has sha256 ${edited} as read, not the ${noted} --expect-known-versions gives (the sha256 the previous check wrote)`,
    );
    // Not rewritten: the file stays as found, for whoever looks into it.
    expect(sha256(file)).toBe(edited);
  });

  it('refuses a file that is not there, and the option without --known-versions or a sha256', async () => {
    const noted = 'a'.repeat(64);
    const missing = await verify(
      '--known-versions',
      join(dir, 'gone.json'),
      '--expect-known-versions',
      noted,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      `gone.json is not there, not the ${noted} --expect-known-versions gives`,
    );
    const alone = await verify('--expect-known-versions', noted);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('use it with --known-versions');
    const bad = await verify('--known-versions', join(dir, 'bad.json'), '--expect-known-versions', 'abc');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('give the sha256 (64 hex digits)');
  });
});
