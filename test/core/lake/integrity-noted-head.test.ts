import { describe, expect, it } from 'vitest';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { listDigestKeys, sha256Hex } from '../../../functions/core/lake/digest.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { NotedHeadError, parseNotedHead } from '../../../functions/core/lake/verify-noted-head.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { DAY0, lakeAfterOneRun, oneDayConfig } from './support/one-run-lake.ts';

/** The sha256 of no bytes: what a finding about a digest that is gone names. */
const NONE = sha256Hex(new Uint8Array());

/**
 * A lake after one run whose head was noted as the check printed it, and the next scheduled run to
 * run at will. No versions are passed to the check (a lake on disk): the noted head is all there is.
 */
async function lakeWithNotedHead() {
  const lake = await lakeAfterOneRun();
  const first = await verifyIntegrity(lake.store, 'acme');
  expect(first.ok).toBe(true);
  const head = first.head as { key: string; sha256: string };
  /** The next scheduled run; `lookbackHours` 0: it pulls the new hour alone, no hour noted. */
  const nextRun = async (lookbackHours?: number) => {
    lake.setClock(DAY0 + 7 * HOUR_MS + 30 * 60_000);
    await runIngest(lake.deps, {
      ...oneDayConfig(),
      ...(lookbackHours === undefined ? {} : { lookbackHours }),
    });
  };
  const check = () =>
    verifyIntegrity(lake.store, 'acme', { notedHeads: [parseNotedHead(`${head.key}=${head.sha256}`)] });
  return { ...lake, head, nextRun, check };
}

const shaOf = (store: { objects: Map<string, { body: Uint8Array }> }, key: string) =>
  sha256Hex(store.objects.get(key)?.body as Uint8Array);

describe('verify --integrity with a head noted earlier', () => {
  it('passes while the noted digest is still the head, and says it found it', async () => {
    const { head, check } = await lakeWithNotedHead();
    const report = await check();
    expect(report).toMatchObject({ ok: true, problems: [], notedHeads: [head] });
  });

  it('passes when later runs appended digests after the noted head', async () => {
    const { store, head, nextRun, check } = await lakeWithNotedHead();
    // A re-pull of the noted hours rewrites their manifests: a finding (see
    // integrity-changed-since-noted.test.ts); a run that pulls only new hours is not.
    await nextRun(0);
    expect((await listDigestKeys(store, 'acme')).at(-1)).not.toBe(head.key);
    const report = await check();
    expect(report).toMatchObject({ ok: true, problems: [], notedHeads: [head] });
  });

  it('fails when the noted digest was deleted and the next run wrote its number again', async () => {
    const { store, head, nextRun, check } = await lakeWithNotedHead();
    store.delete(head.key);
    await nextRun();
    // The probe of the review: the chain alone is whole again, and passes.
    expect(await verifyIntegrity(store, 'acme')).toMatchObject({ ok: true, problems: [] });
    const now = shaOf(store, head.key);
    expect(now).not.toBe(head.sha256);
    const report = await check();
    expect(report.ok).toBe(false);
    expect(report.notedHeads).toEqual([]);
    expect(report.problems).toEqual([
      {
        kind: 'noted-head',
        key: head.key,
        sha256: now,
        detail: expect.stringContaining(
          `noted as the chain's head with sha256 ${head.sha256}, it holds sha256 ${now} now: it was rewritten, or deleted and written again`,
        ),
      },
    ]);
  });

  it('fails when the noted digest is gone and the chain ends before it', async () => {
    const { store, head, check } = await lakeWithNotedHead();
    store.delete(head.key);
    const report = await check();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.kind, p.key, p.sha256])).toEqual([['noted-head', head.key, NONE]]);
    expect(report.problems[0]?.detail).toMatch(
      /it is gone, and the chain now ends at .*: its end was cut off/,
    );
    // Off S3 nothing keeps the key's versions: the finding says where else to look.
    expect(report.problems[0]?.detail).toContain(
      'a lake on disk or a copy keeps no versions: ask whoever handed over the lake what became of that digest, or compare with the copy kept when the head was noted',
    );
  });

  it('fails when the noted digest is gone from the middle of the chain, digests after it still there', async () => {
    const { store, head, nextRun, check } = await lakeWithNotedHead();
    await nextRun();
    store.delete(head.key);
    const report = await check();
    expect(report.ok).toBe(false);
    const noted = report.problems.filter((p) => p.kind === 'noted-head');
    expect(noted.map((p) => [p.key, p.sha256])).toEqual([[head.key, NONE]]);
    expect(noted[0]?.detail).toContain('it is gone, though digests after it are there');
  });

  it('lists the noted-head finding first, so the cap on listed findings never leaves it out', async () => {
    const { store, head, nextRun, check } = await lakeWithNotedHead();
    await nextRun();
    store.delete(head.key);
    const report = await check();
    // The gap is a finding about the digests, made while the chain is walked: before the head's.
    expect(report.problems.map((p) => p.kind)).toEqual(['noted-head', 'broken-link', 'broken-link']);
  });

  it('fails when the noted head was rewritten in place, which the chain alone does not show', async () => {
    const { store, head, check } = await lakeWithNotedHead();
    const digest = JSON.parse(new TextDecoder().decode(store.objects.get(head.key)?.body));
    store.putNow(head.key, new TextEncoder().encode(JSON.stringify(digest, null, 1)));
    expect(await verifyIntegrity(store, 'acme')).toMatchObject({ ok: true, problems: [] });
    const report = await check();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.kind, p.key, p.sha256])).toEqual([
      ['noted-head', head.key, shaOf(store, head.key)],
    ]);
  });

  it('fails when the noted digest keeps its bytes but the links from the head no longer reach it', async () => {
    const { store, head, nextRun, check } = await lakeWithNotedHead();
    await nextRun();
    // The digest after the noted one relinked to other bytes: the chain after it is not the one noted.
    const keys = await listDigestKeys(store, 'acme');
    const after = keys[keys.indexOf(head.key) + 1] as string;
    const digest = JSON.parse(new TextDecoder().decode(store.objects.get(after)?.body));
    digest.previous.sha256 = 'f'.repeat(64);
    store.putNow(after, new TextEncoder().encode(JSON.stringify(digest)));
    // The digests after it relinked as a forger without the signing key would: only that link breaks.
    for (const [i, later] of keys.entries()) {
      if (i <= keys.indexOf(after)) continue;
      const relinked = JSON.parse(new TextDecoder().decode(store.objects.get(later)?.body));
      relinked.previous.sha256 = shaOf(store, keys[i - 1] as string);
      store.putNow(later, new TextEncoder().encode(JSON.stringify(relinked)));
    }
    const report = await check();
    expect(report.ok).toBe(false);
    const noted = report.problems.filter((p) => p.kind === 'noted-head');
    expect(noted.map((p) => [p.key, p.sha256])).toEqual([[head.key, head.sha256]]);
    expect(noted[0]?.detail).toContain(
      `does not reach it: ${after} names ${head.key} with sha256 ffffffffffff…`,
    );
  });

  it("fails on a head noted for another instance's chain", async () => {
    const { head, store } = await lakeWithNotedHead();
    const other = head.key.replace('instance=acme', 'instance=beta');
    const report = await verifyIntegrity(store, 'acme', {
      notedHeads: [parseNotedHead(`${other}=${head.sha256}`)],
    });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.kind, p.key])).toEqual([['noted-head', other]]);
    expect(report.problems[0]?.detail).toContain('a digest of instance "beta", not of "acme"');
  });

  it('is not accepted as a known finding', async () => {
    const { store, head, nextRun, check } = await lakeWithNotedHead();
    store.delete(head.key);
    await nextRun();
    const incident = await check();
    const again = await verifyIntegrity(store, 'acme', {
      notedHeads: [parseNotedHead(`${head.key}=${head.sha256}`)],
      accepted: incident.problems,
    });
    expect(again.ok).toBe(false);
    expect(again.problems.map((p) => p.kind)).toEqual(['noted-head']);
  });
});

