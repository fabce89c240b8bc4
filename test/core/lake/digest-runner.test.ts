/**
 * A digest records who ran its run and which API it read (`runner`), covered by its signature, and
 * digests written before it (none) still read and verify.
 */
import { describe, expect, it } from 'vitest';
import { appendDigest, decodeDigest, sha256Hex } from '../../../functions/core/lake/digest.ts';
import { apiOrigin, type DigestRunner } from '../../../functions/core/lake/digest-runner.ts';
import { RunnersNoted } from '../../../functions/core/lake/digest-runners-seen.ts';
import { digestKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity, walkDigestChain } from '../../../functions/core/lake/verify-integrity.ts';
import { digestSignerOf, fakeKmsKey } from '../../support/fake-kms-signer.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const key = fakeKmsKey('arn:aws:kms:eu-west-1:123456789012:key/runner-test');
const signer = digestSignerOf(key);

const scheduled: DigestRunner = {
  trigger: 'schedule',
  api_base: 'https://api.domo.com',
  caller: {
    kind: 'lambda',
    function_arn: 'arn:aws:lambda:eu-west-1:123456789012:function:ingest-acme',
    function_name: 'ingest-acme',
    function_version: '$LATEST',
    request_id: 'req-1',
  },
};

const append = (store: MemoryObjectStore, runId: string, runner?: DigestRunner) =>
  appendDigest(store, {
    instance: 'acme',
    runId,
    createdAt: '2026-12-06T07:00:00.000Z',
    objects: [],
    sealed: true,
    fromMs: null,
    signer,
    ...(runner ? { runner } : {}),
  });

