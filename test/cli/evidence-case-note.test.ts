/**
 * `evidence --case-note`: the bundle says what it answers (a ticket, an alert), in manifest.json's
 * case and README.txt's opening lines, and check.py holds the two against each other (review
 * EVIDCASE: legal could not tie a bundle to the alert mail that started the case). A bundle of
 * every event, so that no query runs: the small, fast case of evidence-command.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_NOTE_MAX, caseNoteOf } from '../../functions/cli/evidence-command.ts';
import { main } from '../../functions/cli/main.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';
import { demoLake } from '../support/demo-lake.ts';

const clock = clockFrom(Date.parse('2026-12-06T13:05:00Z'));
const NOTE = 'INC-4711: alert 2026-12-05T03:00Z new_country, user 1234 (Zoë)';

let dir: string;
let lake: string;

async function evidence(args: readonly string[]) {
  const { io, stdout, stderr } = captureIoAt(clock);
  const code = await main(
    ['evidence', '--lake', lake, '--from', '2026-12-05T00:00:00Z', '--to', '2026-12-05T03:00:00Z', ...args],
    io,
  );
  return { code, stdout: stdout(), stderr: stderr() };
}

/** check.py run by python3 from another folder, as a receiver runs it. */
function checkPy(bundle: string, ...args: string[]) {
  const run = spawnSync('python3', [join(bundle, 'check.py'), ...args], { cwd: tmpdir(), encoding: 'utf8' });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evidence-case-note-'));
  lake = join(dir, 'lake');
  const { io } = captureIoAt(clock);
  await demoLake(['--lake', lake, '--out', join(dir, 'demo-out'), '--days', '2', '--users', '2'], io);
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('evidence --case-note: what the bundle answers', () => {
  it("is written into manifest.json's and hours.json's case and README.txt's opening lines", async () => {
    const out = join(dir, 'noted');
    const { code, stderr } = await evidence(['--out', out, '--case-note', `  ${NOTE} `]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.case.note).toBe(NOTE);
    expect(JSON.parse(readFileSync(join(out, 'hours.json'), 'utf8')).case.note).toBe(NOTE);
    const readme = readFileSync(join(out, 'README.txt'), 'utf8').split('\n');
    expect(readme[2]).toBe(`Case:     ${NOTE}`);
    const checked = checkPy(out);
    expect(checked.out).toContain(`OK: README.txt and manifest.json note the same case: ${NOTE}`);
    expect(checked.status).toBe(0);
  });

  it('is null in the manifest, and absent from README.txt, without the option', async () => {
    const out = join(dir, 'plain');
    expect((await evidence(['--out', out])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).case.note).toBeNull();
    expect(readFileSync(join(out, 'README.txt'), 'utf8')).not.toContain('\nCase:');
    expect(checkPy(out).status).toBe(0);
  });

  it("fails check.py when README.txt's note is not the manifest's, or added to a bundle without one", async () => {
    const out = join(dir, 'edited');
    expect((await evidence(['--out', out, '--case-note', NOTE])).code).toBe(0);
    const readmePath = join(out, 'README.txt');
    const readme = readFileSync(readmePath, 'utf8');
    // An edited README with SHA256SUMS left alone fails there too: the note's own line is what is asked.
    writeFileSync(readmePath, readme.replace(`Case:     ${NOTE}`, 'Case:     INC-9999: another alert'));
    const edited = checkPy(out);
    expect(edited.out).toContain(
      `FAILED: README.txt notes the case as 'INC-9999: another alert', manifest.json as '${NOTE}'`,
    );
    expect(edited.status).toBe(1);

    const plain = join(dir, 'plain-added');
    expect((await evidence(['--out', plain])).code).toBe(0);
    const plainReadme = join(plain, 'README.txt');
    writeFileSync(
      plainReadme,
      readFileSync(plainReadme, 'utf8').replace('\n\nWhat:', '\n\nCase:     INC-1: added\nWhat:'),
    );
    expect(checkPy(plain).out).toContain(
      "FAILED: README.txt notes the case as 'INC-1: added', manifest.json as nothing",
    );
  });

  it('notes a bundle made before case notes (no note key at all), as one that predates them', async () => {
    const out = join(dir, 'before-notes');
    expect((await evidence(['--out', out])).code).toBe(0);
    expect(checkPy(out).out).not.toContain('a bundle made before they were written');
    // The bundle as made before --case-note: no note key in either case, the sums written for it.
    const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    const hoursPath = join(out, 'hours.json');
    const hours = JSON.parse(readFileSync(hoursPath, 'utf8'));
    delete hours.case.note;
    writeFileSync(hoursPath, JSON.stringify(hours, null, 2));
    const manifestPath = join(out, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    delete manifest.case.note;
    const entry = manifest.files.find((file: { path: string }) => file.path === 'hours.json');
    entry.sha256 = sha(hoursPath);
    entry.bytes = readFileSync(hoursPath).length;
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    const sumsPath = join(out, 'SHA256SUMS');
    const sums = readFileSync(sumsPath, 'utf8')
      .split('\n')
      .map((line) => {
        const path = line.slice(66);
        return path === 'hours.json' || path === 'manifest.json' ? `${sha(join(out, path))}  ${path}` : line;
      });
    writeFileSync(sumsPath, sums.join('\n'));
    const checked = checkPy(out);
    expect(checked.status, checked.out).toBe(0);
    expect(checked.out).toContain(
      'NOTE: manifest.json holds no case note (a bundle made before they were written)',
    );
  });

  it('refuses, before the lake is read, a note that is empty, not one printable line, or too long', async () => {
    for (const bad of ['', '   ', 'INC-1\nsecond line', 'tab\there', 'esc\u001b[31m', 'rtl \u202e']) {
      expect(() => caseNoteOf(bad)).toThrow(UsageError);
    }
    expect(() => caseNoteOf('x'.repeat(CASE_NOTE_MAX + 1))).toThrow(/201 characters, more than 200/);
    expect(caseNoteOf('é'.repeat(CASE_NOTE_MAX))).toBe('é'.repeat(CASE_NOTE_MAX));
    expect(() => caseNoteOf('a\u0007b')).toThrow(/U\+0007, not a printable character/);
    const { code, stderr } = await evidence(['--out', join(dir, 'refused'), '--case-note', 'a\nb']);
    expect(code).toBe(2);
    expect(stderr).toContain('--case-note "a\\nb": holds U+000A');
  });
});

describe("check.py --expect-head: a head noted for the bundle's instance only", () => {
  it("refuses a key naming another instance, and takes one naming the bundle's", async () => {
    const out = join(dir, 'head-instance');
    expect((await evidence(['--out', out])).code).toBe(0);
    const instance = JSON.parse(readFileSync(join(out, 'hours.json'), 'utf8')).case.instance;
    const head = readdirSync(join(lake, 'digest', `instance=${instance}`))
      .sort()
      .at(-1);
    const own = checkPy(out, '--lake', lake, '--expect-head', `digest/instance=${instance}/${head}`);
    expect(own.status, own.out).toBe(0);
    expect(own.out).toContain('the chain holds the head noted');
    // The same digest number noted for another instance was held against this chain's before.
    const other = checkPy(out, '--lake', lake, '--expect-head', `digest/instance=other/${head}`);
    expect(other.status, other.out).toBe(2);
    expect(other.out).toContain(
      `FAILED: --expect-head: the head noted is of instance 'other' (digest/instance=other/), the bundle of instance '${instance}'`,
    );
    expect(other.out).not.toContain('OK:');
  });
});
