import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { assertRePullHours, readIngestEvent } from '../../functions/ingest/ingest-event.ts';

// Review ROTATE: the rotation runbook checked the new client with "the next run", which on the
// 15-minute schedule is three times in four a run with no new hour, that asks Domo nothing; the
// old client was then revoked on a run that had never shown Domo the new one. Its step 3 now
// re-pulls one hour: a run that must get a token and read a page with what was put.

const ROOT = resolve(import.meta.dirname, '../..');

/** The bash block of "## Rotating the secret" that holds `command`, unindented. */
function rotationSnippet(command: string): string {
  const text = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
  const start = text.indexOf('\n## Rotating the secret\n');
  const section = text.slice(start, text.indexOf('\n## ', start + 1));
  const block = section.split(/^ *```(?:bash)?\n/m).find((part) => part.includes(command));
  if (start === -1 || block === undefined)
    throw new Error(`operations.md: the rotation's ${command} is gone`);
  const lines = block
    .slice(0, block.search(/^ *```/m))
    .trimEnd()
    .split('\n');
  const indent = /^ */.exec(lines[0] ?? '')?.[0].length ?? 0;
  return lines.map((line) => line.slice(indent)).join('\n');
}

/** The AWS CLI's stand-in: notes its arguments, one a line, and writes the answer file it was named. */
const AWS_STAND_IN = `aws() { printf '%s\\n' "$@" > aws-args; echo '{"status":"ok"}' > "\${@: -1}"; }`;

/** BSD `date` (macOS): no `-d`; `-r <seconds>` formats that time. Played by GNU date. */
const BSD_DATE = `date() { local a; for a in "$@"; do [ "$a" = -d ] && { echo "date: illegal option -- d" >&2; return 1; }; done
  if [ "$1" = -u ] && [ "$2" = -r ]; then command date -u -d "@$3" "$4"; else command date "$@"; fi; }`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rotation-check-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the snippet in bash with `prelude` first; the payload it gave the AWS CLI, read as the function reads it. */
async function payloadOf(prelude: string) {
  const script = `${prelude}\n${rotationSnippet('aws lambda invoke').replace('<mainIngestFunction output>', 'ingest-main')}`;
  const ran = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
  expect(ran.status, ran.stderr).toBe(0);
  const args = (await readFile(join(dir, 'aws-args'), 'utf8')).trimEnd().split('\n');
  expect(args.slice(0, 4)).toEqual(['lambda', 'invoke', '--function-name', 'ingest-main']);
  // Synchronous: the answer is the check, so no `--invocation-type Event`.
  expect(args).not.toContain('--invocation-type');
  return JSON.parse(args[args.indexOf('--payload') + 1] ?? '') as unknown;
}

describe('the rotation runbook checks the new client with a run that must ask Domo', () => {
  it.each([
    ['GNU date', AWS_STAND_IN],
    ["macOS's date", `${AWS_STAND_IN}\n${BSD_DATE}`],
  ])('re-pulls one closed hour the function accepts (%s)', async (_date, prelude) => {
    const request = readIngestEvent(await payloadOf(prelude));
    if (request.mode !== 'range') throw new Error(`a ${request.mode} run was asked for`);
    expect(request.toMs - request.fromMs).toBe(HOUR_MS);
    // Closed past the longest settleMinutes a stack may have (240), and no older than a day: any
    // lake whose first day is before yesterday takes it.
    expect(() => assertRePullHours(request, Date.now(), 240, '2025-01-01', 30)).not.toThrow();
    expect(Date.now() - request.fromMs).toBeLessThan(24 * HOUR_MS);
  });
});

describe('the rotation runbook puts the value before current back', () => {
  it('moves AWSCURRENT to the AWSPREVIOUS version, from the current one, printing no value', () => {
    // Answers a listing with the id of the stage its --query names; notes the other calls.
    const standIn = `aws() { if [ "$2" = list-secret-version-ids ]; then
        case "$*" in *"'AWSPREVIOUS'"*) echo v-prev ;; *"'AWSCURRENT'"*) echo v-cur ;; esac
      else printf '%s\\n' "$@" >> aws-calls; fi; }`;
    const script = `${standIn}\n${rotationSnippet('update-secret-version-stage').replace('<mainSecretId output>', 'acme/domo/main')}`;
    const ran = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout).toBe('');
    expect(readFileSync(join(dir, 'aws-calls'), 'utf8').trimEnd().split('\n')).toEqual([
      'secretsmanager',
      'update-secret-version-stage',
      '--secret-id',
      'acme/domo/main',
      '--version-stage',
      'AWSCURRENT',
      '--move-to-version-id',
      'v-prev',
      '--remove-from-version-id',
      'v-cur',
    ]);
  });
});
