import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { parseAcceptedFindings } from '../../../functions/core/lake/accepted-findings.ts';
import { sha256Hex } from '../../../functions/core/lake/digest.ts';
import { activityKey, coverageKey, digestKey, utcDate } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity, walkDigestChain } from '../../../functions/core/lake/verify-integrity.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Review (an on-call investigator handing over evidence): a copy of a few days plus the whole
// digest chain failed `--integrity`, every other object of the lake `missing`, so proving one
// person's rows meant handing over everyone's activity for the lake's lifetime. With hours asked
// for, the chain is still checked whole, but only the objects of those hours are compared.

const day0 = Date.parse('2026-10-01T00:00:00Z');
const day1 = day0 + DAY_MS;
const day1Hours = { fromMs: day1, toMs: day1 + DAY_MS };

/** Instance `acme` over three days, a view every two hours, pulled by one run. */
async function threeDayLake(source = threeDaySource()): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  const config = { ...defaultIngestConfig('acme'), backfillDays: 3, repullAfterHours: 0 };
  await runIngest(quietIngestDeps(source, store, day0 + 3 * DAY_MS + 30 * 60_000), config);
  return store;
}

const threeDaySource = () =>
  new MemoryAuditSource(Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 2 * HOUR_MS + 60_000, i)));

/** A copy of `lake` holding the day folders of `day` and the whole digest folder: the evidence. */
function scopedCopy(lake: MemoryObjectStore, day: number): MemoryObjectStore {
  const copy = new MemoryObjectStore();
  for (const [key, object] of lake.objects) {
    if (key.startsWith('digest/') || key.includes(`/dt=${utcDate(day)}/`)) copy.putNow(key, object.body);
  }
  return copy;
}

const findings = (report: { problems: { kind: string; key: string }[] }) =>
  report.problems.map((p) => `${p.kind} ${p.key}`);

