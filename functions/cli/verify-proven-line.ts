import type { VerifyReport } from '../core/lake/verify-report.ts';
import { utcHourLabel } from './utc-hour-label.ts';

/**
 * What a passed `--integrity` check proves, and what no check can, in a line each above its `OK`.
 * An auditor handed a year of lake read a count of hours, of digests and of objects "checked" and
 * had to assemble from docs/guarantees.md what those add up to (review AUDITOR89); what the pass
 * does not prove of this lake stays in the verdict's own words (verify-ok-caveats.ts).
 */
export function provenLines(r: VerifyReport): string[] {
  const i = r.integrity;
  if (!r.ok || i === undefined || r.fromMs === null || r.toMs === null || i.digests === 0) return [];
  // A pass beside an ingest in progress leaves the hours it pulls without a manifest (being
  // written, above): claimed proven, an auditor would take them for checked.
  const open = r.windowsExpected - r.windowsCovered;
  const but = open > 0 ? ` but the ${open} being written by an ingest in progress (above)` : '';
  const hours = `every hour from ${utcHourLabel(r.fromMs)} to ${utcHourLabel(r.toMs)} (end excluded, ${r.windowsExpected} hours)${but} has its coverage manifest, and the hour's objects match it`;
  const lookedFor =
    i.hours !== undefined
      ? "every object the chain lists for the range's days is there"
      : r.agedOut !== undefined
        ? 'every object the chain lists is there, but those of the hours aged out by policy'
        : 'every object the chain lists is there';
  const objects = `every object held has the bytes a digest recorded for it, and ${lookedFor}`;
  const began = i.genesis?.createdAt === undefined ? '' : ` (created ${i.genesis.createdAt})`;
  const chain = `the ${i.digests} digest(s) link unbroken from the genesis${began} to the head, ${signedBy(i)}`;
  const accepted =
    i.accepted.length > 0
      ? `; except the ${i.accepted.length} finding(s) accepted as known (--accept), listed above`
      : '';
  return [
    `  proven: ${hours}; ${objects}; ${chain}${accepted}`,
    '  not proven by any check: that Domo served every event that happened, or anything before the genesis (docs/guarantees.md §6)',
  ];
}

function signedBy(i: NonNullable<VerifyReport['integrity']>): string {
  if (!i.signaturesChecked) return 'their signatures not checked (give --public-key)';
  if (i.unsignedBeforeSigning > 0)
    return `each one since signing began signed by the key checked (${i.unsignedBeforeSigning} unsigned from before)`;
  return 'each one signed by the key checked';
}
