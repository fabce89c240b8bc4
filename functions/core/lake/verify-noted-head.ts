import type { DigestLink } from './digest.ts';
import { digestKey, digestSequenceFromKey } from './layout.ts';

/**
 * A head of the digest chain noted outside the lake (the key and sha256 the integrity check printed
 * as its head, kept with the date). A later check finds whether the chain still holds it: a head
 * deleted and written again by the next run (its number is free again) has other bytes under the
 * same number, and a chain cut back before it lacks it; without the versions of the digests (a lake
 * on disk, a version removed outright), nothing in the lake shows either.
 */
export interface NotedHead {
  /** The digest's number. */
  sequence: number;
  /** The instance its key names; absent when only the number was given. */
  instance?: string;
  sha256: string;
}

/** A noted head that cannot be read; the message says which forms are taken. */
export class NotedHeadError extends Error {
  constructor(value: string, why: string) {
    super(
      `"${value.length > 200 ? `${value.slice(0, 200)}…` : value}" is not a noted head: ${why}. Give <digest>=<sha256> (the digest's key, file name or number, and its whole sha256, as the check's head line prints them), or the head object of its JSON report ({"key": …, "sha256": …})`,
    );
    this.name = 'NotedHeadError';
  }
}

const SHA256 = /^[0-9a-fA-F]{64}$/;

/**
 * How to find what became of the noted digest. Only S3 keeps a key's versions: a lake on disk, or
 * a copy handed over as evidence, holds none to look among.
 */
const RUNBOOK =
  "on S3, look for the digest noted among the key's stored versions (docs/operations.md, the section on the integrity finding `digest-deleted`); a lake on disk or a copy keeps no versions: ask whoever handed over the lake what became of that digest, or compare with the copy kept when the head was noted";

/**
 * Reads a noted head: `<digest>=<sha256>`, the digest as its key
 * (`digest/instance=<i>/0000000032.json`), its file name (`0000000032.json`) or its number, or the
 * JSON object the check's JSON report gives as `integrity.head` (`{"key": …, "sha256": …}`, with
 * or without its `"head":` label), so that what was noted can be pasted back as it was printed.
 */
export function parseNotedHead(value: string): NotedHead {
  const text = value.trim();
  const json = text.replace(/^"head"\s*:\s*/, '').replace(/,\s*$/, '');
  const pair = json.startsWith('{') ? fromJson(value, json) : fromPair(value, text);
  if (!SHA256.test(pair.sha256)) {
    throw new NotedHeadError(value, `its sha256 "${pair.sha256}" is not 64 hex digits`);
  }
  return { ...digestOf(value, pair.digest), sha256: pair.sha256.toLowerCase() };
}

function fromJson(value: string, json: string): { digest: string; sha256: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new NotedHeadError(value, 'it starts with "{" but is not a JSON object');
  }
  const { key, sha256 } = (parsed ?? {}) as { key?: unknown; sha256?: unknown };
  if (typeof key !== 'string' || typeof sha256 !== 'string') {
    throw new NotedHeadError(value, 'the JSON object needs a "key" and a "sha256", both strings');
  }
  return { digest: key, sha256 };
}

function fromPair(value: string, text: string): { digest: string; sha256: string } {
  // A digest key holds a "=" of its own (instance=…): the sha256 is what follows the last one.
  const at = text.lastIndexOf('=');
  if (at <= 0 || text.slice(at).includes('/')) {
    throw new NotedHeadError(value, 'it has no "=" between the digest and its sha256');
  }
  return { digest: text.slice(0, at).trim(), sha256: text.slice(at + 1).trim() };
}

/** The digest's number, and its instance when the key gives one. */
function digestOf(value: string, digest: string): { sequence: number; instance?: string } {
  const number = /^(\d{1,10})(?:\.json)?$/.exec(digest)?.[1];
  if (number !== undefined) return { sequence: Number(number) };
  const sequence = digestSequenceFromKey(digest);
  const instance = /^digest\/instance=([^/]+)\//.exec(digest)?.[1];
  if (sequence === undefined || instance === undefined) {
    throw new NotedHeadError(
      value,
      `"${digest}" is no digest: give its key (digest/instance=<i>/0000000032.json), file name or number`,
    );
  }
  return { sequence, instance };
}

