/**
 * `alerts --expected <file>`: the expected-activity list for a local run. An alert a rule matches
 * is neither listed nor in the message, and the run says how many each rule quieted; a bad file
 * is a usage error naming the flag.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { advanceCheckpoint } from '../../functions/core/lake/checkpoint.ts';
import { activityKey, HOUR_MS } from '../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { record } from '../core/alerts/support/alert-fixtures.ts';
import { captureIo } from '../support/capture-io.ts';

const HOUR = Date.parse('2026-11-10T10:00:00Z');
const clock = { now: () => HOUR + 3 * HOUR_MS };
let dir: string;
let lake: string;
let rules: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-expected-'));
  lake = join(dir, 'lake');
  const store = new FsObjectStore(lake);
  const lockouts = [
    record({ category: 'lockout', event_time_ms: HOUR + 60_000, user_id: 'svc', ip_address: '52.95.1.1' }),
    record({ category: 'lockout', event_time_ms: HOUR + 120_000, user_id: 'ann', ip_address: '8.8.4.4' }),
  ];
  await store.put(activityKey('acme', HOUR), encodeNdjsonGzip(lockouts));
  await advanceCheckpoint(store, 'acme', {
    watermarkMs: HOUR + HOUR_MS,
    runId: 'f',
    codeVersion: 'test',
    now: HOUR + HOUR_MS,
  });
  rules = join(dir, 'expected.json');
  await writeFile(
    rules,
    JSON.stringify([
      { name: 'backup', user: 'svc', ip: '52.95.0.0/16', reason: 'backup job from AWS' },
      // Past its until on the run's clock (2026-11-10): it quiets nothing, Ann's lockout included.
      { user: 'ann', reason: 'old', until: '2026-11-01' },
    ]),
  );
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function alerts(args: string[]) {
  const { io, stdout, stderr } = captureIo();
  const code = await main(['alerts', '--lake', lake, ...args], { ...io, clock });
  return { code, stdout: stdout(), stderr: stderr() };
}

describe('alerts --expected', () => {
  it('leaves out of the list and the message what a rule matches, and says how many it quieted', async () => {
    const out = join(dir, 'out-table');
    const run = await alerts(['--expected', rules, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('(ann)');
    expect(run.stdout).not.toContain('(svc)');
    expect(run.stdout).toContain(
      'quieted 1 alert (1 lockout) as expected activity, not listed: rule 1 ("backup"), backup job from AWS',
    );
    expect(run.stdout).toContain(
      'expected-activity rule 1 ("backup") has no until: it quiets its alerts for good',
    );
    expect(run.stdout).toContain(
      'expected-activity rule 2 expired at 2026-11-01: it quieted nothing; remove it or give it a later until',
    );
    const txt = await readFile(join(out, 'alerts.txt'), 'utf8');
    expect(txt).toContain('(ann)');
    expect(txt).not.toContain('(svc)');
  });

  it('keeps the JSON on stdout alone, the counts on stderr; without it, lists everything', async () => {
    const run = await alerts(['--expected', rules, '--format', 'json', '--out', join(dir, 'out-json')]);
    expect(run.code, run.stderr).toBe(0);
    // The quieted alerts follow the ones sent, each saying which rule quieted it (review R-MUTE L4).
    const listed = JSON.parse(run.stdout) as { user_id: string; quieted_by: string | null }[];
    expect(listed.map((a) => [a.user_id, a.quieted_by])).toEqual([
      ['ann', null],
      ['svc', 'rule 1 ("backup"): backup job from AWS'],
    ]);
    expect(run.stderr).toContain('warning: quieted 1 alert (1 lockout) as expected activity');
    const all = await alerts(['--format', 'json', '--out', join(dir, 'out-none')]);
    const plain = JSON.parse(all.stdout) as { user_id: string }[];
    expect(plain.map((a) => a.user_id).sort()).toEqual(['ann', 'svc']);
    expect(plain.every((a) => !('quieted_by' in a))).toBe(true);
  });

  it('refuses a file with a bad rule, or none, naming the flag', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify([{ kind: 'lockout', ip: '10.0.0.1/8', reason: 'r' }]));
    const run = await alerts(['--expected', bad, '--out', join(dir, 'out-bad')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--expected');
    expect(run.stderr).toContain(
      'expected-activity rule 1: "10.0.0.1/8" has bits set past its /8: write the network as 10.0.0.0/8',
    );
    const missing = await alerts(['--expected', join(dir, 'nope.json'), '--out', join(dir, 'out-missing')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read the file (ENOENT)');
    await writeFile(bad, '[{"kind": "lockout",');
    const notJson = await alerts(['--expected', bad, '--out', join(dir, 'out-not-json')]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('not valid JSON');
  });

  it('reads a file saved with a byte order mark, and warns of an until more than a year away', async () => {
    const file = join(dir, 'bom.json');
    const list = [{ name: 'backup', user: 'svc', ip: '52.95.0.0/16', reason: 'backup', until: '2028-01-01' }];
    await writeFile(file, `\uFEFF${JSON.stringify(list)}`);
    const run = await alerts(['--expected', file, '--out', join(dir, 'out-bom')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('quieted 1 alert (1 lockout) as expected activity');
    expect(run.stdout).toContain(
      'expected-activity rule 1 ("backup") runs until 2028-01-01, more than a year away: as good as for good',
    );
  });
});