describe('a noted head, as given', () => {
  const sha = 'd45834a2'.repeat(8);
  const key = 'digest/instance=acme/0000000032.json';

  it('takes the key, the file name or the number, with the whole sha256', () => {
    for (const digest of [key, '0000000032.json', '0000000032', '32']) {
      expect(parseNotedHead(`${digest}=${sha}`)).toMatchObject({ sequence: 32, sha256: sha });
    }
    expect(parseNotedHead(`${key}=${sha}`).instance).toBe('acme');
    expect(parseNotedHead(`32=${sha.toUpperCase()}`).sha256).toBe(sha);
  });

  it('takes the head object of the JSON report, as printed, with or without its label', () => {
    const printed = JSON.stringify({ key, sha256: sha }, null, 2);
    expect(parseNotedHead(printed)).toEqual({ sequence: 32, instance: 'acme', sha256: sha });
    expect(parseNotedHead(`"head": ${printed},`)).toEqual({ sequence: 32, instance: 'acme', sha256: sha });
  });

  it('refuses what is not one, saying what is wrong and which forms are taken', () => {
    const refused = (value: string) => {
      try {
        parseNotedHead(value);
      } catch (error) {
        expect(error).toBeInstanceOf(NotedHeadError);
        return (error as Error).message;
      }
      throw new Error(`${value} was taken`);
    };
    expect(refused(key)).toMatch(/has no "=" between the digest and its sha256\. Give <digest>=<sha256>/);
    expect(refused(`${key}=${sha.slice(0, 12)}…`)).toContain('is not 64 hex digits');
    expect(refused(`digest/instance=acme/32.json=${sha}`)).toContain('is no digest');
    expect(refused(`{"key": "${key}"`)).toContain('not a JSON object');
    expect(refused(`{"key": "${key}"}`)).toContain('needs a "key" and a "sha256"');
  });
});
