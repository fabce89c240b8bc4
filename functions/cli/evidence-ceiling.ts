import { HeldBytesCeilingError, RowCeilingError } from '../adapters/row-ceiling.ts';
import { causeChain } from '../core/cause-chain.ts';
import type { AddressCase } from '../core/evidence/evidence-hours.ts';
import { HOUR_MS } from '../core/time-units.ts';
import { addressText } from './evidence-alert.ts';
import { isoTime } from './filed-facts.ts';

/** The case a query of the bundle ran for: the user or the address, and the period (whole UTC hours). */
export interface CeilingCase {
  userId?: string | undefined;
  address?: AddressCase | undefined;
  fromMs: number;
  toMs: number;
}

/**
 * What evidence says when a query of its bundle had more rows than node's heap holds (query's
 * row or byte ceiling, query-row-ceiling.ts), else undefined. query's own words advise a lower
 * `max_rows`, which would cut the rows of `user_activity`, and the bundle refuses rows that are
 * not its lines; the way out is a bundle per shorter period (or more heap), with the halves named.
 */
export function evidenceCeilingError(error: unknown, at: CeilingCase): Error | undefined {
  const ceiling = [...causeChain(error)].find(
    (cause) => cause instanceof RowCeilingError || cause instanceof HeldBytesCeilingError,
  );
  if (ceiling === undefined) return undefined;
  const hours = Math.round((at.toMs - at.fromMs) / HOUR_MS);
  const midMs = at.fromMs + Math.floor(hours / 2) * HOUR_MS;
  const split =
    hours < 2
      ? 'the period is one hour, which cannot be split'
      : `make one bundle per shorter period, each into its own folder: the halves are --from ${isoTime(at.fromMs)} --to ${isoTime(midMs)} and --from ${isoTime(midMs)} --to ${isoTime(at.toMs)} (halve again while this recurs)`;
  const heap = /NODE_OPTIONS=--max-old-space-size=\d+/.exec(error instanceof Error ? error.message : '')?.[0];
  return new Error(
    `the rows of ${at.userId === undefined ? (at.address === undefined ? 'the period' : addressText(at.address)) : `user ${at.userId}`} over ${isoTime(at.fromMs)} .. ${isoTime(at.toMs)} do not fit node's heap (${(ceiling as Error).name === 'RowCeilingError' ? 'too many rows' : 'too many bytes of rows'}): evidence holds every row of ${at.userId === undefined ? 'address_activity' : 'user_activity'} to compare with the lines, and no bundle was written. ${split[0]?.toUpperCase()}${split.slice(1)}; or give node more heap${heap === undefined ? '' : `, e.g. ${heap} for twice as many`}`,
    { cause: error },
  );
}