/** The chain as the integrity check walked it: what {@link notedHeadFinding} judges a noted head by. */
interface WalkedDigests {
  instance: string;
  /** The chain's last digest read (null: none). */
  head: { key: string; sha256: string } | null;
  /** The sha256 of each digest read, by key. */
  sha256Of: ReadonlyMap<string, string>;
  /** The link of each digest decoded (null: a genesis), by key. */
  linkOf: ReadonlyMap<string, DigestLink | null>;
}

/** What is wrong with a noted head: the digest it is about, the sha256 found there, and why. */
interface NotedHeadFinding {
  key: string;
  /** The sha256 the digest has now; undefined when there is none. */
  found?: string;
  detail: string;
}

/**
 * Whether the chain still holds `noted`: the digest at its number with the sha256 noted, reached by
 * the links walked back from the current head, each naming the bytes the digest before holds. A
 * head noted and then followed by later digests passes; one deleted (and its number written again),
 * rewritten, or cut off the chain does not. Undefined: it holds it.
 */
export function notedHeadFinding(chain: WalkedDigests, noted: NotedHead): NotedHeadFinding | undefined {
  const key = digestKey(chain.instance, noted.sequence);
  const as = `noted as the chain's head with sha256 ${noted.sha256}`;
  if (noted.instance !== undefined && noted.instance !== chain.instance) {
    return {
      key: `digest/instance=${noted.instance}/${key.split('/').at(-1)}`,
      detail: `${as} is a digest of instance "${noted.instance}", not of "${chain.instance}", which this check walked: check it against that instance's chain`,
    };
  }
  const found = chain.sha256Of.get(key);
  const headKey = chain.head?.key ?? 'no digest';
  if (found === undefined) return { key, detail: `${as}, ${goneWhere(chain, noted.sequence)}; ${RUNBOOK}` };
  if (found !== noted.sha256) {
    return {
      key,
      found,
      detail: `${as}, it holds sha256 ${found} now: it was rewritten, or deleted and written again (the next run takes the number of a deleted head), since it was noted, so what the digest noted listed is vouched for by nothing; ${RUNBOOK}`,
    };
  }
  const broken = brokenLinkBefore(chain, key);
  if (broken === undefined) return undefined;
  return {
    key,
    found,
    detail: `${as}, it still holds those bytes, but the chain walked back from its head (${headKey}) does not reach it: ${broken}, so the digests after it are not the ones that followed it when it was noted`,
  };
}

/** What a noted digest that is gone means, by where the chain ends now. */
function goneWhere(chain: WalkedDigests, sequence: number): string {
  const head = chain.head;
  const headSequence = head === null ? undefined : digestSequenceFromKey(head.key);
  if (head === null || headSequence === undefined || headSequence < sequence) {
    return `it is gone, and the chain now ends at ${head?.key ?? 'no digest'}: its end was cut off since it was noted, and what the digests up to the one noted listed is vouched for by nothing`;
  }
  return `it is gone, though digests after it are there (${head.key} ends the chain): it was deleted since it was noted, and what it listed is vouched for by nothing`;
}

/** Where the links walked back from the head stop before reaching `key`; undefined: they reach it. */
function brokenLinkBefore(chain: WalkedDigests, key: string): string | undefined {
  let at = chain.head?.key;
  const seen = new Set<string>();
  while (at !== undefined && at !== key) {
    if (seen.has(at)) return `the links loop back to ${at}`;
    seen.add(at);
    const link = chain.linkOf.get(at);
    if (link === undefined) return `${at} could not be read as a digest`;
    if (link === null) return `${at} is a genesis digest, with no digest before it`;
    if (chain.sha256Of.get(link.key) !== link.sha256) {
      return `${at} names ${link.key} with sha256 ${link.sha256.slice(0, 12)}…, which the lake does not hold there`;
    }
    at = link.key;
  }
  return at === undefined ? 'the chain has no digest' : undefined;
}