const text = (body: Uint8Array | undefined) => new TextDecoder().decode(body);
const bytes = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value)}\n`);

describe('the runner of a digest', () => {
  it('is written in each digest and read back', async () => {
    const store = new MemoryObjectStore();
    await append(store, 'run-1', scheduled);
    const stored = await store.get(digestKey('acme', 0));
    expect(decodeDigest(digestKey('acme', 0), stored?.body ?? new Uint8Array()).runner).toEqual(scheduled);
  });

  it('is covered by the signature: a runner changed afterwards fails the check', async () => {
    const store = new MemoryObjectStore();
    await append(store, 'run-1', {
      ...scheduled,
      trigger: 'ingest-range',
      caller: { kind: 'command-line', self_reported: true, host: 'laptop', user: 'mallory' },
    });
    const publicKey = key.publicKeyBase64;
    expect((await verifyIntegrity(store, 'acme', { publicKey })).ok).toBe(true);
    const at = digestKey('acme', 0);
    const digest = JSON.parse(text((await store.get(at))?.body));
    // Passed off as the ingest function's run, with the signature kept.
    await store.put(at, bytes({ ...digest, runner: scheduled }));
    const report = await verifyIntegrity(store, 'acme', { publicKey });
    expect(report.problems.map((p) => p.kind)).toContain('bad-signature');
  });

  it('is absent in digests of earlier versions, which still read and verify', async () => {
    const store = new MemoryObjectStore();
    await append(store, 'old-run');
    const at = digestKey('acme', 0);
    expect(text((await store.get(at))?.body)).not.toContain('"runner"');
    expect(decodeDigest(at, (await store.get(at))?.body ?? new Uint8Array()).runner).toBeUndefined();
    expect(await verifyIntegrity(store, 'acme', { publicKey: key.publicKeyBase64 })).toMatchObject({
      ok: true,
    });
  });

  it("of a later version's shape (another trigger, more fields) does not make the digest unreadable", () => {
    const later = {
      format: 'domo-activity-lake/digest@1',
      instance: 'acme',
      sequence: 0,
      run_id: 'r',
      created_at: '2026-12-06T07:00:00.000Z',
      previous: null,
      genesis: true,
      sealed: true,
      from_ms: null,
      runner: {
        trigger: 'step-function',
        caller: { kind: 'ecs-task', task_arn: 'arn:x', spot: false, attempt: 2, tags: { team: 'x' } },
      },
      objects: [],
    };
    expect(decodeDigest('k', bytes(later)).runner).toEqual(later.runner);
  });

  it('in a digest without `sealed`, which every version writing a runner writes, marks it edited', () => {
    const edited = {
      format: 'domo-activity-lake/digest@1',
      instance: 'acme',
      sequence: 0,
      run_id: 'r',
      created_at: '2026-12-06T07:00:00.000Z',
      previous: null,
      genesis: true,
      runner: scheduled,
      objects: [],
    };
    expect(() => decodeDigest('k', bytes(edited))).toThrow(/has runner but no sealed/);
  });

  it('records the API as its origin: never a path, a user name or a password', () => {
    expect(apiOrigin('https://api.domo.com')).toBe('https://api.domo.com');
    expect(apiOrigin('https://u:p@proxy.example:8443/secret/v1?x=1')).toBe('https://proxy.example:8443');
    expect(apiOrigin('http://127.0.0.1:4010/')).toBe('http://127.0.0.1:4010');
  });
});

describe('RunnersNoted', () => {
  it("groups digests by runner, setting each invocation's request id and log stream aside", () => {
    const invocation = (requestId: string, stream: string): DigestRunner => ({
      ...scheduled,
      caller: { ...scheduled.caller, request_id: requestId, log_stream: stream } as DigestRunner['caller'],
    });
    const cli: DigestRunner = {
      trigger: 'ingest',
      api_base: 'https://evil.example',
      caller: { kind: 'command-line', self_reported: true, host: 'laptop', user: 'mallory' },
    };
    const noted = new RunnersNoted();
    noted.note(digestKey('acme', 0), 'old');
    noted.note(digestKey('acme', 1), 'a', invocation('r1', 's1'));
    noted.note(digestKey('acme', 3), 'c', cli);
    noted.note(digestKey('acme', 2), 'b', invocation('r2', 's2'));
    noted.note(digestKey('acme', 4), 'b', invocation('r2', 's2'));
    // A digest walked again (the chain grew while verify read) counts once.
    noted.note(digestKey('acme', 4), 'b', invocation('r2', 's2'));
    const { request_id: _r, ...groupedCaller } = scheduled.caller as { request_id: string };
    expect(noted.seen()).toEqual([
      { digests: 1, runs: 1, firstDigest: digestKey('acme', 0), lastDigest: digestKey('acme', 0) },
      {
        runner: { ...scheduled, caller: groupedCaller },
        digests: 3,
        runs: 2,
        firstDigest: digestKey('acme', 1),
        lastDigest: digestKey('acme', 4),
      },
      {
        runner: cli,
        digests: 1,
        runs: 1,
        firstDigest: digestKey('acme', 3),
        lastDigest: digestKey('acme', 3),
      },
    ]);
  });
});

describe('digests that record no runner, or that the key did not sign (review R-EVIDENCE3 M2, L1)', () => {
  it('are apart when they come after a digest that records a runner, and say after which', () => {
    const noted = new RunnersNoted();
    noted.note(digestKey('acme', 0), 'old-1');
    noted.note(digestKey('acme', 1), 'old-2');
    noted.note(digestKey('acme', 2), 'new', scheduled);
    noted.note(digestKey('acme', 3), 'stale-workstation');
    noted.note(digestKey('acme', 4), 'new-2', scheduled);
    noted.note(digestKey('acme', 5), 'forged');
    expect(noted.seen()).toEqual([
      { digests: 2, runs: 2, firstDigest: digestKey('acme', 0), lastDigest: digestKey('acme', 1) },
      expect.objectContaining({ digests: 2, runner: expect.anything(), lastDigest: digestKey('acme', 4) }),
      {
        afterRunnerAt: digestKey('acme', 2),
        digests: 2,
        runs: 2,
        firstDigest: digestKey('acme', 3),
        lastDigest: digestKey('acme', 5),
      },
    ]);
  });

  it('checked with the key, an unsigned digest is not counted with the function the signed ones name', async () => {
    const store = new MemoryObjectStore();
    await append(store, 'run-1', scheduled);
    await append(store, 'run-2', scheduled);
    // An unsigned copy of the last digest, as the next digest, in another invocation's name.
    const last = JSON.parse(text((await store.get(digestKey('acme', 1)))?.body));
    const { signature: _dropped, ...unsigned } = last;
    await store.put(
      digestKey('acme', 2),
      bytes({
        ...unsigned,
        sequence: 2,
        run_id: 'run-3',
        previous: {
          key: digestKey('acme', 1),
          sha256: sha256Hex((await store.get(digestKey('acme', 1)))?.body ?? new Uint8Array()),
        },
        runner: { ...scheduled, caller: { ...scheduled.caller, request_id: 'req-9' } },
      }),
    );
    const chain = await walkDigestChain(store, 'acme', { publicKey: key.publicKeyBase64 });
    const report = await chain.checkObjects();
    expect(report.problems.map((p) => p.kind)).toContain('unsigned');
    expect(chain.runners()).toEqual([
      expect.objectContaining({ digests: 2, runs: 2, runner: expect.anything() }),
      expect.objectContaining({
        digests: 1,
        runs: 1,
        notSignedByKey: true,
        firstDigest: digestKey('acme', 2),
      }),
    ]);
    // Without a key nothing is checked, so nothing is set apart.
    const unchecked = await walkDigestChain(store, 'acme');
    await unchecked.checkObjects();
    expect(unchecked.runners()).toEqual([expect.objectContaining({ digests: 3, runs: 3 })]);
  });
});
