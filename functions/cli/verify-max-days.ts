import { type AgedOut, agedOutBy, lastRunMaxDays, MAX_DAYS_LIMIT } from '../core/lake/aged-out.ts';
import type { LastRun } from '../core/lake/last-run.ts';
import { type RetentionStatement, signedMaxDays } from '../core/lake/signed-retention.ts';
import type { VerifyReport } from '../core/lake/verify-report.ts';
import { parseWholeNumber } from './options.ts';

/** `--max-days`: the operator's own `retention.maxDays` bound; undefined when not given. */
export const maxDaysOption = (value: string | undefined): number | undefined =>
  value === undefined
    ? undefined
    : parseWholeNumber('--max-days', value, 0, { min: 1, max: MAX_DAYS_LIMIT, why: 'retention.maxDays' });

/**
 * Which hours a check takes for aged out by policy: the operator's bound when given; else, for a
 * check walking the chain, the one its signed digests state (signed-retention.ts); else none. The
 * lake's run record, unsigned, is never one (review R-SECOND6 H1). `unwalked`: the bound of a
 * check that does not walk the chain (undefined for one that does: it takes `fromChain` there).
 */
export function retentionOf(
  given: number | undefined,
  nowMs: number,
  walksChain: boolean,
): {
  unwalked: AgedOut | undefined;
  fromChain: (stated: readonly RetentionStatement[]) => AgedOut | undefined;
  /** What the walked chain's digests state of the bound, once walked (see {@link RecordCheck}). */
  stated: () => readonly RetentionStatement[] | undefined;
} {
  const operator = agedOutBy(given, 'operator', nowMs);
  let walked: readonly RetentionStatement[] | undefined;
  return {
    unwalked: walksChain ? undefined : operator,
    fromChain: (stated) => {
      walked = stated;
      return operator ?? agedOutBy(signedMaxDays(stated, nowMs), 'digests', nowMs);
    },
    stated: () => walked,
  };
}

/**
 * The chain's bound to set the run record beside: the one the check applied, else the largest the
 * digests state; never simply the latest, which a signer appending a smaller one would choose
 * (review R-SECOND8 M1).
 */
function chainBound(report: VerifyReport, stated: RecordCheck['stated']): number | undefined {
  if (report.agedOut?.source === 'digests') return report.agedOut.maxDays;
  const bounds = (stated ?? []).flatMap((s) => (s.maxDays === null ? [] : [s.maxDays]));
  return bounds.length > 0 ? Math.max(...bounds) : undefined;
}

/** What a check weighs the lake's run record against: the operator's bound, the chain's. */
export interface RecordCheck {
  /** `--max-days`, when given. */
  given: number | undefined;
  /** The statements of the chain walked; undefined: none walked (plain `verify`). */
  stated: readonly RetentionStatement[] | undefined;
}

/**
 * Sets what the lake's run record, unsigned, says of `retention.maxDays` beside the check's
 * bound: offered as a hint to a failed check that took none and whose chain states none; said
 * beside the digests' own when it differs from the bound the chain gives (chainBound) (review R-SECOND7 H2:
 * the hint steered the operator to a tampered record's value over the signed chain's).
 */
export function noteAgedOutHint(
  report: VerifyReport,
  lastRun: LastRun | undefined,
  instance: string,
  check: RecordCheck,
): void {
  const record = lastRunMaxDays(lastRun, instance);
  if (record === undefined || check.given !== undefined) return;
  const chain = chainBound(report, check.stated);
  if (chain !== undefined) {
    if (chain !== record) report.agedOutDisagreement = { record, digests: chain };
    return;
  }
  if (!report.ok && report.agedOut === undefined) report.agedOutHint = record;
}
