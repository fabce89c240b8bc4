/**
 * `alerts --expected` over a lake of several instances, which the command names as the lake's
 * folders do (`instance=<name>`, chosen with --instance): a rule's `instance` is judged against
 * them, as synth judges it against the stack's, and quiets only that instance's alerts. Ann's id
 * in `acme` is held by someone else in `beta`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { advanceCheckpoint } from '../../functions/core/lake/checkpoint.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { activityKey, DAY_MS, HOUR_MS, lakeTimestamp } from '../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { login } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

const DAY0 = Date.parse('2026-10-29T00:00:00Z');
const HOUR = Date.parse('2026-11-10T10:00:00Z');
const clock = { now: () => HOUR + 3 * HOUR_MS };
const ANN = '1839254411';
const US = { ip_address: '73.9.9.9', ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast' };
const JP = { ip_address: '133.242.0.1', ip_country: 'JP', ip_asn: 9370, ip_org: 'Sakura' };
const signIn = (ms: number, place: Partial<EventRecord>) =>
  login(lakeTimestamp(ms).slice(0, 19), 'login', { user_id: ANN, user_name: ANN, ...place });
let dir: string;
let lake: string;

/** Twelve mornings from the US, then a sign-in from Japan: a new country in `instance`. */
async function tripIn(store: FsObjectStore, instance: string): Promise<void> {
  for (let day = 0; day < 12; day++) {
    const morning = DAY0 + day * DAY_MS + 9 * HOUR_MS;
    await store.put(activityKey(instance, morning), encodeNdjsonGzip([signIn(morning + 60_000, US)]));
  }
  await store.put(activityKey(instance, HOUR), encodeNdjsonGzip([signIn(HOUR + 60_000, JP)]));
  await advanceCheckpoint(store, instance, {
    watermarkMs: HOUR + HOUR_MS,
    runId: `ingest-${instance}`,
    codeVersion: 'test',
    now: HOUR + HOUR_MS,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-expected-instances-'));
  lake = join(dir, 'lake');
  const store = new FsObjectStore(lake);
  await tripIn(store, 'acme');
  await tripIn(store, 'beta');
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function alerts(instance: string, rules: unknown[]) {
  const file = join(dir, `expected-${instance}-${rules.length}.json`);
  await writeFile(file, JSON.stringify(rules));
  const { io, stdout, stderr } = captureIo();
  const args = ['alerts', '--lake', lake, '--instance', instance, '--expected', file];
  const code = await main([...args, '--out', join(dir, `out-${instance}`)], { ...io, clock });
  return { code, stdout: stdout(), stderr: stderr() };
}

describe('alerts --expected in a lake of several instances', () => {
  const annInAcme = { name: 'Ann', instance: 'acme', user: ANN, country: 'JP', reason: 'Ann in Tokyo' };

  it("quiets a rule's instance's alerts only, and says nothing of another instance's rules", async () => {
    const office = { instance: 'beta', ip: '198.51.100.0/24', reason: 'beta office' };
    const inAcme = await alerts('acme', [office, annInAcme]);
    expect(inAcme.code, inAcme.stderr).toBe(0);
    expect(inAcme.stdout).not.toContain(`(${ANN})`);
    expect(inAcme.stdout).toContain('as expected activity, not listed: rule 2 ("Ann"), Ann in Tokyo');
    // The same id in beta is another person: listed.
    const inBeta = await alerts('beta', [office, annInAcme]);
    expect(inBeta.code, inBeta.stderr).toBe(0);
    expect(inBeta.stdout).toContain(`(${ANN})`);
    expect(inBeta.stdout).not.toContain('quieted');
    expect(inBeta.stdout).toContain('expected-activity rule 1 has no until');
    expect(inBeta.stdout).not.toContain('rule 2 ("Ann") has no until');
  });

  it('refuses an instance the lake does not hold, and a user without an instance, naming the flag', async () => {
    const typo = await alerts('acme', [{ ...annInAcme, instance: 'acm' }]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--expected');
    expect(typo.stderr).toContain(
      'expected-activity rule 1 ("Ann"): "instance" "acm" is not an instance in the lake (did you mean "acme"?), which has "acme" and "beta": name one of them (or a list of them), or point --lake at the lake that holds it',
    );
    const { instance: _, ...anywhere } = annInAcme;
    const ambiguous = await alerts('acme', [anywhere]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(
      'expected-activity rule 1 ("Ann"): names a "user" but no "instance", and there are 2 instances in the lake ("acme" and "beta")',
    );
  });
});
