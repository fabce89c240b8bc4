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
} {
  const operator = agedOutBy(given, 'operator', nowMs);
  return {
    unwalked: walksChain ? undefined : operator,
    fromChain: (stated) => operator ?? agedOutBy(signedMaxDays(stated, nowMs), 'digests', nowMs),
  };
}

/** Offers a failed check that took no bound the one the lake's run record holds, as a hint. */
export function noteAgedOutHint(report: VerifyReport, lastRun: LastRun | undefined, instance: string): void {
  if (report.ok || report.agedOut !== undefined) return;
  const hint = lastRunMaxDays(lastRun, instance);
  if (hint !== undefined) report.agedOutHint = hint;
}
