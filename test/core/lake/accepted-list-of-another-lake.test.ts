import { describe, expect, it } from 'vitest';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { AcceptedFindingsError, parseAcceptedList } from '../../../functions/core/lake/accepted-findings.ts';
import {
  AcceptedOfAnotherChainError,
  NO_BYTES_SHA256,
  refuseOtherChain,
} from '../../../functions/core/lake/accepted-list-chain.ts';
import { sha256Hex } from '../../../functions/core/lake/digest.ts';
import type { IntegrityReport } from '../../../functions/core/lake/integrity-report.ts';
import { digestKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { SIX_HOUR_LAKE_NOW, sixHourConfig, sixHourSource } from '../../support/six-hour-lake.ts';

/** Instance `acme`, ingested at `nowMs`, at `location`; digest 1 deleted (a number missing). */
async function lakeMissingDigestOne(nowMs: number, location = 'memory://lake/') {
  const store = new MemoryObjectStore();
  Object.defineProperty(store, 'location', { value: location });
  await runIngest(quietIngestDeps(sixHourSource(), store, nowMs), sixHourConfig());
  store.objects.delete(digestKey('acme', 1));
  return store;
}

/** The report as `verify --integrity --json` writes it, read back as an `--accept` file. */
const listOf = (report: IntegrityReport) =>
  parseAcceptedList(JSON.parse(JSON.stringify({ integrity: report })), 'report.json');

/** The check of `store` given `list` as accepted. */
const checkAccepting = (store: MemoryObjectStore, list: ReturnType<typeof listOf>) =>
  verifyIntegrity(store, 'acme', {
    accepted: list.findings,
    ...(list.chain === undefined ? {} : { acceptedFrom: [list.chain] }),
  });

describe('verify --integrity: a list of accepted findings is of one lake', () => {
  it("names the lake and the chain's first digest in its report", async () => {
    const store = await lakeMissingDigestOne(SIX_HOUR_LAKE_NOW, 'memory://lake-a/');
    const report = await verifyIntegrity(store, 'acme');
    const genesis = digestKey('acme', 0);
    expect(report.lake).toBe('memory://lake-a/');
    expect(report.genesis).toEqual({
      key: genesis,
      sha256: sha256Hex(store.objects.get(genesis)?.body as Uint8Array),
      createdAt: expect.any(String),
      runId: expect.any(String),
    });
  });

  it("refuses another lake's report, whose finding of a missing digest names no bytes", async () => {
    const a = await lakeMissingDigestOne(SIX_HOUR_LAKE_NOW);
    const b = await lakeMissingDigestOne(SIX_HOUR_LAKE_NOW + 60_000);
    const ofA = listOf(await verifyIntegrity(a, 'acme'));
    // Review R-SECOND L2: the same number missing in both is the same finding, bytes and all.
    expect(ofA.findings).toContainEqual(
      expect.objectContaining({ kind: 'broken-link', key: digestKey('acme', 1), sha256: NO_BYTES_SHA256 }),
    );
    await expect(checkAccepting(b, ofA)).rejects.toThrow(AcceptedOfAnotherChainError);
    await expect(checkAccepting(b, ofA)).rejects.toThrow(
      /report\.json is the report of another chain .*first digest has sha256/,
    );
    // Its own report is taken.
    const ofB = await checkAccepting(b, listOf(await verifyIntegrity(b, 'acme')));
    expect(ofB.ok).toBe(true);
  });

  it('takes the report of the same chain in another place (a copy of the lake)', async () => {
    const a = await lakeMissingDigestOne(SIX_HOUR_LAKE_NOW, 'memory://lake-a/');
    const copy = new MemoryObjectStore();
    Object.defineProperty(copy, 'location', { value: 'memory://evidence-copy/' });
    for (const [key, object] of a.objects) copy.objects.set(key, object);
    const report = await checkAccepting(copy, listOf(await verifyIntegrity(a, 'acme')));
    expect(report.ok).toBe(true);
    expect(report.accepted).not.toEqual([]);
  });

  it('refuses a list naming no lake that accepts bytes that are gone, and takes its other findings', () => {
    const gone = { kind: 'broken-link', key: digestKey('acme', 1), sha256: NO_BYTES_SHA256 };
    expect(() => parseAcceptedList([gone], 'hand.json')).toThrow(AcceptedFindingsError);
    expect(() => parseAcceptedList([gone], 'hand.json')).toThrow(
      /finding 1 .*bytes that are gone.*names no lake/,
    );
    const changed = { kind: 'changed', key: 'k', sha256: 'a'.repeat(64) };
    expect(parseAcceptedList([changed], 'hand.json')).toEqual({ findings: [changed] });
  });

  it.each([
    ['another instance', { instance: 'other', genesisSha256: 'a'.repeat(64) }, /of instance "other"/],
    [
      'another lake, neither with a first digest',
      { lake: 'memory://b/', genesisSha256: null },
      /names the lake memory:\/\/b\//,
    ],
  ])('refuses the report of %s', (_, list, message) => {
    const checked = { instance: 'acme', lake: 'memory://a/', genesis: null };
    expect(() => refuseOtherChain({ source: 'r.json', ...list }, checked)).toThrow(message);
  });

  it('takes the report of the same lake whose chain has no first digest to compare', () => {
    const checked = { instance: 'acme', lake: 'memory://a/', genesis: { sha256: 'b'.repeat(64) } };
    expect(() =>
      refuseOtherChain({ source: 'r.json', lake: 'memory://a/', genesisSha256: null }, checked),
    ).not.toThrow();
  });
});
