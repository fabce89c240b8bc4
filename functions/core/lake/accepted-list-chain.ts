import { sha256Hex } from './digest.ts';

/**
 * The chain a list of accepted findings was made of, as the check's report names it: the lake's
 * location, the instance, and the SHA-256 of the chain's first digest (null: the chain had none at
 * number 0). Findings match by kind, key and bytes alone, and a lake's keys are the same in every
 * lake of the instance's name: a report of one lake, given to the check of another, accepted its
 * findings there too, those about a digest that is gone (the SHA-256 of no bytes) whatever that
 * lake holds (review R-SECOND L2).
 */
export interface AcceptedListChain {
  /** Where the list came from, as errors name it. */
  source: string;
  lake?: string;
  instance?: string;
  genesisSha256: string | null;
}

/** The sha256 of no bytes: what a finding about a digest (or object) that is gone is about. */
export const NO_BYTES_SHA256 = sha256Hex(new Uint8Array());

/** What the report checked says of its chain (integrity-report.ts). */
interface CheckedChain {
  instance: string;
  lake?: string;
  genesis: { sha256: string } | null;
}

/** Thrown when a list of accepted findings is another chain's; the message names both. */
export class AcceptedOfAnotherChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AcceptedOfAnotherChainError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The chain a list names (`json`, as {@link parseAcceptedFindings} takes it): a report of the check,
 * or the whole verify report around one, that has the `genesis` field. Undefined for a plain list
 * of findings, or a report of a version that named no chain.
 */
export function chainOfList(json: unknown, source: string): AcceptedListChain | undefined {
  const report = isRecord(json) && isRecord(json.integrity) ? json.integrity : json;
  if (!isRecord(report) || !('genesis' in report)) return undefined;
  const genesis = report.genesis;
  const sha256 = isRecord(genesis) && typeof genesis.sha256 === 'string' ? genesis.sha256 : null;
  return {
    source,
    genesisSha256: sha256,
    ...(typeof report.lake === 'string' ? { lake: report.lake } : {}),
    ...(typeof report.instance === 'string' ? { instance: report.instance } : {}),
  };
}

/**
 * Throws {@link AcceptedOfAnotherChainError} when the list is not of the chain checked: another
 * instance, another first digest, or (when either chain has no first digest to compare) another
 * lake. The same first digest in another place is a copy of the lake, and is taken.
 */
export function refuseOtherChain(list: AcceptedListChain, checked: CheckedChain): void {
  const why = otherChainReason(list, checked);
  if (why === undefined) return;
  throw new AcceptedOfAnotherChainError(
    `${list.source} is the report of another chain than the one checked: ${why}. Its findings would be accepted here by their keys and bytes alone (one about a digest that is gone names no bytes, so the same in any lake): give the report of a check of this lake and instance`,
  );
}

function otherChainReason(list: AcceptedListChain, checked: CheckedChain): string | undefined {
  if (list.instance !== undefined && list.instance !== checked.instance)
    return `it is of instance "${list.instance}", this check of "${checked.instance}"`;
  const theirs = list.genesisSha256;
  const ours = checked.genesis?.sha256 ?? null;
  const where = (lake: string | undefined) => (lake === undefined ? '' : ` (${lake})`);
  if (theirs !== null && ours !== null) {
    return theirs === ours
      ? undefined
      : `its chain's first digest has sha256 ${theirs.slice(0, 12)}…${where(list.lake)}, this one's ${ours.slice(0, 12)}…${where(checked.lake)}`;
  }
  if (list.lake === checked.lake) return undefined;
  return `it names the lake ${list.lake ?? '(none)'}, this check ${checked.lake ?? '(none)'}, and ${theirs === null ? 'its' : "this one's"} chain has no first digest to compare`;
}
