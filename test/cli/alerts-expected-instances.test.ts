/**
 * `alerts --expected` over a lake of several instances, which the command names as the lake's
 * folders do (`instance=<name>`, chosen with --instance): a rule's `instance` quiets only that
 * instance's alerts, and is judged against the stack's instances when the file is cdk.json (as
 * synth judges it), against the lake's otherwise. Ann's id in `acme` is held by someone else in
 * `beta`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { advanceCheckpoint } from '../../functions/core/lake/checkpoint.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { activityKey, lakeTimestamp } from '../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
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

let files = 0;

/** `alerts --expected` with `content` (a list, or a cdk.json) over `at` (the shared lake by default). */
async function alerts(instance: string, content: unknown, more: { at?: string; args?: string[] } = {}) {
  const file = join(dir, `expected-${files++}.json`);
  await writeFile(file, JSON.stringify(content));
  const { io, stdout, stderr } = captureIo();
  const args = ['alerts', '--lake', more.at ?? lake, '--instance', instance, '--expected', file];
  const out = ['--out', join(dir, `out-${instance}`)];
  const code = await main([...args, ...out, ...(more.args ?? [])], { ...io, clock });
  return { code, stdout: stdout(), stderr: stderr() };
}

/** The project's cdk.json of a stack of `instances`, with its list. */
const cdkJson = (instances: string[], expected: unknown[]) => ({
  app: 'npx tsx infra/app.ts',
  context: { activityLake: { instances: instances.map((name) => ({ name })), alerts: { expected } } },
});

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

  it('warns of an instance the lake does not hold, and refuses a user without an instance, naming the flag', async () => {
    // The stack may have an instance the lake holds no data of yet: it quiets nothing here.
    const typo = await alerts('acme', [{ ...annInAcme, instance: 'acm' }]);
    expect(typo.code, typo.stderr).toBe(0);
    expect(typo.stdout.replace(/\s+/g, ' ')).toContain(
      'expected-activity rule 1 ("Ann"): "instance" "acm" is not an instance in the lake (did you mean "acme"?), which has "acme" and "beta": name one of them (or a list of them), or remove it from the rule (the rule itself, if it is for no other instance), or give the project\'s cdk.json as --expected if it is an instance of the stack the lake holds no data of yet: here, it quiets nothing',
    );
    expect(typo.stdout).toContain(`(${ANN})`);
    const { instance: _, ...anywhere } = annInAcme;
    const ambiguous = await alerts('acme', [anywhere]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('--expected');
    expect(ambiguous.stderr).toContain(
      'expected-activity rule 1 ("Ann"): names a "user" but no "instance", and there are 2 instances in the lake ("acme" and "beta")',
    );
    expect(ambiguous.stderr).toContain("give the project's cdk.json as --expected");
  });

  it("judges a cdk.json's list against the stack's instances, as synth does, not the lake's", async () => {
    const { instance: _, ...anywhere } = annInAcme;
    // A stack of acme alone (beta removed, its folders left in the lake): the rule is acme's.
    const alone = await alerts('acme', cdkJson(['acme'], [anywhere]));
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stdout).toContain('as expected activity, not listed: rule 1 ("Ann"), Ann in Tokyo');
    // An instance the stack has and the lake does not yet: nothing to say.
    const added = await alerts(
      'acme',
      cdkJson(['acme', 'gamma'], [{ ...annInAcme, instance: ['acme', 'gamma'] }]),
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).not.toContain('not an instance');
    const both = await alerts(
      'acme',
      cdkJson(['acme', 'gamma'], [anywhere, { ...annInAcme, instance: 'gamm' }]),
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(
      'expected-activity rule 2 ("Ann"): "instance" "gamm" is not an instance of the stack (did you mean "gamma"?), which has "acme" and "gamma": name one of them (or a list of them), or remove it from the rule (the rule itself, if it is for no other instance), or add the instance to "instances" if it is missing there; expected-activity rule 1 ("Ann"): names a "user" but no "instance", and there are 2 instances of the stack ("acme" and "gamma")',
    );
  });

  it('judges a user without an instance by the instances with data after --since', async () => {
    // acme, and an instance removed after its first day: its folders and checkpoint stay.
    const removed = join(dir, 'removed-lake');
    const store = new FsObjectStore(removed);
    await tripIn(store, 'acme');
    const gone = DAY0 + DAY_MS;
    await store.put(activityKey('gone', DAY0), encodeNdjsonGzip([signIn(DAY0 + 60_000, US)]));
    await advanceCheckpoint(store, 'gone', {
      watermarkMs: gone,
      runId: 'ingest-gone',
      codeVersion: 'test',
      now: gone,
    });
    const { instance: _, ...anywhere } = annInAcme;
    const whole = await alerts('acme', [anywhere], { at: removed });
    expect(whole.code).toBe(2);
    expect(whole.stderr).toContain('there are 2 instances in the lake ("acme" and "gone")');
    const since = await alerts('acme', [anywhere], {
      at: removed,
      args: ['--since', '2026-11-09T00:00:00Z'],
    });
    expect(since.code, since.stderr).toBe(0);
    expect(since.stdout).toContain('as expected activity, not listed: rule 1 ("Ann"), Ann in Tokyo');
  });
});