describe('verify --integrity of some hours', () => {
  it("passes on a copy of a day's folders and the whole chain, the others counted as not checked", async () => {
    const lake = await threeDayLake();
    const copy = scopedCopy(lake, day1);
    const report = await verifyIntegrity(copy, 'acme', { hours: day1Hours });
    expect(findings(report)).toEqual([]);
    expect(report.ok).toBe(true);
    const inDay1 = [...copy.objects.keys()].filter((key) => !key.startsWith('digest/')).length;
    expect(report.objectsChecked).toBe(inDay1);
    const listedElsewhere = [...lake.objects.keys()].filter(
      (key) =>
        !key.startsWith('digest/') && !key.startsWith('state/') && !key.includes(`/dt=${utcDate(day1)}/`),
    ).length;
    expect(listedElsewhere).toBeGreaterThan(0);
    expect(report.hours).toEqual({ ...day1Hours, outsideNotChecked: listedElsewhere });
  });

  it('without hours is as strict as before: every object the chain lists elsewhere is missing', async () => {
    const copy = scopedCopy(await threeDayLake(), day1);
    const report = await verifyIntegrity(copy, 'acme');
    expect(report.ok).toBe(false);
    expect(report.hours).toBeUndefined();
    expect(findings(report)).toContain(`missing ${coverageKey('acme', day0)}`);
    expect(report.problems.every((p) => p.kind === 'missing')).toBe(true);
  });

  it('finds in the copy an object of the hours changed, one gone, one added, and a digest removed', async () => {
    const lake = await threeDayLake();
    const copy = scopedCopy(lake, day1);
    const changed = activityKey('acme', day1 + 4 * HOUR_MS);
    const gone = coverageKey('acme', day1 + 6 * HOUR_MS);
    const added = activityKey('acme', day1 + 5 * HOUR_MS);
    copy.putNow(changed, new TextEncoder().encode('forged'));
    copy.objects.delete(gone);
    copy.putNow(added, new TextEncoder().encode('planted'));
    copy.objects.delete(digestKey('acme', 1));
    const report = await verifyIntegrity(copy, 'acme', { hours: day1Hours });
    expect(findings(report)).toEqual(
      expect.arrayContaining([
        `changed ${changed}`,
        `missing ${gone}`,
        `unlisted ${added}`,
        `broken-link ${digestKey('acme', 1)}`,
      ]),
    );
    expect(report.ok).toBe(false);
  });

  it('judges every object the store holds, in any day folder, not only those of the hours (review F-VERIFY2 H1)', async () => {
    const lake = await threeDayLake();
    const copy = scopedCopy(lake, day1);
    // A copy of an hour of the range planted in a day the range does not touch: a query of the
    // copy not filtering on `dt` (by event time, by user) reads its rows.
    const source = activityKey('acme', day1 + 4 * HOUR_MS);
    const planted = activityKey('acme', day0 - DAY_MS + 4 * HOUR_MS);
    copy.putNow(planted, lake.objects.get(source)?.body as Uint8Array);
    const report = await verifyIntegrity(copy, 'acme', { hours: day1Hours });
    expect(findings(report)).toEqual([`unlisted ${planted}`]);
    expect(report.problems[0]?.detail).toContain(`are those a digest lists for ${source}`);
    // One of another day that the chain lists, changed: judged as without hours.
    const whole = await threeDayLake();
    const changed = coverageKey('acme', day0 + 2 * DAY_MS + 3 * HOUR_MS);
    whole.putNow(changed, new TextEncoder().encode('forged'));
    const ranged = await verifyIntegrity(whole, 'acme', { hours: day1Hours });
    expect(findings(ranged)).toEqual([`changed ${changed}`]);
    expect(ranged.hours?.outsideNotChecked).toBe(0);
  });

  it('looks for every object of the days the hours touch, before and after the hours too (review F-VERIFY2 M2)', async () => {
    const lake = await threeDayLake();
    const copy = scopedCopy(lake, day1);
    // An hour of the same day before the range, deleted whole: a query of the day reads fewer rows.
    copy.objects.delete(activityKey('acme', day1 + 4 * HOUR_MS));
    copy.objects.delete(coverageKey('acme', day1 + 4 * HOUR_MS));
    copy.objects.delete(coverageKey('acme', day1 + 20 * HOUR_MS));
    const report = await verifyIntegrity(copy, 'acme', {
      hours: { fromMs: day1 + 6 * HOUR_MS, toMs: day1 + 12 * HOUR_MS },
    });
    expect(findings(report).sort()).toEqual(
      [
        `missing ${activityKey('acme', day1 + 4 * HOUR_MS)}`,
        `missing ${coverageKey('acme', day1 + 4 * HOUR_MS)}`,
        `missing ${coverageKey('acme', day1 + 20 * HOUR_MS)}`,
      ].sort(),
    );
  });

  it('an object the chain lists at the edges: the first day is looked for, the day of `to` is not', async () => {
    const lake = await threeDayLake();
    lake.objects.delete(coverageKey('acme', day1));
    lake.objects.delete(coverageKey('acme', day1 + DAY_MS));
    const report = await verifyIntegrity(lake, 'acme', { hours: day1Hours });
    expect(findings(report)).toEqual([`missing ${coverageKey('acme', day1)}`]);
    expect(report.hours?.outsideNotChecked).toBe(1);
  });

  it('calls an accepted finding about an object of other days no longer found when the object is there', async () => {
    const lake = await threeDayLake();
    const elsewhere = coverageKey('acme', day0);
    const accepted = parseAcceptedFindings(
      [{ kind: 'changed', key: elsewhere, sha256: 'ab'.repeat(32) }],
      'test',
    );
    const report = await verifyIntegrity(lake, 'acme', { hours: day1Hours, accepted });
    expect(report.acceptedNotFound.map((f) => f.key)).toEqual([elsewhere]);
  });

  it('with a noted head before the last digests, an object of other hours is no `changed-since-noted` gone', async () => {
    const lake = await threeDayLake();
    // Halfway along the chain: the digests up to it list the first day's objects, which the copy lacks.
    const digests = [...lake.objects.keys()].filter((key) => key.startsWith('digest/')).length;
    const sequence = Math.floor(digests / 2);
    const sha256 = sha256Hex(lake.objects.get(digestKey('acme', sequence))?.body as Uint8Array);
    const copy = scopedCopy(lake, day1);
    const notedHeads = [{ sequence, sha256 }];
    const report = await verifyIntegrity(copy, 'acme', { hours: day1Hours, notedHeads });
    // The copy's hours are judged as in the lake (written after the noted head, unsigned).
    const inLake = await verifyIntegrity(lake, 'acme', { notedHeads });
    const ofDay1 = findings(inLake).filter((f) => f.includes(`/dt=${utcDate(day1)}/`));
    expect(ofDay1.length).toBeGreaterThan(0);
    expect(findings(report)).toEqual(ofDay1);
    const whole = await verifyIntegrity(copy, 'acme', { notedHeads });
    expect(findings(whole)).toContain(`changed-since-noted ${coverageKey('acme', day0)}`);
  });

  it('does not call an accepted finding about an object of other hours no longer found', async () => {
    const copy = scopedCopy(await threeDayLake(), day1);
    const elsewhere = coverageKey('acme', day0);
    // As the check makes it: a `missing` finding names no bytes.
    const accepted = parseAcceptedFindings([{ kind: 'missing', key: elsewhere }], 'test');
    const report = await verifyIntegrity(copy, 'acme', { hours: day1Hours, accepted });
    expect(report.acceptedNotFound).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('judged again by a chain that grew meanwhile, still does not look for objects of other hours', async () => {
    const source = threeDaySource();
    const lake = await threeDayLake(source);
    const copy = scopedCopy(lake, day1);
    const chain = await walkDigestChain(copy, 'acme', { hours: day1Hours });
    // A re-pull of the last day, with a late event, appends digests; they reach the copy.
    source.add(viewEntry(day1 + DAY_MS + 5 * 60_000, 99));
    const config = { ...defaultIngestConfig('acme'), backfillDays: 3, repullAfterHours: 0 };
    const range = { fromMs: day1 + DAY_MS, toMs: day1 + 2 * DAY_MS };
    await runIngest(quietIngestDeps(source, lake, day0 + 3 * DAY_MS + HOUR_MS), config, { range });
    const before = copy.objects.size;
    for (const [key, object] of lake.objects)
      if (key.startsWith('digest/') && !copy.objects.has(key)) copy.putNow(key, object.body);
    expect(copy.objects.size).toBeGreaterThan(before);
    const report = await chain.checkObjects();
    expect(findings(report)).toEqual([]);
    expect(report.digests).toBe([...copy.objects.keys()].filter((key) => key.startsWith('digest/')).length);
  });
});
