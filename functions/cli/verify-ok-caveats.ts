import type { VerifyReport } from '../core/lake/verify-report.ts';
import { agedOutText } from './aged-out-text.ts';
import { ingestBehindCaveats } from './ingest-behind-text.ts';

/**
 * What a pass does not prove, in the words its verdict gives them (`OK (…)`) and its JSON's
 * `check.caveats`: a script filing by the result alone lost them (review F-SECOND3 L2). A ranged
 * `--integrity` did not look for the chain's objects of other days (deleted there, they pass); a
 * chain nothing outside the lake vouches for is only consistent; a lake whose ingest is behind was
 * checked up to its watermark only.
 */
export function okCaveats(r: VerifyReport): string[] {
  const hours = r.integrity?.hours;
  return [
    ...(hours === undefined
      ? []
      : [
          `the range's days only: ${hours.outsideNotChecked} object(s) the chain lists for other days are not there, not looked for`,
        ]),
    ...(r.integrity ? anchorCaveats(r.integrity) : []),
    ...ingestBehindCaveats(r),
    ...(r.agedOut ? [agedOutText(r.agedOut, r.integrity?.signaturesChecked)] : []),
  ];
}

/**
 * What the pass does not prove of the chain for want of an anchor outside the lake: nothing
 * vouches for it ({@link consistencyOnly}), or, signatures checked, nothing for its end
 * ({@link endNotAnchored}). `--require-anchor` fails a pass that has either.
 */
export function anchorCaveats(i: NonNullable<VerifyReport['integrity']>): string[] {
  const consistency = consistencyOnly(i);
  return consistency.length > 0 ? consistency : endNotAnchored(i);
}

/**
 * A signed chain cut at its end, with the tables and state rolled back to match, is a shorter chain
 * every signature of which checks (review R-AUDITOR H1): only a noted head the chain must still
 * hold, or on S3 the digests' versions (a deleted digest leaves a delete marker), show the cut.
 */
function endNotAnchored(i: NonNullable<VerifyReport['integrity']>): string[] {
  if (i.digests === 0 || (i.notedHeads?.length ?? 0) > 0 || i.digestVersions === 'checked') return [];
  return [
    "the chain's end is not anchored: digests removed from its end together with what they list pass; note the head and give it to the next check (--expect-head)",
  ];
}

/**
 * What a pass proves when nothing outside the lake vouches for the chain: no checked signature and
 * no noted head. Its links are then only consistent: whoever can write the digest folder rewrites
 * them with the objects (review F-EVID7 M5).
 */
function consistencyOnly(i: NonNullable<VerifyReport['integrity']>): string[] {
  if (i.digests === 0 || (i.notedHeads?.length ?? 0) > 0) return [];
  if (i.signaturesChecked && i.signedDigests > 0) return [];
  const why =
    i.signedDigests === 0 ? 'the chain is unsigned' : 'its signatures were not checked (give --public-key)';
  return [`consistency only: ${why} and no noted head was given (--expect-head)`];
}
