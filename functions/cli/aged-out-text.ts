import type { AgedOut } from '../core/lake/aged-out.ts';
import { utcHourLabel } from './utc-hour-label.ts';

const SAID_BY: Record<AgedOut['source'], string> = {
  // Not "signed": a lake on disk, or a check without the public key, verifies no signature.
  digests: 'as the digest chain states it',
  operator: 'as --max-days gave it',
};

/**
 * What a check says of the hours the lake has aged out: left out, by what bound and who said it,
 * on every check that used one: the reader compares it with the deployment's (cdk.json).
 */
export const agedOutText = (agedOut: AgedOut, signaturesChecked = false): string =>
  `hours before ${utcHourLabel(agedOut.beforeMs)} not checked: aged out by policy, the lake expires them after retention.maxDays (${agedOut.maxDays} days, ${SAID_BY[agedOut.source]}${unverified(agedOut, signaturesChecked)}; compare it with cdk.json)`;

/**
 * The chain's bound taken without its signatures checked is anyone's who can write a digest: an
 * attacker's would excuse the hours deleted (review F-EVID10 3). Checked, only signed digests state
 * one (integrity-chain-index.ts).
 */
const unverified = (agedOut: AgedOut, signaturesChecked: boolean): string =>
  agedOut.source === 'digests' && !signaturesChecked
    ? ', unverified: no signature was checked, and whoever can write a digest can state one; give --public-key to take only a signed bound'
    : '';

/**
 * The bound the lake's unsigned run record offers, for a failed check that took none: not as a
 * ready flag, the record being what a forger edits with the lake (review R-AUDITOR L7).
 */
export const agedOutHintText = (maxDays: number): string =>
  `the lake's last run says retention.maxDays ${maxDays}; that record is not signed, so it is not taken, and whoever deleted hours can edit it too: compare it with cdk.json's retention.maxDays first; only if it is the deployment's, pass --max-days ${maxDays} to check so`;

/** The run record's bound beside the digest chain's own, when they differ. */
export const agedOutDisagreementText = ({ record, digests }: { record: number; digests: number }): string =>
  `the lake's last run says retention.maxDays ${record}, the digest chain ${digests}: the run record is not signed and may have been tampered with; it is not taken (compare both with cdk.json)`;
