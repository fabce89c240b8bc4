import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { main } from '../../functions/cli/main.ts';
import { captureIoAt, clockFrom } from './clock-from.ts';
import { demoLake } from './demo-lake.ts';

/** The evidence tests' clock and days, and a client secret no file of a bundle may hold. */
export const EVIDENCE_CLOCK = clockFrom(Date.parse('2026-12-06T13:05:00Z'));
export const EVIDENCE_FROM = '2026-12-05';
export const EVIDENCE_TO = '2026-12-06';
export const EVIDENCE_SECRET = 'evidence-test-client-secret-7f3a';

/**
 * The demo's lake of two days and six people, in a new folder (`dir`, the lake in its `lake/`), and
 * a user with events on the first day: the first event's of its first hour that holds any.
 */
export async function evidenceDemoLake(prefix: string): Promise<{ dir: string; lake: string; user: string }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const lake = join(dir, 'lake');
  const { io } = captureIoAt(EVIDENCE_CLOCK);
  await demoLake(['--lake', lake, '--out', join(dir, 'demo-out'), '--days', '2', '--users', '6'], io);
  const day = join(lake, 'activity_log/instance=main', `dt=${EVIDENCE_FROM}`);
  const hour = readdirSync(day).sort()[0] ?? '';
  const first = gunzipSync(readFileSync(join(day, hour)))
    .toString('utf8')
    .split('\n')[0];
  return { dir, lake, user: (JSON.parse(first ?? '{}') as { user_id: string }).user_id };
}

/** `evidence` over the two days of `lake`, `args` after, through the command line's entry. */
export async function runEvidence(lake: string, args: readonly string[]) {
  const { io, stdout, stderr } = captureIoAt(EVIDENCE_CLOCK, {
    DOMO_CLIENT_SECRET: EVIDENCE_SECRET,
    DOMO_CLIENT_ID: 'id',
  });
  const code = await main(
    ['evidence', '--lake', lake, '--from', EVIDENCE_FROM, '--to', EVIDENCE_TO, ...args],
    io,
  );
  return { code, stdout: stdout(), stderr: stderr() };
}
