/**
 * `evidence --check-script <file>`: the receiver's own copy of the check.py a bundle of this version
 * holds, with its sha256, and README.txt naming that sha256 and the command. Until 2026-12-07
 * README.txt asked the receiver to compare check.py's sha256 with a copy not from the sender and
 * gave no way to get one.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { versionLine } from '../../functions/cli/cli-version.ts';
import { CHECK_SCRIPT } from '../../functions/cli/evidence-check-script.ts';
import { type EvidenceReadmeFacts, evidenceReadme } from '../../functions/cli/evidence-readme.ts';
import { main } from '../../functions/cli/main.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';

const dir = mkdtempSync(join(tmpdir(), 'evidence-check-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clock = clockFrom(Date.parse('2026-12-07T12:00:00Z'));
const SHA256 = createHash('sha256').update(CHECK_SCRIPT).digest('hex');

async function evidence(args: readonly string[]) {
  const { io, stdout, stderr } = captureIoAt(clock);
  const code = await main(['evidence', ...args], io);
  return { code, stdout: stdout(), stderr: stderr() };
}

it('writes the check.py every bundle of this version holds, and prints its sha256', async () => {
  const file = join(dir, 'own-check.py');
  const run = await evidence(['--check-script', file]);
  expect(run.code).toBe(0);
  expect(readFileSync(file, 'utf8')).toBe(CHECK_SCRIPT);
  expect(run.stdout).toContain(`check.py of ${versionLine()} written to ${file}\nsha256 ${SHA256}\n`);
});

it('never overwrites a file, and takes no bundle option beside it', async () => {
  const file = join(dir, 'check.py');
  writeFileSync(file, 'the bundle own');
  const there = await evidence(['--check-script', file]);
  expect(there.code).toBe(2);
  expect(there.stderr).toContain('already there; name a new file');
  expect(readFileSync(file, 'utf8')).toBe('the bundle own');
  const mixed = await evidence(['--check-script', join(dir, 'other.py'), '--out', join(dir, 'b')]);
  expect(mixed.code).toBe(2);
  expect(mixed.stderr).toContain('--check-script writes the script alone: drop --out');
});

it("names the script's sha256 and the command in README.txt", () => {
  const facts: EvidenceReadmeFacts = {
    createdAt: '2026-12-07T12:00:00.000Z',
    tool: 'domo-activity-lake 1.0.0 (commit 0123456789ab)',
    node: 'v20.0.0',
    duckdb: undefined,
    lake: 'lake',
    instance: 'main',
    domoCustomer: undefined,
    from: '2026-12-06T00:00:00.000Z',
    to: '2026-12-07T00:00:00.000Z',
    userId: undefined,
    counts: { events: 0, quarantined: 0, hours: 24, hours_with_manifest: 24, hours_with_events: 0 },
    check: { result: 'OK', caveats: [], head: undefined },
    queries: [],
    geoDatabases: [],
  };
  const readme = evidenceReadme(facts);
  expect(readme).toContain(`check.py has the sha256\n  ${SHA256}.`);
  expect(readme).toContain('domo-activity-lake evidence --check-script <new file>');
});
